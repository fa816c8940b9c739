package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// gatewayPay charges code through the gateway of the simulator at url as
// the signer's merchant client.
func gatewayPay(t *testing.T, url, dir string, key alipayplus.Signer, requestID, code string) error {
	t.Helper()
	pub, err := alipayplus.LoadPublicKeyFile(filepath.Join(dir, "keys", "alipayplus_public.b64"))
	if err != nil {
		t.Fatalf("the simulator's public key in bare base64: %v", err)
	}
	c := antom.NewClient(alipayplus.NewClient(url, key, pub, alipayplus.WithRetry(alipayplus.Retry{})))
	amount := alipayplus.AmountOf(money.Money{Minor: 250, Currency: "USD"})
	_, err = c.Pay(context.Background(), &antom.PayRequest{ProductCode: antom.ProductInStore, PaymentRequestID: requestID,
		Order: &alipayplus.Order{OrderDescription: "tea", OrderAmount: amount}, PaymentAmount: amount,
		PaymentMethod: &alipayplus.PaymentMethod{PaymentMethodType: antom.MethodConnectWallet, PaymentMethodID: code}})
	return err
}

// TestSimMerchantClientsAreRemembered: a merchant client registered with
// --merchant-client-id/--merchant-public-key pays through the gateway
// (signed both ways, the simulator's key read from the data dir's bare
// base64 file), and a later simulator on the data dir still knows it.
func TestSimMerchantClientsAreRemembered(t *testing.T) {
	key := testkit.Key(t, "private.pem")
	pubFile := filepath.Join(t.TempDir(), "pos_public.b64")
	if err := os.WriteFile(pubFile, []byte(alipayplus.PublicKeyBase64(&key.PublicKey)+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	w := cliSimStartWorld(t, "--merchant-client-id", "SANDBOX_TILL_1", "--merchant-public-key", pubFile)
	if out := w.sim.stdout.String(); !strings.Contains(out, "merchants   SANDBOX_TILL_1") || !strings.Contains(out, "/ams/api/v1/payments/pay") {
		t.Errorf("banner does not show the gateway and its merchant client:\n%s", out)
	}
	signer := alipayplus.Signer{ClientID: "SANDBOX_TILL_1", Key: key}
	if err := gatewayPay(t, w.sim.state.URL, w.dir, signer, "R-1", cliSimCode(t, w.dir, "alice")); err != nil {
		t.Fatalf("gateway pay: %v", err)
	}
	if got := cliSimBalance(t, w.dir, "alice"); got.Value != "9750" {
		t.Errorf("balance %+v, want 9750 (97.50 USD)", got)
	}
	w.sim.stop(t)

	again := cliSimStart(t, w.dir)
	ids, err := cliSimAdmin(t, w.dir, again.state.URL).MerchantClients(context.Background())
	if err != nil || len(ids) != 1 || ids[0].ClientID != "SANDBOX_TILL_1" {
		t.Fatalf("merchant clients after a restart: %+v, %v; want SANDBOX_TILL_1", ids, err)
	}
	if err := gatewayPay(t, again.state.URL, w.dir, signer, "R-2", cliSimCode(t, w.dir, "alice")); err != nil {
		t.Fatalf("gateway pay after a restart: %v", err)
	}
	stranger := alipayplus.Signer{ClientID: "SANDBOX_TILL_2", Key: key}
	err = gatewayPay(t, again.state.URL, w.dir, stranger, "R-3", cliSimCode(t, w.dir, "alice"))
	var apErr *alipayplus.Error
	if !errors.As(err, &apErr) || apErr.Code != alipayplus.CodeInvalidClient {
		t.Errorf("an unregistered Client-Id: %v, want INVALID_CLIENT", err)
	}
	info, err := os.Stat(filepath.Join(w.dir, "merchant-clients.json"))
	if err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("merchant-clients.json: %v %v", info, err)
	}
}

// TestSimMerchantFlagErrors: unpaired or bad merchant flags are one-line
// usage errors that create nothing.
func TestSimMerchantFlagErrors(t *testing.T) {
	cliSimIsolate(t)
	good := filepath.Join(t.TempDir(), "pub.pem")
	if err := os.WriteFile(good, alipayplus.PublicKeyPEM(&testkit.Key(t, "private.pem").PublicKey), 0o644); err != nil {
		t.Fatal(err)
	}
	notKey := filepath.Join(t.TempDir(), "notes.txt")
	os.WriteFile(notKey, []byte("hello"), 0o644)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"id without key", []string{"--merchant-client-id", "POS_1"}, "pairs"},
		{"key without id", []string{"--merchant-public-key", good}, "pairs"},
		{"missing key file", []string{"--merchant-client-id", "POS_1", "--merchant-public-key", "/nonexistent/k.pem"}, "POS_1"},
		{"not a key", []string{"--merchant-client-id", "POS_1", "--merchant-public-key", notKey}, "POS_1"},
		{"space in id", []string{"--merchant-client-id", "MY POS", "--merchant-public-key", good}, "Client-Id"},
		{"twice", []string{"--merchant-client-id", "P", "--merchant-public-key", good, "--merchant-client-id", "P", "--merchant-public-key", good}, "twice"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "data")
			stdout, stderr, code := runCLI(t, "", append([]string{"sim", "--listen", "127.0.0.1:0", "--data", dir}, c.args...)...)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d stdout %q, want 2 and nothing", code, stdout)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, c.want) {
				t.Errorf("stderr %q lacks %q", stderr, c.want)
			}
			if _, err := os.Stat(dir); err == nil {
				t.Errorf("a usage error created the data dir")
			}
		})
	}
}

