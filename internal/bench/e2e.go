package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// openingBalance is every benchmark user's balance, in USD cents: enough
// for any run.
const openingBalance = 1_000_000_000_00

// chargeAmount is what each payment costs: 1.00 USD (not a magic amount).
const chargeAmount, chargeMinor = "1.00", 100

// endToEnd drives payments the way a merchant does: POST /sim/charge with
// a payment code, which makes Alipay+ send the wallet a signed pay, verify
// the signed answer and report the final result. The timed call is the
// charge (it includes the pay call and everything around it).
func endToEnd(ctx context.Context, cfg Config, st *Stack, cores int) (View, error) {
	users, err := st.AddUsers(ctx, "e2e", 16, openingBalance)
	if err != nil {
		return View{}, err
	}
	cfg.progress("fetching %d payment codes (getPaymentCode, outside the timed passes)", cfg.total())
	codes, err := st.FetchCodes(ctx, users, cfg.total())
	if err != nil {
		return View{}, err
	}
	lc, err := newLoadClient(st.SimURL, maxInFlight(cfg.Concurrency))
	if err != nil {
		return View{}, err
	}
	defer lc.close()
	reqs := make([][]byte, len(codes))
	for i, c := range codes {
		body, _ := json.Marshal(simulator.ChargeBody{Code: c.Value,
			AdminMoney: simulator.AdminMoney{Amount: chargeAmount, Currency: "USD"}})
		reqs[i] = lc.request("/sim/charge", http.Header{"Content-Type": {"application/json"}}, body)
	}
	charge := func(off int) Op {
		return func(_ context.Context, i int) error { return chargeOnce(lc, reqs[off+i]) }
	}
	calls := timePayCalls(st.Sim, cfg.Payments)
	defer calls.close()
	return passes(ctx, cfg, "end to end", "endToEnd", charge, cores, st.AlipayKey, calls)
}

// chargeOnce makes one charge and checks that it was paid.
func chargeOnce(lc *loadClient, req []byte) error {
	status, _, raw, err := lc.do(req)
	if err != nil {
		return err
	}
	var p struct {
		Status simulator.PaymentStatus `json:"status"`
		Result struct {
			ResultCode string `json:"resultCode"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || status != http.StatusOK {
		return fmt.Errorf("charge: HTTP %d: %.200s", status, raw)
	}
	if p.Status != simulator.StatusSuccess {
		return fmt.Errorf("charge: %s %s", p.Status, p.Result.ResultCode)
	}
	return nil
}
