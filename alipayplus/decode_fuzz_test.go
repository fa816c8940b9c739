package alipayplus_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/assets"
)

// Fuzz target for the lenient JSON decoder and every message type. Run it
// with:
//
//	go test ./alipayplus -run '^$' -fuzz '^FuzzDecodeMessages$' -fuzztime 10m -parallel 1

// wireType is one message type the decoder fills.
type wireType struct {
	name    string
	new     func() any
	request bool // a request a server decodes and validates
}

var wireTypes = []wireType{
	{"GetPaymentCodeRequest", func() any { return new(alipayplus.GetPaymentCodeRequest) }, true},
	{"InquiryCodeRulesRequest", func() any { return new(alipayplus.InquiryCodeRulesRequest) }, true},
	{"PayRequest", func() any { return new(alipayplus.PayRequest) }, true},
	{"InquiryPaymentRequest", func() any { return new(alipayplus.InquiryPaymentRequest) }, true},
	{"CancelPaymentRequest", func() any { return new(alipayplus.CancelPaymentRequest) }, true},
	{"RefundRequest", func() any { return new(alipayplus.RefundRequest) }, true},
	{"UserInitiatedPayRequest", func() any { return new(alipayplus.UserInitiatedPayRequest) }, true},
	{"NotifyPaymentRequest", func() any { return new(alipayplus.NotifyPaymentRequest) }, true},
	{"GetPaymentCodeResponse", func() any { return new(alipayplus.GetPaymentCodeResponse) }, false},
	{"InquiryCodeRulesResponse", func() any { return new(alipayplus.InquiryCodeRulesResponse) }, false},
	{"PayResponse", func() any { return new(alipayplus.PayResponse) }, false},
	{"InquiryPaymentResponse", func() any { return new(alipayplus.InquiryPaymentResponse) }, false},
	{"CancelPaymentResponse", func() any { return new(alipayplus.CancelPaymentResponse) }, false},
	{"RefundResponse", func() any { return new(alipayplus.RefundResponse) }, false},
	{"UserInitiatedPayResponse", func() any { return new(alipayplus.UserInitiatedPayResponse) }, false},
	{"NotifyPaymentResponse", func() any { return new(alipayplus.NotifyPaymentResponse) }, false},
}

