package alipayplus

import (
	"reflect"
	"testing"
)

// plainBodies are bodies the fast path takes (Unmarshal may still reject
// them, and the lenient path then says why).
var plainBodies = []string{
	`{"customerId":"c","codeQuantity":"3"}`,
	` {"customerId" : "c", "env": {"deviceTokenId":"d","terminalType":"APP"}} `,
	`{"paymentCodeInfoList":[{"paymentCode":"2599990212"},{"paymentCode":"x"}],"result":{"resultStatus":"S"}}`,
	`{"customerId":"caf\u00e9 \"q\""}`,
	`{}`,
	`{"list":[[],{}]}`,
	`{"env":"x"}`,
	`{"customerId":{"a":"b"}}`,
}

// lenientBodies are near misses the fast path must leave to the lenient
// path: something to normalise, keys that could collide, a field's name
// in another case, or not an object.
var lenientBodies = []string{
	`{"customerId":"c","codeQuantity":3}`,
	`{"customerId":""}`,
	`{"customerId":null}`,
	`{"customerId":true}`,
	`{"customerId":"a","customerid":"b"}`,
	`{"customerid":"b","customerId":"a"}`,
	`{"customer\u0049d":"b","customerId":"a"}`,
	`{"PaymentRequestId":"b"}`,
	`{"paymentAmount":{"currency":"USD","Value":"1"}}`,
	`{"customerId":"a"} {}`,
	`{"customerId":"a",}`,
	`{"list":[null,"a"]}`,
	`["a"]`,
	`"a"`,
	`{"customerId":"a"`,
	`{"a":"\`,
	``,
}

// decodeBoth decodes body with Decode and with the lenient tree path
// alone, into fresh values of the same wire type.
func decodeBoth(t *testing.T, body []byte) {
	t.Helper()
	for _, typ := range []reflect.Type{reflect.TypeFor[GetPaymentCodeRequest](), reflect.TypeFor[PayRequest](), reflect.TypeFor[GetPaymentCodeResponse]()} {
		fast, slow := reflect.New(typ).Interface(), reflect.New(typ).Interface()
		vf, errf := Decode(body, fast)
		vs, errs := decodeTree(body, slow)
		if (errf == nil) != (errs == nil) || (errf != nil && errf.Error() != errs.Error()) {
			t.Fatalf("%s %q: errors differ: %v / %v", typ.Name(), body, errf, errs)
		}
		if errf != nil {
			continue
		}
		if !reflect.DeepEqual(fast, slow) || len(vf) != len(vs) {
			t.Fatalf("%s %q: results differ:\n%+v %v\n%+v %v", typ.Name(), body, fast, vf, slow, vs)
		}
	}
}

func TestDecodePlainFastPathAgrees(t *testing.T) {
	for _, b := range plainBodies {
		if !plainJSON([]byte(b), namesOf(reflect.TypeFor[*PayRequest]())) {
			t.Errorf("plainJSON(%q) = false, want the fast path", b)
		}
		decodeBoth(t, []byte(b))
	}
	for _, b := range lenientBodies {
		if plainJSON([]byte(b), namesOf(reflect.TypeFor[*PayRequest]())) {
			t.Errorf("plainJSON(%q) = true, want the lenient path", b)
		}
		decodeBoth(t, []byte(b))
	}
}

// FuzzDecodePlain: whatever the body, Decode's fast path and the lenient
// path agree.
func FuzzDecodePlain(f *testing.F) {
	for _, b := range append(plainBodies, lenientBodies...) {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) { decodeBoth(t, body) })
}

// benchPayBody is a pay request as the simulator sends it.
var benchPayBody = []byte(`{"acquirerId":"1022188000000000001","pspId":"1022172000000000001","order":{"referenceOrderId":"ORDER000000000001","orderDescription":"bench","orderAmount":{"currency":"USD","value":"100"},"merchant":{"referenceMerchantId":"M0000000001","merchantName":"UGG","merchantMCC":"5411","merchantAddress":{"region":"JP","city":"Tokyo"},"store":{"referenceStoreId":"S0000000001","storeName":"UGG-2","storeMCC":"5411","storeTerminalId":"T0000001"}}},"paymentRequestId":"2026112900000000000000000001","paymentAmount":{"currency":"USD","value":"100"},"payToAmount":{"currency":"USD","value":"100"},"paymentMethod":{"paymentMethodType":"CONNECT_WALLET","paymentMethodId":"259999020000000000000001","customerId":"srv-1"},"paymentFactor":{"isInStorePayment":"true","inStorePaymentScenario":"PaymentCode"},"paymentExpiryTime":"2026-11-29T18:00:00+00:00"}`)

// BenchmarkDecodePayRequest: Decode of a plain pay request (the fast path)
// against the lenient tree path it used to take.
func BenchmarkDecodePayRequest(b *testing.B) {
	for _, c := range []struct {
		name   string
		decode func([]byte, any) ([]Violation, error)
	}{{"Decode", Decode}, {"tree", decodeTree}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				var req PayRequest
				if _, err := c.decode(benchPayBody, &req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
