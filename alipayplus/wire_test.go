package alipayplus_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

func TestDecodeLenient(t *testing.T) {
	cases := []struct {
		name       string
		body       string
		wantQty    string
		wantCust   string
		violations []string // "field kind"
		wantErr    string
	}{
		{"strings", `{"customerId":"c","codeQuantity":"3"}`, "3", "c", nil, ""},
		{"number", `{"customerId":"c","codeQuantity":3}`, "3", "c", []string{"codeQuantity not-a-string"}, ""},
		{"null optional", `{"customerId":"c","codeQuantity":null}`, "", "c", nil, ""},
		{"empty optional", `{"customerId":"c","region":""}`, "", "c", []string{"region empty-string"}, ""},
		{"nested", `{"customerId":"c","env":{"deviceTokenId":12,"osType":""}}`, "", "c",
			[]string{"env.deviceTokenId not-a-string", "env.osType empty-string"}, ""},
		{"boolean", `{"customerId":true}`, "", "true", []string{"customerId not-a-string"}, ""},
		{"unknown fields kept out", `{"customerId":"c","futureField":{"x":1}}`, "", "c", []string{"futureField.x not-a-string"}, ""},
		{"not JSON", `nope`, "", "", nil, "not a JSON object"},
		{"array", `[]`, "", "", nil, "not a JSON object"},
		{"trailing data", `{"customerId":"c"} {}`, "", "", nil, "not a JSON object"},
		{"object for string", `{"customerId":{"a":"b"}}`, "", "", nil, "customerId: a JSON object cannot be a string"},
		{"string for object", `{"env":"x"}`, "", "", nil, "env: a JSON string cannot be a object"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var req alipayplus.GetPaymentCodeRequest
			vs, err := alipayplus.Decode([]byte(c.body), &req)
			if c.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), c.wantErr) {
					t.Fatalf("got %v, want error containing %q", err, c.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if req.CodeQuantity != c.wantQty || req.CustomerID != c.wantCust {
				t.Errorf("got qty %q customer %q, want %q %q", req.CodeQuantity, req.CustomerID, c.wantQty, c.wantCust)
			}
			var got []string
			for _, v := range vs {
				got = append(got, v.Field+" "+string(v.Kind))
			}
			if strings.Join(got, ",") != strings.Join(c.violations, ",") {
				t.Errorf("violations %v, want %v", got, c.violations)
			}
		})
	}
	if _, err := alipayplus.Decode([]byte("nope"), &alipayplus.GetPaymentCodeRequest{}); !errors.Is(err, alipayplus.ErrNotJSON) {
		t.Errorf("got %v, want ErrNotJSON", err)
	}
}

func TestAmountMoney(t *testing.T) {
	cases := []struct {
		amount alipayplus.Amount
		want   string // formatted, or error substring after "err:"
	}{
		{alipayplus.Amount{Currency: "JPY", Value: "100"}, "100 JPY"},
		{alipayplus.Amount{Currency: "USD", Value: "1234"}, "12.34 USD"},
		{alipayplus.Amount{Currency: "KWD", Value: "1234"}, "1.234 KWD"},
		{alipayplus.Amount{Currency: "BHD", Value: "5"}, "0.005 BHD"},
		{alipayplus.Amount{Currency: "USD", Value: "0"}, "0.00 USD"},
		{alipayplus.Amount{Currency: "USD", Value: "12.34"}, "err:not a whole number"},
		{alipayplus.Amount{Currency: "USD", Value: "-5"}, "err:not a whole number"},
		{alipayplus.Amount{Currency: "USD", Value: "+5"}, "err:not a whole number"},
		{alipayplus.Amount{Currency: "USD", Value: "1e3"}, "err:not a whole number"},
		{alipayplus.Amount{Currency: "USD", Value: ""}, "err:required"},
		{alipayplus.Amount{Currency: "USD", Value: "9223372036854775808"}, "err:too large"},
		{alipayplus.Amount{Currency: "XYZ", Value: "1"}, "err:ISO 4217"},
		{alipayplus.Amount{Currency: "usd", Value: "1"}, "err:ISO 4217"},
	}
	for _, c := range cases {
		t.Run(c.amount.Currency+"/"+c.amount.Value, func(t *testing.T) {
			m, err := c.amount.Money()
			if want, ok := strings.CutPrefix(c.want, "err:"); ok {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Errorf("got %v, %v; want error containing %q", m, err, want)
				}
				return
			}
			if err != nil || m.String() != c.want {
				t.Errorf("got %v, %v; want %s", m, err, c.want)
			}
			if back := alipayplus.AmountOf(m); *back != c.amount {
				t.Errorf("round trip: got %+v, want %+v", back, c.amount)
			}
		})
	}
}

func TestParseTime(t *testing.T) {
	want := time.Date(2019, 11, 27, 4, 1, 1, 0, time.UTC)
	cases := []struct {
		in    string
		want  time.Time
		valid bool
	}{
		{"2019-11-27T12:01:01+08:00", want, true},
		{"2019-11-27T04:01:01Z", want, true},
		{"2019-11-27T04:01:01.000Z", want, true},
		{"2025-02-20T08:51:49.09Z", time.Date(2025, 2, 20, 8, 51, 49, 90_000_000, time.UTC), true},
		{"2019-11-27T12:01:01+0800", want, true},
		{"2019-11-27 12:01:01", time.Time{}, false},
		{"2019-11-27T12:01:01", time.Time{}, false},
		{"1574827261000", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, c := range cases {
		got, err := alipayplus.ParseTime(c.in)
		if c.valid != (err == nil) || (c.valid && !got.Equal(c.want)) {
			t.Errorf("ParseTime(%q) = %v, %v; want %v valid=%v", c.in, got, err, c.want, c.valid)
		}
	}
	if got := alipayplus.FormatTime(time.Date(2019, 11, 27, 12, 1, 1, 0, time.FixedZone("", 8*3600))); got != "2019-11-27T12:01:01+08:00" {
		t.Errorf("FormatTime = %s", got)
	}
	if got := alipayplus.FormatTime(want); got != "2019-11-27T04:01:01+00:00" {
		t.Errorf("FormatTime(UTC) = %s, want an explicit +00:00 offset", got)
	}
}

func TestPayRequestValidation(t *testing.T) {
	if err := testkit.PayRequest("PR-1", "u1").Validate(); err != nil {
		t.Fatalf("the seed sample must be valid: %v", err)
	}
	r := testkit.PayRequest("", "")
	r.PayToAmount = nil
	r.PaymentExpiryTime = "soon"
	err := r.Validate()
	for _, want := range []string{"paymentRequestId is required", "payToAmount is required", "paymentMethod.customerId is required", "paymentExpiryTime"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("got %v, want it to mention %q", err, want)
		}
	}
}
