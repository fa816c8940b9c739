package cli

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// cliLedgerPayment is a payment as "payments list --json" prints it.
type cliLedgerPayment struct {
	RequestID   string     `json:"paymentRequestId"`
	PaymentID   string     `json:"paymentId"`
	CustomerID  string     `json:"customerId"`
	Status      string     `json:"status"`
	ResultCode  string     `json:"resultCode"`
	PayToAmount *cliAmount `json:"payToAmount"`
}

// cliLedgerPayments runs "payments list --user USER --json".
func cliLedgerPayments(t *testing.T, dir, user string) []cliLedgerPayment {
	t.Helper()
	stdout, stderr, code := runCLI(t, "", "payments", "list", "--data", dir, "--user", user, "--json")
	var ps []cliLedgerPayment
	if code != 0 || json.Unmarshal([]byte(stdout), &ps) != nil {
		t.Fatalf("payments list --json: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	return ps
}

// Two payments held for carol (override ask) while serve runs on the data
// dir: payments confirm approves one by its paymentRequestId and declines
// the other by its paymentId, from another process; the wallet debits only
// the approved one, and Alipay+ (the simulator) learns both results at once.
func TestPaymentsConfirmWhileServeRuns(t *testing.T) {
	w := cliSimStartWorld(t)
	cliAddUser(t, w.dir, "--id", "carol", "--balance", "20.00", "--override", "ask")
	codes := []string{cliSimCode(t, w.dir, "carol"), cliSimCode(t, w.dir, "carol")} // each valid now
	type charged struct {
		amount, stdout string
		code           int
	}
	done := make(chan charged, 2)
	for i, amount := range []string{"5.00", "7.00"} {
		go func() {
			stdout, _, code := runCLI(t, "", "merchant", "charge", "--data", w.dir, "--code", codes[i],
				"--amount", amount, "--currency", "USD", "--json")
			done <- charged{amount, stdout, code}
		}()
	}
	held := map[string]cliLedgerPayment{} // by amount value
	cliWaitFor(t, "two held payments", func() bool {
		clear(held)
		for _, p := range cliLedgerPayments(t, w.dir, "carol") {
			if p.Status == "PROCESSING" {
				held[p.PayToAmount.Value] = p
			}
		}
		return len(held) == 2
	})
	approve, decline := held["500"], held["700"]

	stdout, stderr, code := runCLI(t, "", "payments", "confirm", "--data", w.dir, approve.RequestID, "--approve")
	if code != 0 || stderr != "" || !strings.HasPrefix(stdout, "PAID") || !strings.Contains(stdout, approve.PaymentID) ||
		!strings.Contains(stdout, "notified Alipay+") {
		t.Errorf("confirm --approve: exit %d stdout %q stderr %q", code, stdout, stderr)
	}
	stdout, stderr, code = runCLI(t, "", "payments", "confirm", "--data", w.dir, decline.PaymentID, "--decline", "--json")
	var out struct {
		Decision string           `json:"decision"`
		Notified bool             `json:"notified"`
		Payment  cliLedgerPayment `json:"payment"`
	}
	if code != 0 || stderr != "" || json.Unmarshal([]byte(stdout), &out) != nil || out.Decision != "decline" || !out.Notified ||
		out.Payment.RequestID != decline.RequestID || out.Payment.Status != "FAILED" || out.Payment.ResultCode != "USER_PAYMENT_VERIFICATION_FAILED" {
		t.Errorf("confirm --decline --json: exit %d stdout %q stderr %q", code, stdout, stderr)
	}

	// The merchant's charges end with the answers.
	for range 2 {
		c := <-done
		var res cliSimChargeJSON
		if err := json.Unmarshal([]byte(c.stdout), &res); err != nil {
			t.Fatalf("charge %s: %v\n%s", c.amount, err, c.stdout)
		}
		switch {
		case c.amount == "5.00" && (c.code != 0 || res.Status != "SUCCESS"):
			t.Errorf("the approved charge: exit %d %+v", c.code, res)
		case c.amount == "7.00" && (c.code != 1 || res.Status != "FAIL" || res.ResultCode != "USER_PAYMENT_VERIFICATION_FAILED"):
			t.Errorf("the declined charge: exit %d %+v", c.code, res)
		}
	}
	sim := cliSimPayments(t, w.dir)
	if s := sim[approve.RequestID].Status; s != "SUCCESS" {
		t.Errorf("the simulator has the approved payment %s, want SUCCESS", s)
	}
	if p := sim[decline.RequestID]; p.Status != "FAIL" || p.Result.ResultCode != "USER_PAYMENT_VERIFICATION_FAILED" {
		t.Errorf("the simulator has the declined payment %s %s, want FAIL USER_PAYMENT_VERIFICATION_FAILED", p.Status, p.Result.ResultCode)
	}
	if b := cliSimBalance(t, w.dir, "carol"); !cliAmountIs(b, "USD", "1500") {
		t.Errorf("carol's balance %+v, want USD 1500 (only the approved 5.00 debited)", b)
	}

	// Answered payments, and ids that name none, are refused; nothing moves.
	before, _ := cliListUsers(t, w.dir)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"approve it again", []string{approve.RequestID, "--approve"}, "already SUCCEEDED"},
		{"decline the approved one", []string{approve.PaymentID, "--decline"}, "already SUCCEEDED"},
		{"approve the declined one", []string{decline.RequestID, "--approve"}, "already FAILED"},
		{"an unknown id", []string{"20990101000000000000000000000", "--approve"}, "no payment"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", append([]string{"payments", "confirm", "--data", w.dir}, tt.args...)...)
			if code != 1 || stdout != "" {
				t.Errorf("exit %d stdout %q, want 1 and nothing", code, stdout)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
		})
	}
	if after, _ := cliListUsers(t, w.dir); after != before {
		t.Errorf("a refused confirm changed the ledger:\nbefore %s\nafter  %s", before, after)
	}
}