// messageSeeds are real bodies: the samples of the seed pages (000
// getPaymentCode, 001 pay), excerpts of the sandbox inquiryCodeRules
// answer (see sandboxExcerpt), and a
// valid body of every other message type, plus the shapes the decoder's
// unit tests pin (numbers, booleans, "", null, nesting, trailing data).
var messageSeeds = []string{
	// seed 000: getPaymentCode request and response.
	`{
  "region": "PH",
  "customerId": "21281****",
  "codeQuantity": "3",
  "env": {
    "terminalType": "APP",
    "osType": "ANDROID",
    "deviceTokenId": "21212"
  }
}`,
	`{
  "result": {
    "resultCode": "SUCCESS",
    "resultMessage": "Success",
    "resultStatus": "S"
  },
  "paymentCodeInfoList": [{
    "paymentCode": "28100100000000000000000000",
    "codeValidityStartTime": "2019-11-27T12:01:01+08:00",
    "codeExpiryTime": "2019-11-27T12:02:01+08:00"
  }, {
    "paymentCode": "28100100000000000000000001",
    "codeValidityStartTime": "2019-11-27T12:01:01+08:00",
    "codeExpiryTime": "2019-11-27T12:02:01+08:00"
  }]
}`,
	// seed 001: pay request and response.
	`{
  "order": {
    "referenceOrderId": "OrderID_010101****",
    "orderDescription": "SHOES",
    "orderAmount": {
      "value": "100",
      "currency": "JPY"
    },
    "merchant": {
      "referenceMerchantId": "M00xxxxx0001",
      "merchantMCC": "5411",
      "merchantName": "UGG",
      "merchantAddress": {
        "region": "JP",
        "city": "xxx"
      },
      "store": {
        "referenceStoreId": "S00xxxx0001",
        "storeName": "UGG-2",
        "storeMCC": "5411"
      }
    }
  },
  "acquirerId": "102218800000000****",
  "pspId": "102217200000000****",
  "paymentRequestId": "201811291907410100070000007****",
  "paymentAmount": {
    "value": "100",
    "currency": "JPY"
  },
  "paymentMethod": {
    "paymentMethodType": "CONNECT_WALLET",
    "paymentMethodId": "281006050000000000125733DAHJ****",
    "customerId":"2160xxxxxxxxxxx1"
  },
  "payToAmount": {
    "value": "1000",
    "currency": "KRW"
  },
  "paymentQuote": {
    "quoteId": "1234567",
    "quoteCurrencyPair": "JPY/KRW",
    "quotePrice": "10.0000"
  },
  "paymentFactor": {
    "isInStorePayment": "true"
  }
}`,
	`{
 "result": {
    "resultCode":"SUCCESS",
    "resultStatus":"S",
    "resultMessage":"Success"
 },
 "paymentId":"201xxxxxxxxxxxxxxxxxxxxxxx4444",
 "paymentTime": "2020-01-01T12:01:01+08:30",
 "customerId":"1234567"
}`,
	// The other message types.
	`{}`,
	`{"jarVersion":"1.2.1.20240506"}`, // the MPP SDK's inquiryCodeRules body
	`{"acquirerId":"1022188000000000001","pspId":"1022172000000000001","paymentRequestId":"PR-1"}`,
	`{"acquirerId":"a","pspId":"p","paymentRequestId":"PR-1","paymentId":"PAY-1","refundRequestId":"RF-1",` +
		`"refundAmount":{"currency":"JPY","value":"50"},"refundFromAmount":{"currency":"KRW","value":"500"},` +
		`"refundQuote":{"quoteId":"q","quotePrice":"10.0000"},"extendInfo":"{\"a\":\"b\"}"}`,
	`{"codeValue":"https://qr.alipay.com/281004040000000001","customerId":"u1","passThroughInfo":"{}"}`,
	`{"paymentResult":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"Success"},"paymentRequestId":"PR-1",` +
		`"paymentId":"PAY-1","paymentTime":"2025-02-20T08:51:49.09Z","paymentAmount":{"currency":"USD","value":"1234"},` +
		`"payToAmount":{"currency":"SGD","value":"1600"},"customerId":"u1"}`,
	// A pay request with every optional part filled in.
	`{"acquirerId":"1022188000000000001","pspId":"1022172000000000001","paymentRequestId":"PR-full",` +
		`"order":{"referenceOrderId":"O-1","orderDescription":"coffee","orderAmount":{"currency":"SGD","value":"450"},` +
		`"merchant":{"referenceMerchantId":"M1","merchantMCC":"5812","merchantName":"Kopi","merchantAddress":{"region":"SG","city":"Singapore"},` +
		`"store":{"referenceStoreId":"S1","storeName":"Kopi 1","storeMCC":"5812","storeAddress":{"region":"SG"}}},` +
		`"goods":[{"referenceGoodsId":"G1","goodsName":"latte","goodsUnitAmount":{"currency":"SGD","value":"450"},"goodsQuantity":"1"}],` +
		`"env":{"storeTerminalId":"T1","storeTerminalRequestTime":"2025-02-20T08:51:49+08:00"}},` +
		`"paymentAmount":{"currency":"SGD","value":"450"},"payToAmount":{"currency":"USD","value":"333"},` +
		`"paymentQuote":{"quoteId":"Q1","quoteCurrencyPair":"SGD/USD","quotePrice":"0.74"},` +
		`"paymentMethod":{"paymentMethodType":"CONNECT_WALLET","paymentMethodId":"281006020000000000125733","customerId":"u1"},` +
		`"paymentFactor":{"isInStorePayment":"true","inStorePaymentScenario":"PaymentCode"},` +
		`"paymentExpiryTime":"2025-02-20T09:00:00+08:00","paymentNotifyUrl":"https://acq.example/notify",` +
		`"settlementStrategy":{"settlementCurrency":"USD"},"surchargeInfo":{"surchargeAmount":{"currency":"SGD","value":"10"}},` +
		`"paymentPromoInfo":{"paymentPromoDetails":[{"promoId":"P1","savingsAmount":{"currency":"SGD","value":"50"}}]},` +
		`"passThroughInfo":"{\"k\":\"v\"}","customsDeclarationAmount":{"currency":"SGD","value":"450"}}`,
	`{"paymentResult":{"resultCode":"USER_BALANCE_NOT_ENOUGH","resultStatus":"F"},"paymentRequestId":"PR-2"}`,
	`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"acquirerId":"a","pspId":"p","codeType":"ORDER_CODE",` +
		`"paymentRequestId":"PR-3","order":{"orderDescription":"coffee","orderAmount":{"currency":"SGD","value":"450"},` +
		`"goods":[{"goodsName":"latte","goodsUnitAmount":{"currency":"SGD","value":"450"},"goodsQuantity":"1"}],` +
		`"env":{"storeTerminalId":"T1"}},"paymentAmount":{"currency":"SGD","value":"450"},` +
		`"payToAmount":{"currency":"USD","value":"333"},"paymentQuote":{"quoteCurrencyPair":"SGD/USD","quotePrice":"0.74"},` +
		`"paymentPromoInfo":{"paymentPromoDetails":[{"promoId":"P1","savingsAmount":{"currency":"SGD","value":"50"}}]},` +
		`"surchargeInfo":{"surchargeAmount":{"currency":"SGD","value":"10"}},"settlementStrategy":{"settlementCurrency":"USD"},` +
		`"actionForm":{"actionType":"NONE"},"paymentExpiryTime":"2025-02-20T09:00:00+08:00"}`,
	`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentResult":{"resultCode":"SUCCESS","resultStatus":"S"},` +
		`"paymentId":"PAY-1","paymentTime":"2019-11-27T12:01:01+08:00","paymentAmount":{"currency":"JPY","value":"100"}}`,
	`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"refundId":"RF-1","refundTime":"2019-11-27T12:01:01+08:00"}`,
	`{"result":{"resultCode":"PARAM_ILLEGAL","resultStatus":"F","resultMessage":"x"}}`,
	// Lenient shapes (wire_test.go, mpp_badinput_test.go).
	`{"customerId":"c","codeQuantity":3}`,
	`{"customerId":"c","codeQuantity":null}`,
	`{"customerId":"c","region":""}`,
	`{"customerId":"c","env":{"deviceTokenId":12,"osType":""}}`,
	`{"customerId":true}`,
	`{"customerId":"c","futureField":{"x":1}}`,
	`{"acquirerId":"a","pspId":"p","order":{"merchant":{"merchantName":"UGG"}},"paymentRequestId":"PR-n",` +
		`"paymentAmount":{"currency":"JPY","value":100},"payToAmount":{"currency":"KRW","value":1000},` +
		`"paymentMethod":{"paymentMethodType":"CONNECT_WALLET","paymentMethodId":"2810","customerId":"u1"},` +
		`"paymentFactor":{"isInStorePayment":true}}`,
	`{"customerId":"c"} {}`,
	`{"customerId":{"a":"b"}}`,
	`{"env":"x"}`,
	`{"order":{"goods":[]}}`,
	`{"paymentAmount":{"currency":"USD","value":"12.34"}}`,
	`{"paymentAmount":{"currency":"USD","value":1e400}}`,
	`{"CUSTOMERID":"c","customerId":"d"}`,
	`nope`,
	`[]`,
	``,
}

