package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/internal/mpm"
	"github.com/mppwallet/mppwallet/wallet"
)

// TestUIScanBackend runs the app's Scan screen backend against a real
// simulator and wallet server: an image path is read and identified with
// the network's rules, the order opened, paid once, and a rescan moves no
// money.
func TestUIScanBackend(t *testing.T) {
	w := cliSimStartWorld(t)
	d, st, svc, err := openWallet(w.dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	env := &cliEnv{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, getenv: func(string) string { return "" }}
	client, done, err := walletClient(env, w.dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer done()
	rules := ruleCache(d, rulesFrom(client))
	if _, err := rules.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	b := &uiBackend{svc: svc, payer: &mpm.Payer{Wallet: svc, Client: client, Rules: rules}}
	ctx := context.Background()

	dir := t.TempDir()
	png := filepath.Join(dir, "my order.png")
	if _, stderr, code := runCLI(t, "", "merchant", "order", "--data", w.dir, "--amount", "2.70", "--currency", "SGD", "--png", png); code != 0 {
		t.Fatalf("merchant order: %q", stderr)
	}
	// Dropped into a terminal, the path arrives quoted or with "\ ".
	for _, input := range []string{png, "'" + png + "'", strings.ReplaceAll(png, " ", `\ `)} {
		r, err := b.ReadCode(ctx, input)
		if err != nil || r.Image != png || !r.Supported || r.Action != "DECODE" || r.Rules != "network c_16_ignet_25+s1" ||
			!strings.HasPrefix(r.Code, "https://qr.mppwallet.test/281999040001") || !strings.Contains(r.Rule, "priority 9000") {
			t.Fatalf("ReadCode(%q) = %+v, %v", input, r, err)
		}
	}
	r, _ := b.ReadCode(ctx, png)
	o, err := b.OpenOrder(ctx, "alice", r.Code)
	if err != nil || o.PaymentAmount.String() != "2.70 SGD" || o.Amount.String() != "2.00 USD" || o.Quote.CurrencyPair != "SGD/USD" || o.Previous != nil {
		t.Fatalf("OpenOrder: %+v, %v", o, err)
	}
	res, err := b.PayOrder(ctx, o, true)
	if err != nil || res.Payment.Status != wallet.StatusSucceeded || res.Note != "" {
		t.Fatalf("PayOrder: %+v, %v", res, err)
	}
	again, err := b.OpenOrder(ctx, "alice", r.Code)
	if err != nil || again.Previous == nil {
		t.Fatalf("rescan: %+v, %v", again, err)
	}
	res2, err := b.PayOrder(ctx, again, true)
	if err != nil || res2.Payment.PaymentID != res.Payment.PaymentID || !strings.Contains(res2.Note, "scanned before") {
		t.Errorf("rescan PayOrder: %+v, %v", res2, err)
	}
	if u, _ := svc.User(ctx, "alice"); u.Balance.String() != "98.00 USD" {
		t.Errorf("alice has %s, want 98.00 USD (one debit)", u.Balance)
	}

	// Text, not a file: identified as it is.
	if r, err := b.ReadCode(ctx, "hello"); err != nil || r.Supported || r.Image != "" || r.Reason == "" {
		t.Errorf("ReadCode(hello) = %+v, %v", r, err)
	}
	// A missing or broken image is an error, not a code.
	if _, err := b.ReadCode(ctx, filepath.Join(dir, "missing.png")); err == nil {
		t.Errorf("a missing image read fine")
	}
	notImage := filepath.Join(dir, "notes.txt")
	os.WriteFile(notImage, []byte("hello"), 0o600)
	if _, err := b.ReadCode(ctx, notImage); err == nil || !strings.Contains(err.Error(), "not a PNG or JPEG") {
		t.Errorf("a text file as an image: %v", err)
	}
	// Alipay+'s refusal is one sentence with the acquirer's reason.
	stdout, _, _ := runCLI(t, "", "merchant", "order", "--data", w.dir, "--amount", "1.81", "--currency", "USD")
	closed := strings.TrimSpace(stdout)
	if i := strings.Index(closed, "https://"); i >= 0 {
		closed = strings.Fields(closed[i:])[0]
	}
	if _, err := b.OpenOrder(ctx, "alice", closed); err == nil || !strings.HasPrefix(err.Error(), "Alipay+ refused the code: EXPIRED_CODE") {
		t.Errorf("magic 81: %v (code %q)", err, closed)
	}
}