// TestGatewayPayShowsTheResultInTheApp is the tester's loop: the app
// (with its embedded simulator, which knows the merchant clients
// remembered in the data dir) shows a code, a rig reads it with codes
// --current, a POS on the SDK's wire charges it through the gateway, and
// the app's result page shows the payment.
func TestGatewayPayShowsTheResultInTheApp(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "100.00", "--currency", "USD")
	key := testkit.Key(t, "private.pem")
	pubFile := filepath.Join(t.TempDir(), "pos_public.pem")
	if err := os.WriteFile(pubFile, alipayplus.PublicKeyPEM(&key.PublicKey), 0o644); err != nil {
		t.Fatal(err)
	}
	d0, err := openDataDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	added, err := parseMerchantFlags([]string{"POS_1"}, []string{pubFile})
	if err == nil {
		_, err = mergeMerchantClients(d0, added)
	}
	if err != nil {
		t.Fatal(err)
	}
	s, d, err := startDriven(context.Background(), uiOptions{dataPath: dir, userID: "alice"}, false)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.stop(); s.close() })
	cliWaitShown(t, dir, "a code in run/ui.json", func(s shownState) bool { return s.PaymentCode != "" })
	stdout, stderr, code := runCLI(t, "", "codes", "--current", "--json", "--data", dir)
	var shown onScreenJSON
	if err := json.Unmarshal([]byte(stdout), &shown); err != nil || code != 0 {
		t.Fatalf("codes --current: exit %d, %v, %s", code, err, stderr)
	}
	if err := gatewayPay(t, s.sim.URL(), dir, alipayplus.Signer{ClientID: "POS_1", Key: key}, "R-1", shown.PaymentCode); err != nil {
		t.Fatalf("gateway pay: %v", err)
	}
	if !d.until(context.Background(), func(v string) bool { return strings.Contains(v, resultTitle) && strings.Contains(v, "2.50") }, 30*time.Second) {
		t.Fatalf("the app shows no result page for the gateway payment:\n%s", d.m.View().Content)
	}
}

// TestSimFXRates: the data dir's fx-rates.json and --fx-rates override the
// built-in table (a ZAR charge converts at the given rate); a bad file is
// a one-line usage error that creates nothing.
func TestSimFXRates(t *testing.T) {
	cliSimIsolate(t)
	flagFile := filepath.Join(t.TempDir(), "rates.json")
	os.WriteFile(flagFile, []byte(`{"ratesPerUSD":{"ZAR":"20"}}`), 0o644)
	w := cliSimStartWorld(t, "--fx-rates", flagFile)
	charged, _, code := cliSimCharge(t, w.dir, cliSimCode(t, w.dir, "alice"), "20.00", "ZAR", "--json")
	if code != 0 || charged.Status != "SUCCESS" {
		t.Fatalf("a ZAR charge: exit %d %+v", code, charged)
	}
	if got := cliSimBalance(t, w.dir, "alice"); got.Value != "9900" {
		t.Errorf("balance %+v, want 99.00 USD (20.00 ZAR at 20 per USD)", got)
	}

	bad := filepath.Join(t.TempDir(), "bad.json")
	os.WriteFile(bad, []byte(`{"ratesPerUSD":{"ZAR":"-1"}}`), 0o644)
	for _, f := range []string{bad, "/nonexistent/rates.json"} {
		dir := filepath.Join(t.TempDir(), "data")
		stdout, stderr, code := runCLI(t, "", "sim", "--listen", "127.0.0.1:0", "--data", dir, "--fx-rates", f)
		if code != 2 || stdout != "" || !strings.Contains(stderr, "--fx-rates") {
			t.Errorf("--fx-rates %s: exit %d, stderr %q", f, code, stderr)
		}
		assertOneErrorLine(t, stderr)
		if _, err := os.Stat(dir); err == nil {
			t.Errorf("a bad --fx-rates created the data dir")
		}
	}
}

func TestLoadFXOrder(t *testing.T) {
	d := dataDir{root: t.TempDir()}
	flag := filepath.Join(t.TempDir(), "f.json")
	os.WriteFile(flag, []byte(`{"ratesPerUSD":{"ZAR":"20"}}`), 0o644)
	fx, err := loadFX(d, "")
	if err != nil || fx.Rates()["ZAR"] != "18.2" {
		t.Fatalf("built-in: ZAR %v, %v", fx.Rates()["ZAR"], err)
	}
	os.WriteFile(d.fxRatesPath(), []byte(`{"ratesPerUSD":{"ZAR":"19","EUR":"0.5"}}`), 0o644)
	if fx, err = loadFX(d, ""); err != nil || fx.Rates()["ZAR"] != "19" {
		t.Errorf("data dir file: ZAR %v, %v", fx.Rates()["ZAR"], err)
	}
	if fx, err = loadFX(d, flag); err != nil || fx.Rates()["ZAR"] != "20" || fx.Rates()["EUR"] != "0.5" {
		t.Errorf("flag over the data dir: ZAR %v EUR %v, %v", fx.Rates()["ZAR"], fx.Rates()["EUR"], err)
	}
	os.WriteFile(d.fxRatesPath(), []byte(`{"ratesPerUSD":{"ZZZ":"1"}}`), 0o644)
	if _, err := loadFX(d, ""); err == nil || !strings.Contains(err.Error(), "fx-rates.json") {
		t.Errorf("a bad data dir file: %v, want an error naming it", err)
	}
}