// FuzzDecodeMessages decodes a body into one message type (picked by
// kind). Decode must never panic, and an error says what is wrong. When a
// request decodes (with no "" field, as the server demands) and validates,
// its Encode is a body that follows the convention (no violation at all)
// and decodes, validates and encodes back to the same value and bytes. For
// every type, an accepted body's encoding is a fixed point.
func FuzzDecodeMessages(f *testing.F) {
	seeds := slices.Clone(messageSeeds)
	// Real rules of every kind: PREFIX and REGEX, OPEN_URL and DECODE,
	// EMVCO with extendInfo constraints, primitive tags, URL extraction.
	seeds = append(seeds, sandboxExcerpt(f, 0, 14, 23, 29), sandboxExcerpt(f, 2, 19, 27, 38, 42))
	for _, s := range seeds {
		for kind := range wireTypes {
			f.Add(uint8(kind), []byte(s))
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, body []byte) {
		if len(body) > maxFuzzBody {
			return // big inputs only slow the search (and its minimisation) down
		}
		checkRoundTrip(t, wireTypes[int(kind)%len(wireTypes)], body)
	})
}

// checkRoundTrip holds one message type to FuzzDecodeMessages's laws.
func checkRoundTrip(t *testing.T, wt wireType, body []byte) {
	t.Helper()
	v := wt.new()
	vs, err := alipayplus.Decode(body, v)
	if err != nil {
		if err.Error() == "" {
			t.Fatalf("%s: empty error", wt.name)
		}
		return
	}
	for _, x := range vs {
		if x.Field == "" || (x.Kind != alipayplus.EmptyString && x.Kind != alipayplus.NotString) {
			t.Fatalf("%s: odd violation %+v", wt.name, x)
		}
	}
	enc, err := alipayplus.Encode(v)
	if err != nil {
		t.Fatalf("%s: Encode of a decoded value: %v", wt.name, err)
	}
	v2 := wt.new()
	vs2, err := alipayplus.Decode(enc, v2)
	if err != nil {
		t.Fatalf("%s: re-decode of %s: %v", wt.name, enc, err)
	}
	enc2, err := alipayplus.Encode(v2)
	if err != nil || string(enc2) != string(enc) {
		t.Fatalf("%s: encoding is not a fixed point:\n%s\n%s (%v)", wt.name, enc, enc2, err)
	}
	if !wt.request || hasEmpty(vs) {
		return
	}
	val, ok := v.(interface{ Validate() error })
	if !ok {
		t.Fatalf("%s has no Validate", wt.name)
	}
	if val.Validate() != nil {
		return
	}
	if len(vs2) != 0 {
		t.Fatalf("%s: Encode of a valid request breaks the body convention: %v\nbody %s", wt.name, vs2, enc)
	}
	if err := v2.(interface{ Validate() error }).Validate(); err != nil {
		t.Fatalf("%s: valid request invalid after a round trip: %v\nbody %s", wt.name, err, enc)
	}
	if !reflect.DeepEqual(emptySlicesToNil(v), emptySlicesToNil(v2)) {
		t.Fatalf("%s: round trip changed the value:\n%+v\n%+v", wt.name, v, v2)
	}
}

