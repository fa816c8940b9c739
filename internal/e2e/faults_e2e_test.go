package e2e_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// TestFaultsObservedByTheWallet: every kind of fault, set as a rule, shows
// up on the wallet's side as configured.
func TestFaultsObservedByTheWallet(t *testing.T) {
	gpc := &alipayplus.GetPaymentCodeRequest{CustomerID: "alice", Env: &alipayplus.Env{DeviceTokenID: "d1"}}
	cases := []struct {
		name  string
		rule  string
		check func(t *testing.T, n *network, c *alipayplus.Client)
	}{
		{"forced F", "getPaymentCode:result=F/ACCESS_DENIED,count=1", func(t *testing.T, n *network, c *alipayplus.Client) {
			_, err := c.GetPaymentCode(context.Background(), gpc)
			if apCode(err) != "ACCESS_DENIED" {
				t.Errorf("got %v, want ACCESS_DENIED", err)
			}
			if _, err := c.GetPaymentCode(context.Background(), gpc); err != nil {
				t.Errorf("count=1: the second call should pass, got %v", err)
			}
		}},
		{"forced U", "getPaymentCode:result=U/REQUEST_TRAFFIC_EXCEED_LIMIT", func(t *testing.T, n *network, c *alipayplus.Client) {
			_, err := c.GetPaymentCode(context.Background(), gpc)
			if !errors.Is(err, alipayplus.ErrUnknown) || apCode(err) != "REQUEST_TRAFFIC_EXCEED_LIMIT" {
				t.Errorf("got %v, want an unknown REQUEST_TRAFFIC_EXCEED_LIMIT after retries", err)
			}
		}},
		{"forced U then recovers", "getPaymentCode:result=U/UNKNOWN_EXCEPTION,count=2", func(t *testing.T, n *network, c *alipayplus.Client) {
			resp, err := c.GetPaymentCode(context.Background(), gpc)
			if err != nil || len(resp.PaymentCodeInfoList) != 1 {
				t.Errorf("got %v, want codes after the client retried twice", err)
			}
		}},
		{"dropped answer", "getPaymentCode:drop,count=1", func(t *testing.T, n *network, c *alipayplus.Client) {
			if _, err := c.GetPaymentCode(context.Background(), gpc); err != nil {
				t.Errorf("got %v, want the retry to succeed", err)
			}
			if got := len(n.sim.Codes("alice")); got != 2 {
				t.Errorf("%d codes issued, want 2 (the lost answer's and the retry's)", got)
			}
		}},
		{"latency", "getPaymentCode:delay=150ms,count=1", func(t *testing.T, n *network, c *alipayplus.Client) {
			start := time.Now()
			if _, err := c.GetPaymentCode(context.Background(), gpc); err != nil {
				t.Fatal(err)
			}
			if d := time.Since(start); d < 150*time.Millisecond {
				t.Errorf("answered in %s, want at least the 150ms delay", d)
			}
		}},
		{"corrupt signature", "getPaymentCode:badsig,count=1", func(t *testing.T, n *network, c *alipayplus.Client) {
			_, err := c.GetPaymentCode(context.Background(), gpc)
			if !errors.Is(err, alipayplus.ErrSignatureMismatch) {
				t.Errorf("got %v, want a response signature mismatch", err)
			}
		}},
		{"duplicate pay", "pay:dup,count=1", func(t *testing.T, n *network, c *alipayplus.Client) {
			p := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "3.00", "USD")
			if p.Status != simulator.StatusSuccess {
				t.Errorf("payment %s", p.Status)
			}
			if got := n.balance("alice"); got.Minor != 9700 {
				t.Errorf("balance %s, want 97.00 (debited once for two pays)", got)
			}
		}},
		{"pay answer replaced in transit", "pay:result=U/UNKNOWN_EXCEPTION,count=1", func(t *testing.T, n *network, c *alipayplus.Client) {
			p := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "4.00", "USD")
			if p.Status != simulator.StatusSuccess || !strings.Contains(stepText(p), "inquiryPayment → paymentResult S SUCCESS") {
				t.Errorf("payment %s, steps:\n%s\nwant SUCCESS found by inquiry", p.Status, stepText(p))
			}
			if got := n.balance("alice"); got.Minor != 9600 {
				t.Errorf("balance %s, want 96.00 (the wallet did take the payment)", got)
			}
		}},
		{"notify answered U", "notifyPayment:result=U/UNKNOWN_EXCEPTION,count=1", func(t *testing.T, n *network, c *alipayplus.Client) {
			o, _ := n.sim.CreateOrder(context.Background(), simulator.OrderRequest{Amount: moneyOf(t, "2.00", "USD")})
			uip, _ := mpmPay(t, n, o.CodeValue, "alice")
			if sp, _ := n.sim.Payment(uip.PaymentRequestID); sp.Status != simulator.StatusSuccess {
				t.Errorf("payment %s after the wallet retried notify", sp.Status)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newNetwork(t, fastTiming)
			n.addUser("alice", "100.00", "USD", nil)
			rule, err := simulator.ParseRule(c.rule)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := n.sim.Faults().Add(rule); err != nil {
				t.Fatal(err)
			}
			c.check(t, n, n.client)
		})
	}
}

func TestFaultRulesExpire(t *testing.T) {
	n := newNetwork(t, fastTiming)
	rule, _ := simulator.ParseRule("getPaymentCode:result=F/ACCESS_DENIED,ttl=1m")
	if _, err := n.sim.Faults().Add(rule); err != nil {
		t.Fatal(err)
	}
	gpc := &alipayplus.GetPaymentCodeRequest{CustomerID: "alice", Env: &alipayplus.Env{DeviceTokenID: "d1"}}
	if _, err := n.client.GetPaymentCode(context.Background(), gpc); apCode(err) != "ACCESS_DENIED" {
		t.Errorf("within the TTL: got %v", err)
	}
	n.clock.Add(61 * time.Second)
	if _, err := n.client.GetPaymentCode(context.Background(), gpc); err != nil {
		t.Errorf("after the TTL: got %v, want the fault gone", err)
	}
	if len(n.sim.Faults().List()) != 0 {
		t.Errorf("expired rule still listed: %+v", n.sim.Faults().List())
	}
}

func TestTranscriptRecordsBothDirections(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "100.00", "USD", nil)
	charge(t, n, n.codes("alice", 1)[0].PaymentCode, "1.00", "USD")
	var in, out bool
	for _, e := range n.sim.Transcript().Entries() {
		if e.API == simulator.APIGetPaymentCode && e.Direction == "in" && e.Signature == "ok" {
			in = true
		}
		if e.API == simulator.APIPay && e.Direction == "out" && e.Signature == "ok" && e.ResultCode == "SUCCESS" {
			out = true
		}
		if sig := e.RequestHeaders["Signature"]; sig != "" && !strings.Contains(sig, "sha256:") {
			t.Errorf("signature not redacted: %s", sig)
		}
	}
	if !in || !out {
		t.Errorf("transcript lacks the getPaymentCode (in) or pay (out) exchange: %+v", n.sim.Transcript().Entries())
	}
	if f := n.sim.Transcript().Findings(); len(f) != 0 {
		t.Errorf("our own wallet broke rules: %+v", f)
	}
}
