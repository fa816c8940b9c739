package e2e_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
)

// adminToken is the token of the guarded network's admin API.
const adminToken = "e2e-admin-token-kept-in-the-data-dir-0123"

// TestAdminAPIRefusesBrowsersAndStrangers replays what a web page on the
// tester's machine did to the simulator, and what a DNS-rebinding page
// would: cross-origin text/plain POSTs that add a fault, create an order,
// charge a live code and refund a payment; a preflight; a read of the live
// payment codes through a Host naming the attacker's domain; and calls
// without the token or with a wrong one. Each is refused with a JSON
// error, shows no code and changes nothing; then the merchant's own client,
// with the token, charges the same code.
func TestAdminAPIRefusesBrowsersAndStrangers(t *testing.T) {
	n := newNetworkWith(t, simulator.Config{Timing: fastTiming, AdminToken: adminToken, AdminTokenHint: "DATA/keys/sim/admin.token"})
	n.addUser("alice", "100.00", "USD", nil)
	paid := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "10.00", "USD")
	live := n.codes("alice", 1)[0].PaymentCode
	host := strings.TrimPrefix(n.simURL, "http://")
	port := host[strings.LastIndex(host, ":")+1:]
	evil := map[string]string{"Origin": "http://evil.example", "Content-Type": "text/plain"}
	withToken := func(h map[string]string) map[string]string {
		out := map[string]string{"Authorization": "Bearer " + adminToken}
		for k, v := range h {
			out[k] = v
		}
		return out
	}
	chargeBody := `{"code":"` + live + `","amount":"20.00","currency":"USD"}`
	for _, c := range []struct {
		name, method, path, body string
		header                   map[string]string
		want                     int
	}{
		{"a page adds a fault", "POST", "/sim/faults", `{"spec":"pay:drop"}`, evil, 403},
		{"a page creates an order", "POST", "/sim/orders", `{"amount":"5.00"}`, evil, 403},
		{"a page charges a live code", "POST", "/sim/charge", chargeBody, evil, 403},
		{"a page refunds a payment", "POST", "/sim/payments/" + paid.RequestID + "/refund", `{"amount":"10.00"}`, evil, 403},
		{"a page that somehow has the token", "POST", "/sim/charge", chargeBody, withToken(evil), 403},
		{"a sandboxed page (Origin null)", "POST", "/sim/faults", `{"spec":"pay:drop"}`, map[string]string{"Origin": "null", "Content-Type": "text/plain"}, 403},
		{"a CORS preflight", "OPTIONS", "/sim/charge", "", map[string]string{"Origin": "http://evil.example",
			"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization,content-type"}, 403},
		{"DNS rebinding reads the codes", "GET", "/sim/codes", "", map[string]string{"Host": "evil.example:" + port}, 421},
		{"DNS rebinding with the token", "GET", "/sim/codes", "", withToken(map[string]string{"Host": "evil.example:" + port}), 421},
		{"DNS rebinding charges", "POST", "/sim/charge", chargeBody, withToken(map[string]string{"Host": "evil.example:" + port}), 421},
		{"no token reads the codes", "GET", "/sim/codes", "", nil, 401},
		{"no token charges", "POST", "/sim/charge", chargeBody, map[string]string{"Content-Type": "application/json"}, 401},
		{"a wrong token charges", "POST", "/sim/charge", chargeBody, map[string]string{"Authorization": "Bearer not-the-token"}, 401},
		{"the token in the query", "GET", "/sim/codes?token=" + adminToken, "", nil, 401},
	} {
		t.Run(c.name, func(t *testing.T) {
			before := n.simState()
			req, err := http.NewRequest(c.method, n.simURL+c.path, strings.NewReader(c.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range c.header {
				if k == "Host" {
					req.Host = v
				} else {
					req.Header.Set(k, v)
				}
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			body := string(b)
			if resp.StatusCode != c.want || !strings.HasPrefix(body, `{"error":"`) {
				t.Errorf("HTTP %d %s, want %d with a JSON error", resp.StatusCode, body, c.want)
			}
			if c.want == 401 && (!strings.HasPrefix(resp.Header.Get("WWW-Authenticate"), "Bearer") || !strings.Contains(body, "DATA/keys/sim/admin.token")) {
				t.Errorf("401 with WWW-Authenticate %q and %s, want Bearer and where the token is", resp.Header.Get("WWW-Authenticate"), body)
			}
			for k := range resp.Header {
				if strings.HasPrefix(k, "Access-Control-") {
					t.Errorf("the answer carries %s", k)
				}
			}
			if strings.Contains(body, live) || strings.Contains(body, adminToken) {
				t.Errorf("the refusal shows the live code or the token: %s", body)
			}
			if after := n.simState(); after != before {
				t.Errorf("the state changed: %s", stateDiff(before, after))
			}
		})
	}
	if got := n.balance("alice"); got != moneyOf(t, "90.00", "USD") {
		t.Errorf("alice has %v after the attacks, want 90.00 USD", got)
	}

	// The merchant's client, with the token, charges the code the page
	// could not.
	admin := simclient.New(n.simURL, simclient.WithToken(adminToken))
	p, err := admin.Charge(context.Background(), simulator.ChargeBody{Code: live, AdminMoney: simulator.AdminMoney{Amount: "20.00", Currency: "USD"}})
	if err != nil || p.Status != simulator.StatusSuccess {
		t.Fatalf("the merchant's charge with the token: %+v %v", p.Status, err)
	}
	if got := n.balance("alice"); got != moneyOf(t, "70.00", "USD") {
		t.Errorf("alice has %v, want 70.00 USD", got)
	}
	if _, err := simclient.New(n.simURL).Payments(context.Background()); err == nil {
		t.Errorf("a client without the token read the payments")
	}
	resp, err := http.Get(n.simURL + "/sim/health")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("health without a token: HTTP %d, want 200", resp.StatusCode)
	}
}