// maxFuzzBody caps the bodies the decoding targets look at.
const maxFuzzBody = 8 << 10

// sandboxExcerpt returns an inquiryCodeRules answer holding the sandbox
// rules at the given positions, each exactly as the sandbox sent it
// (numbers and booleans included).
func sandboxExcerpt(tb testing.TB, idx ...int) string {
	tb.Helper()
	var all struct {
		Result    json.RawMessage   `json:"result"`
		CodeRules []json.RawMessage `json:"codeRules"`
		Version   json.RawMessage   `json:"version"`
	}
	if err := json.Unmarshal(assets.SandboxCodeRules, &all); err != nil {
		tb.Fatal(err)
	}
	picked := all.CodeRules[:0:0]
	for _, i := range idx {
		picked = append(picked, all.CodeRules[i])
	}
	all.CodeRules = picked
	b, err := json.Marshal(all)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

func hasEmpty(vs []alipayplus.Violation) bool {
	for _, v := range vs {
		if v.Kind == alipayplus.EmptyString {
			return true
		}
	}
	return false
}

// emptySlicesToNil sets every empty slice reachable from v (a pointer to a
// wire struct) to nil, in place, and returns v: omitempty drops an empty
// slice, so [] and absent are the same message.
func emptySlicesToNil(v any) any {
	var walk func(reflect.Value)
	walk = func(x reflect.Value) {
		switch x.Kind() {
		case reflect.Pointer:
			if !x.IsNil() {
				walk(x.Elem())
			}
		case reflect.Struct:
			for i := range x.NumField() {
				walk(x.Field(i))
			}
		case reflect.Slice:
			if x.Len() == 0 {
				if !x.IsNil() && x.CanSet() {
					x.Set(reflect.Zero(x.Type()))
				}
				return
			}
			for i := range x.Len() {
				walk(x.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(v))
	return v
}
