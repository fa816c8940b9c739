package simclient_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// newSim serves a real simulator (no wallet registered) on loopback.
func newSim(t *testing.T) (*simulator.Simulator, *simclient.Client) {
	t.Helper()
	return newSimWith(t, simulator.Config{})
}

// newSimWith is newSim with more of the simulator's configuration (its key
// is the test key).
func newSimWith(t *testing.T, cfg simulator.Config) (*simulator.Simulator, *simclient.Client) {
	t.Helper()
	cfg.Key = testkit.Key(t, "private.pem")
	sim, err := simulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sim.Close)
	srv := httptest.NewServer(sim.Handler())
	t.Cleanup(srv.Close)
	sim.SetURL(srv.URL)
	return sim, simclient.New(srv.URL + "/")
}

// Fault rules round-trip: added in the flag syntax with who added them,
// listed, removed one by one and all at once.
func TestFaultRules(t *testing.T) {
	sim, c := newSim(t)
	ctx := context.Background()
	r, err := c.AddFault(ctx, "pay:drop,count=1", "ui")
	if err != nil {
		t.Fatal(err)
	}
	if r.ID == 0 || r.Source != "ui" || r.API != "pay" || !r.Drop {
		t.Errorf("stored rule %+v, want pay drop from ui with an id", r)
	}
	if _, err := c.AddFault(ctx, "notifyPayment:result=U/UNKNOWN_EXCEPTION", ""); err != nil {
		t.Fatal(err)
	}
	rules, err := c.Faults(ctx)
	if err != nil || len(rules) != 2 || rules[1].Source != "admin" {
		t.Fatalf("Faults() = %+v, %v; want 2 rules, the second from admin", rules, err)
	}
	if err := c.RemoveFault(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	var e *simclient.Error
	if err := c.RemoveFault(ctx, r.ID); !errors.As(err, &e) || e.Status != http.StatusNotFound || !strings.Contains(e.Message, "no fault rule") {
		t.Errorf("removing it again: %v, want a 404 saying there is no such rule", err)
	}
	if err := c.ClearFaults(ctx); err != nil {
		t.Fatal(err)
	}
	if n := len(sim.Faults().List()); n != 0 {
		t.Errorf("%d rules left after ClearFaults", n)
	}
	if _, err := c.AddFault(ctx, "pay:bogus", ""); !errors.As(err, &e) || e.Status != http.StatusBadRequest {
		t.Errorf("a bad spec: %v, want the simulator's 400", err)
	}
}

// A code the simulator never issued is refused before any wallet is asked,
// with the Alipay+ result code the merchant tools print.
func TestChargeRefusedCarriesResultCode(t *testing.T) {
	_, c := newSim(t)
	_, err := c.Charge(context.Background(), simulator.ChargeBody{Code: "281999999999999999999999",
		AdminMoney: simulator.AdminMoney{Amount: "1.00", Currency: "USD"}})
	var e *simclient.Error
	if !errors.As(err, &e) || e.ResultCode == "" {
		t.Fatalf("charge of an unknown code: %v, want an Error with a result code", err)
	}
	if !strings.HasPrefix(err.Error(), e.ResultCode+": ") {
		t.Errorf("error %q does not lead with the result code", err)
	}
}

// Orders, payments and the transcript come back as the simulator keeps
// them; since pages the transcript.
func TestOrdersPaymentsTranscript(t *testing.T) {
	_, c := newSim(t)
	ctx := context.Background()
	o, err := c.CreateOrder(ctx, simulator.OrderBody{AdminMoney: simulator.AdminMoney{Amount: "9.90", Currency: "USD"}})
	if err != nil || o.CodeValue == "" {
		t.Fatalf("CreateOrder = %+v, %v", o, err)
	}
	ps, err := c.Payments(ctx)
	if err != nil || len(ps) != 0 {
		t.Errorf("Payments() = %d, %v; want none yet", len(ps), err)
	}
	// An unsigned call to the simulator's Alipay+ side is recorded.
	resp, err := http.Post(c.URL()+"/aps/api/v1/codes/inquiryCodeRules", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	all, err := c.Transcript(ctx, 0)
	if err != nil || len(all) == 0 {
		t.Fatalf("Transcript(0) = %d entries, %v", len(all), err)
	}
	after, err := c.Transcript(ctx, all[len(all)-1].Seq)
	if err != nil || len(after) != 0 {
		t.Errorf("Transcript(last) = %d entries, %v; want none", len(after), err)
	}
}

// A gateway that is no simulator, or nothing at all, gives one clear line.
func TestNotASimulator(t *testing.T) {
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	_, err := simclient.New(other.URL).Faults(context.Background())
	if err == nil || !strings.Contains(err.Error(), "is it a simulator?") || strings.Contains(err.Error(), "\n") {
		t.Errorf("a plain 404 server: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	_, err = simclient.New("http://" + addr).Payments(context.Background())
	if !errors.Is(err, simclient.ErrUnreachable) || !strings.Contains(err.Error(), addr) {
		t.Errorf("nothing listening: %v, want ErrUnreachable naming %s", err, addr)
	}
}

// WithToken sends the simulator's admin token; without it the call fails
// with the simulator's 401, which says where the token is.
func TestToken(t *testing.T) {
	const tok = "a-token-of-the-simulator-0123456789"
	sim, open := newSimWith(t, simulator.Config{AdminToken: tok, AdminTokenHint: "DATA/keys/sim/admin.token"})
	base := open.URL()
	ctx := context.Background()
	if _, err := simclient.New(base, simclient.WithToken(tok)).AddFault(ctx, "pay:drop,count=1", ""); err != nil {
		t.Fatalf("with the token: %v", err)
	}
	for name, c := range map[string]*simclient.Client{
		"no token":      open,
		"another token": simclient.New(base, simclient.WithToken(tok+"x")),
	} {
		_, err := c.AddFault(ctx, "notifyPayment:drop", "")
		var e *simclient.Error
		if !errors.As(err, &e) || e.Status != http.StatusUnauthorized || !strings.Contains(e.Message, "DATA/keys/sim/admin.token") ||
			strings.Contains(e.Message, tok) {
			t.Errorf("%s: %v, want a 401 naming where the token is, not the token", name, err)
		}
	}
	if n := len(sim.Faults().List()); n != 1 {
		t.Errorf("%d fault rules, want the one added with the token", n)
	}
}