// With no Alipay+ to tell (no simulator on the data dir, no gateway), a
// held payment is not answered at all: the wallet would decide what the
// network never hears of.
func TestPaymentsConfirmNeedsAGateway(t *testing.T) {
	dir := cliDataDir(t)
	cliAddUser(t, dir, "--id", "carol", "--balance", "20.00", "--override", "ask")
	s := cliStartServe(t, dir)
	cliHoldPayment(t, s, dir, "pr-held-1", "carol", "500")
	f, code := cliFailure(t, "payments", "confirm", "--data", dir, "pr-held-1", "--approve", "--json")
	if code != 1 || f.Code != "NO_GATEWAY" || !strings.Contains(f.Error, "'mppwallet sim'") {
		t.Errorf("confirm without a gateway: exit %d %+v", code, f)
	}
	if ps := cliLedgerPayments(t, dir, "carol"); len(ps) != 1 || ps[0].Status != "PROCESSING" {
		t.Errorf("the held payment after a refused confirm: %+v", ps)
	}
	if b := cliSimBalance(t, dir, "carol"); !cliAmountIs(b, "USD", "2000") {
		t.Errorf("carol's balance %+v, want USD 2000", b)
	}
}

// cliHoldPayment sends serve a pay, as Alipay+ would, for a user with
// override ask, and checks it is held (U PAYMENT_IN_PROCESS).
func cliHoldPayment(t *testing.T, s *cliServe, dir, id, user, value string) {
	t.Helper()
	client := s.alipayClient(t, dir, alipayplus.WithRetry(alipayplus.Retry{Deadline: 0, Initial: time.Millisecond, Max: time.Millisecond}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := client.Pay(ctx, cliPayRequest(id, user, value))
	var apErr *alipayplus.Error
	if !errors.As(err, &apErr) || apErr.Code != alipayplus.CodePaymentInProcess {
		t.Fatalf("pay %s: err %v, want U PAYMENT_IN_PROCESS", id, err)
	}
}
