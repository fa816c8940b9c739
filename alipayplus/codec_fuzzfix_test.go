package alipayplus_test

import (
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// TestDecodeNamesEmptyKey: a field whose name is "" is still named in the
// violation, so the PARAM_ILLEGAL message says which field (found by
// FuzzDecodeMessages: the message was ` is "": omit optional fields ...`).
func TestDecodeNamesEmptyKey(t *testing.T) {
	for body, want := range map[string]string{
		`{"":""}`:                 `"" is "": omit optional fields or send null`,
		`{"env":{"":""}}`:         `env."" is "": omit optional fields or send null`,
		`{"customerId":"c","":1}`: `"" is 1: Alipay+ sends every scalar as a string`,
	} {
		vs, err := alipayplus.Decode([]byte(body), &alipayplus.GetPaymentCodeRequest{})
		if err != nil || len(vs) != 1 || vs[0].String() != want {
			t.Errorf("Decode(%s): violations %v, %v; want %q", body, vs, err, want)
		}
	}
}
