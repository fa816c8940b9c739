package mpp_test

import (
	"encoding/json"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// TestResponsesFollowBodyConvention: every value the wallet answers with is
// a non-empty string or an object of them, as the body convention requires.
func TestResponsesFollowBodyConvention(t *testing.T) {
	h := newHarness(t)
	h.addUser("u1", "50000", "KRW", nil)
	var raw []byte
	c := alipayplus.NewClient(h.srv.URL, alipayplus.Signer{ClientID: testClientID, Key: h.alipayKey}, &h.mppKey.PublicKey,
		alipayplus.WithObserver(func(e alipayplus.Exchange) { raw = e.ResponseBody }))
	if _, err := c.Pay(t.Context(), testkit.PayRequest("PR-1", "u1")); err != nil {
		t.Fatal(err)
	}
	var tree map[string]any
	if err := json.Unmarshal(raw, &tree); err != nil {
		t.Fatal(err)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				walk(path+"."+k, e)
			}
		case string:
			if x == "" {
				t.Errorf("%s is \"\" in the response", path)
			}
		default:
			t.Errorf("%s is %T in the response, want a string", path, v)
		}
	}
	walk("", tree)
}
