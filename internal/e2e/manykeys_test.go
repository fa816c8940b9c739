package e2e_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// manyKeyBody is a hostile body of about 20,000 keys, just under the
// servers' limit (alipayplus.MaxBodyBytes).
func manyKeyBody() []byte {
	b := []byte(`{"paymentRequestId":"PR-MANY"`)
	for i := 0; len(b) < alipayplus.MaxBodyBytes-40; i++ {
		b = fmt.Appendf(b, `,"k%d":"v"`, i)
	}
	return append(b, '}')
}

// TestManyKeyBodiesAreCheap: a body of ~20k keys at the size limit, sent to the
// simulator's unsigned inquiryCodeRules and (signed by Alipay+) to the
// wallet's inquiryPayment, is answered quickly. The duplicate-key check
// was quadratic: such a body cost the wallet 11 s of CPU and the simulator
// about 20 s. The bound is loose (the race detector slows everything
// down); the figures are in BenchmarkDecodeManyKeys.
func TestManyKeyBodiesAreCheap(t *testing.T) {
	n := newNetwork(t, fastTiming)
	body := manyKeyBody()
	const bound = 4 * time.Second
	cases := []struct {
		name, url, path, clientID string
		want                      string
	}{
		{"simulator inquiryCodeRules, unsigned", n.simURL, alipayplus.PathInquiryCodeRules, mppClientID, "SUCCESS"},
		{"wallet inquiryPayment", n.mppURL, alipayplus.PathInquiryPayment, mppClientID, "PARAM_ILLEGAL"}, // decoded, then validated
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			key := n.alipayKey
			start := time.Now()
			resp, b := testkit.Raw{Method: http.MethodPost, URL: c.url, Path: c.path, Body: body, ClientID: c.clientID, Key: key,
				Time: alipayplus.FormatTime(n.clock.Now())}.Send(t)
			took := time.Since(start)
			if resp.StatusCode != http.StatusOK || len(b) == 0 {
				t.Fatalf("HTTP %d %s", resp.StatusCode, b)
			}
			var r alipayplus.Response
			if err := json.Unmarshal(b, &r); err != nil || r.Result.ResultCode != c.want {
				t.Errorf("answer %.200s, want %s", b, c.want)
			}
			if took > bound {
				t.Errorf("a body of many keys took %s, want well under %s", took, bound)
			}
			t.Logf("answered in %s: %.120s", took, b)
		})
	}
}
