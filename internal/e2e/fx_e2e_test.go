package e2e_test

import (
	"context"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// TestChargeWithoutAnFXRateIsDeclined: a currency the FX table cannot
// convert is a protocol result the merchant sees (F CURRENCY_NOT_SUPPORT),
// not an error; the wallet is not called and the code stays usable.
func TestChargeWithoutAnFXRateIsDeclined(t *testing.T) {
	// A table without ZAR (the built-in one has every ISO 4217 currency).
	noZAR, err := simulator.NewFX(map[string]string{"USD": "1", "JPY": "150"})
	if err != nil {
		t.Fatal(err)
	}
	n := newNetworkWith(t, simulator.Config{Timing: fastTiming, FX: noZAR})
	n.addUser("alice", "100.00", "USD", nil)
	code := n.codes("alice", 1)[0].PaymentCode
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := n.sim.Charge(ctx, simulator.ChargeRequest{Code: code, Amount: moneyOf(t, "100.00", "ZAR")})
	if err != nil {
		t.Fatalf("charge: %v, want a declined payment", err)
	}
	if p.Status != simulator.StatusFail || p.Result.ResultCode != "CURRENCY_NOT_SUPPORT" {
		t.Fatalf("payment %s %+v, want FAIL CURRENCY_NOT_SUPPORT", p.Status, p.Result)
	}
	if got := n.balance("alice"); got != moneyOf(t, "100.00", "USD") {
		t.Errorf("balance %s, want it untouched", got)
	}
	// The code was not spent: it pays in a currency the table has.
	if p := charge(t, n, code, "1500", "JPY"); p.Status != simulator.StatusSuccess {
		t.Errorf("the same code in JPY: %s %+v", p.Status, p.Result)
	}
}

// TestBuiltInFXCoversEveryCurrency: a merchant charging in any ISO 4217
// currency the ledger accepts is converted for a USD wallet.
func TestBuiltInFXCoversEveryCurrency(t *testing.T) {
	n := newNetwork(t, fastTiming)
	n.addUser("alice", "1000000.00", "USD", nil)
	for _, cur := range []string{"ZAR", "BRL", "MXN", "TRY", "CLF", "KWD", "XOF"} {
		p := charge(t, n, n.codes("alice", 1)[0].PaymentCode, "100", cur)
		if p.Status != simulator.StatusSuccess || p.Quote == nil || p.Quote.QuoteCurrencyPair != cur+"/USD" {
			t.Errorf("%s: %s %+v quote %+v", cur, p.Status, p.Result, p.Quote)
		}
	}
}
