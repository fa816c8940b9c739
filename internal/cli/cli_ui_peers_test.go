package cli

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/ui"
	"github.com/mppwallet/mppwallet/wallet"
)

// uiRig is the app with its real backend beside a 'mppwallet sim' on the
// same data dir, driven as tea.Program would drive it, in a 120×40 window.
type uiRig struct {
	t   *testing.T
	dir string
	sim *cliSimProc
	s   *uiSession
	d   *appDriver
}

func startUIRig(t *testing.T) *uiRig {
	t.Helper()
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--name", "Alice", "--balance", "100.00", "--currency", "USD")
	r := &uiRig{t: t, dir: dir, sim: cliSimStart(t, dir)}
	s, err := startUI(uiOptions{dataPath: dir, userID: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.close)
	r.s, r.d = s, newAppDriver(s.app, false)
	t.Cleanup(r.d.stop)
	r.d.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	r.d.exec(s.app.Init())
	return r
}

// code is the payment code the app draws now ("" for none).
func (r *uiRig) code() string { return r.d.m.(ui.App).Shown().Code.Value }

// view is the screen as words (no colours, wrapping undone).
func (r *uiRig) view() string { return strings.Join(strings.Fields(ansi.Strip(r.d.view)), " ") }

// waitFor handles the app's messages until ok, or fails after timeout.
func (r *uiRig) waitFor(what string, timeout time.Duration, ok func() bool) {
	r.t.Helper()
	if !r.d.until(context.Background(), func(string) bool { return ok() }, timeout) {
		r.t.Fatalf("no %s within %v; the screen:\n%s", what, timeout, ansi.Strip(r.d.view))
	}
}

// waitText waits for the screen to say all of want.
func (r *uiRig) waitText(timeout time.Duration, want ...string) {
	r.t.Helper()
	r.waitFor(strings.Join(want, " and "), timeout, func() bool {
		v := r.view()
		for _, w := range want {
			if !strings.Contains(v, w) {
				return false
			}
		}
		return true
	})
}

func (r *uiRig) key(s string) {
	if s == "enter" {
		r.d.update(tea.KeyPressMsg{Code: tea.KeyEnter})
		return
	}
	r.d.update(tea.KeyPressMsg{Code: []rune(s)[0], Text: s})
}

// knownTo reports whether the data dir's simulator issued code.
func (r *uiRig) knownTo(code string) bool {
	admin := simclient.New(r.sim.state.URL, simclient.WithToken(dataDirToken(dataDir{root: r.dir}, r.sim.state.URL)))
	codes, err := admin.Codes(context.Background(), "alice")
	for _, c := range codes {
		if c.Value == code {
			return err == nil
		}
	}
	return false
}

// freshCode waits for a code on screen that is none of used, and adds it
// to them: the caller charges it.
func (r *uiRig) freshCode(used map[string]bool) string {
	r.t.Helper()
	r.awayFrom(used)
	c := r.code()
	used[c] = true
	return c
}

// awayFrom waits for the Pay screen to draw a code that is none of used.
func (r *uiRig) awayFrom(used map[string]bool) {
	r.t.Helper()
	r.waitFor("fresh code", 15*time.Second, func() bool { c := r.code(); return c != "" && !used[c] })
}

// The simulator the app uses is killed: the Pay screen says what is down,
// where, and what the app does, with a countdown; a simulator started
// again on the data dir (at another address) is found, and the app shows
// a code it issued, which a merchant can charge.
func TestUIRecoversFromASimulatorRestart(t *testing.T) {
	r := startUIRig(t)
	r.waitFor("first code", 20*time.Second, func() bool { return r.code() != "" })
	old := r.sim.state.URL
	r.sim.stop(t)
	r.key("f")
	r.waitText(20*time.Second, "No valid code: the Alipay+ simulator at "+old+" is not answering", "run/sim.json", "retrying in")
	if v := r.view(); strings.Contains(v, "in 0s") {
		t.Errorf("a stuck 0 s countdown: %s", v)
	}
	r.sim = cliSimStart(t, r.dir)
	back := time.Now()
	if r.sim.state.URL == old {
		t.Fatalf("the simulator came back at the same address %s; the test wants another", old)
	}
	r.waitFor("code from the restarted simulator", 10*time.Second, func() bool { return r.code() != "" })
	t.Logf("simulator restart to a code on screen: %v", time.Since(back).Round(time.Millisecond))
	out, _, code := cliSimCharge(t, r.dir, r.code(), "1.00", "USD")
	if code != 0 || out.Status != "SUCCESS" {
		t.Fatalf("charging the code shown after the restart: exit %d %+v", code, out)
	}
	r.waitText(10*time.Second, "Payment successful")

	// Killed again with codes in hand, and back at the same address: the
	// codes the old one issued go (only the new one's can be charged).
	used := map[string]bool{r.code(): true}
	r.key("enter")
	r.awayFrom(used)
	addr := strings.TrimPrefix(r.sim.state.URL, "http://")
	r.sim.stop(t)
	r.waitText(10*time.Second, "is not answering")
	r.sim = cliSimStart(t, r.dir, "--listen", addr)
	back = time.Now()
	r.waitFor("a code the new simulator issued", 10*time.Second, func() bool {
		c := r.code()
		return c != "" && !used[c] && r.knownTo(c)
	})
	c := r.code()
	t.Logf("simulator restart at the same address to a new code on screen: %v", time.Since(back).Round(time.Millisecond))
	if out, _, code := cliSimCharge(t, r.dir, c, "1.00", "USD"); code != 0 || out.Status != "SUCCESS" {
		t.Fatalf("charging the code shown after the second restart: exit %d %+v", code, out)
	}
}

// Whatever answer a code gets, the app shows the result and then a fresh
// code, never the used one: paid, declined by Alipay+ itself (the magic
// amount .51, which never reaches the wallet), declined by the user's
// override, and cancelled while held for the user (the merchant gives up
// waiting and cancels).
func TestUICodeOutcomes(t *testing.T) {
	r := startUIRig(t)
	ctx := context.Background()
	used := map[string]bool{}
	charge := func(code, amount string) cliSimChargeJSON {
		t.Helper()
		out, _, _ := cliSimCharge(t, r.dir, code, amount, "USD")
		return out
	}
	setOverride := func(o wallet.Override) {
		t.Helper()
		if _, err := r.s.svc.UpdateUser(ctx, "alice", func(u *wallet.User) error { u.Override = o; return nil }); err != nil {
			t.Fatal(err)
		}
	}
	back := func() {
		t.Helper()
		r.key("enter")
		r.awayFrom(used)
	}

	// pay charges a fresh code, wants its result code, the result page
	// saying screen, then a fresh code; it returns the code charged.
	pay := func(t *testing.T, amount, result string, screen ...string) string {
		t.Helper()
		c := r.freshCode(used)
		if out := charge(c, amount); out.ResultCode != result {
			t.Fatalf("charge %s: %+v, want %s", amount, out, result)
		}
		r.waitText(10*time.Second, screen...)
		back()
		return c
	}
	t.Run("success", func(t *testing.T) {
		pay(t, "1.00", "SUCCESS", "Payment successful", "1.00 USD")
	})
	t.Run("magic decline", func(t *testing.T) {
		c := pay(t, "12.51", "RISK_REJECT", "Payment failed", "RISK_REJECT", "the wallet was not asked")
		// The code is spent: charging it again is refused, and the app
		// never showed it again.
		if out := charge(c, "1.00"); out.ResultCode != "INVALID_CODE" {
			t.Errorf("second charge of the declined code: %+v", out)
		}
	})
	t.Run("override decline", func(t *testing.T) {
		setOverride("USER_BALANCE_NOT_ENOUGH")
		defer setOverride("")
		pay(t, "2.00", "USER_BALANCE_NOT_ENOUGH", "Payment failed", "USER_BALANCE_NOT_ENOUGH")
	})
	t.Run("cancel while held", func(t *testing.T) {
		setOverride(wallet.OverrideAsk)
		defer setOverride("")
		c := r.freshCode(used)
		done := make(chan cliSimChargeJSON, 1)
		go func() {
			var out cliSimChargeJSON
			stdout, _, _ := runCLI(t, "", "merchant", "charge", "--data", r.dir, "--code", c, "--amount", "3.00", "--json")
			_ = json.Unmarshal([]byte(stdout), &out)
			done <- out
		}()
		r.waitText(10*time.Second, "Pay 3.00 USD")
		ps, err := r.s.svc.Store().Payments(ctx, wallet.PaymentFilter{CustomerID: "alice", Limit: 1})
		if err != nil || len(ps) == 0 || ps[0].CodeValue != c {
			t.Fatalf("the held payment: %v %+v", err, ps)
		}
		if _, stderr, code := runCLI(t, "", "merchant", "cancel", "--data", r.dir, "--payment", ps[0].RequestID); code != 0 {
			t.Fatalf("merchant cancel: exit %d %s", code, stderr)
		}
		r.waitText(10*time.Second, "Payment cancelled", "before you answered")
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Errorf("the charge did not end after the cancel")
		}
		back()
	})
}
