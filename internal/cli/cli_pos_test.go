package cli

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/ui/pos"
)

// cliPosLine is one line of "pos --json", as documented.
type cliPosLine struct {
	Scan             int        `json:"scan"`
	Status           string     `json:"status"`
	ResultCode       string     `json:"resultCode"`
	ResultMessage    string     `json:"resultMessage"`
	PaymentID        *string    `json:"paymentId"`
	PaymentRequestID *string    `json:"paymentRequestId"`
	Amount           *cliAmount `json:"amount"`
	Code             string     `json:"code"`
	PaymentTime      string     `json:"paymentTime"`
	Customer         string     `json:"customer"`
}

// cliPosWorld is a wallet server and a simulator on one data dir, with
// alice (100.00 USD) and carol (20.00 USD, who holds every payment for her
// confirmation and never gives it).
func cliPosWorld(t *testing.T) string {
	t.Helper()
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--name", "Alice", "--balance", "100.00", "--currency", "USD")
	cliAddUser(t, dir, "--id", "carol", "--name", "Carol", "--balance", "20.00", "--currency", "USD", "--override", "ask")
	cliStartServe(t, dir)
	cliSimStart(t, dir)
	return dir
}

// posBannerOnly reports whether stderr is the headless till's one start
// line: the simulator's address and the data dir.
func posBannerOnly(stderr, dir string) bool {
	return strings.Count(stderr, "\n") == 1 && strings.HasPrefix(stderr, "mppwallet pos: charging ") &&
		strings.Contains(stderr, " through http://127.0.0.1:") && strings.Contains(stderr, "(data "+dir+")")
}

// cliPos runs "pos --json" headless on stdin and returns its lines.
func cliPos(t *testing.T, dir, stdin string, args ...string) ([]cliPosLine, int) {
	t.Helper()
	stdout, stderr, code := runCLI(t, stdin, append([]string{"pos", "--data", dir, "--json"}, args...)...)
	if !posBannerOnly(stderr, dir) {
		t.Errorf("pos: stderr %q, want only the start line naming the simulator and the data dir", stderr)
	}
	var lines []cliPosLine
	for _, l := range strings.Split(strings.TrimSuffix(stdout, "\n"), "\n") {
		if l == "" {
			continue
		}
		var p cliPosLine
		if err := json.Unmarshal([]byte(l), &p); err != nil {
			t.Fatalf("pos --json line %q: %v", l, err)
		}
		if p.PaymentID == nil || p.PaymentRequestID == nil || p.Amount == nil || p.Status == "" || p.ResultCode == "" {
			t.Errorf("pos --json line %q lacks status, resultCode, paymentId, paymentRequestId or amount", l)
		}
		lines = append(lines, p)
	}
	return lines, code
}

func TestPosHeadlessEndToEnd(t *testing.T) {
	dir := cliPosWorld(t)
	used := cliSimCode(t, dir, "alice")
	cases := []struct {
		name    string
		stdin   func() string
		args    []string
		exit    int
		want    []string // status resultCode of each line
		balance string   // alice's, after
	}{
		{"a good code pays", func() string { return used + "\n" }, nil, 0, []string{"SUCCESS SUCCESS"}, "8750"},
		{"a used code, text and a merchant's code are refused", func() string {
			return used + "\r\n" + "hello there\r\n\r\n" + "https://qr.mppwallet.test/2819990400010448812941470832\n"
		}, nil, 1, []string{"FAIL INVALID_CODE", "REJECTED NOT_A_PAYMENT_CODE", "REJECTED MERCHANT_QR_CODE"}, "8750"},
		{"a code not valid yet is refused", func() string { return cliSimCodes(t, dir, "alice", 2)[1].PaymentCode + "\n" },
			nil, 1, []string{"FAIL INVALID_CODE"}, "8750"},
		{"prefix, suffix and tabs", func() string {
			return "]Q1" + cliSimCode(t, dir, "alice") + "#\t" + "]Q1" + cliSimCode(t, dir, "alice") + "#\t"
		}, []string{"--prefix", "]Q1", "--suffix", "#"}, 0, []string{"SUCCESS SUCCESS", "SUCCESS SUCCESS"}, "6250"},
		{"an amount with its currency, and no final newline", func() string { return cliSimCode(t, dir, "alice") },
			[]string{"--amount", "1.00 USD"}, 0, []string{"SUCCESS SUCCESS"}, "6150"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdin := c.stdin()
			args := append([]string{"--amount", "12.50"}, c.args...)
			lines, code := cliPos(t, dir, stdin, args...)
			if code != c.exit || len(lines) != len(c.want) {
				t.Fatalf("exit %d, %d lines %+v; want exit %d and %d lines", code, len(lines), lines, c.exit, len(c.want))
			}
			for i, l := range lines {
				if got := l.Status + " " + l.ResultCode; got != c.want[i] || l.Scan != i+1 {
					t.Errorf("line %d: scan %d %s (%s), want %s", i+1, l.Scan, got, l.ResultMessage, c.want[i])
				}
				charged := l.Status != "REJECTED"
				if charged != strings.HasPrefix(*l.PaymentRequestID, "POS") || charged != (l.Code != "") {
					t.Errorf("line %d: paymentRequestId %q code %q for a %s scan", i+1, *l.PaymentRequestID, l.Code, l.Status)
				}
				if l.Status == "SUCCESS" && (*l.PaymentID == "" || l.PaymentTime == "" || !strings.HasPrefix(l.Customer, "alice")) {
					t.Errorf("line %d: a paid sale without paymentId, paymentTime or customer: %+v", i+1, l)
				}
				if strings.Contains(stdin, l.Code) && len(l.Code) > 12 || strings.Contains(l.ResultMessage, used) {
					t.Errorf("line %d shows a whole payment code: %+v", i+1, l)
				}
			}
			if b := cliSimBalance(t, dir, "alice"); !cliAmountIs(b, "USD", c.balance) {
				t.Errorf("alice's balance %+v, want USD %s", b, c.balance)
			}
		})
	}

	t.Run("human lines", func(t *testing.T) {
		stdout, stderr, code := runCLI(t, cliSimCode(t, dir, "alice")+"\n12345\n", "pos", "--data", dir, "--amount", "1.00")
		lines := strings.Split(strings.TrimSpace(stdout), "\n")
		if code != 1 || !posBannerOnly(stderr, dir) || len(lines) != 2 {
			t.Fatalf("exit %d stderr %q stdout:\n%s", code, stderr, stdout)
		}
		if !strings.HasPrefix(lines[0], "SUCCESS   1.00 USD  2599••••") || !strings.Contains(lines[0], "paymentId 2") ||
			!strings.Contains(lines[0], "paymentRequestId POS") {
			t.Errorf("paid line %q", lines[0])
		}
		if !strings.HasPrefix(lines[1], "REJECTED  scan 2: ") || !strings.Contains(lines[1], "nothing charged") {
			t.Errorf("rejected line %q", lines[1])
		}
	})

	t.Run("a held payment is voided at the deadline", func(t *testing.T) {
		lines, code := cliPos(t, dir, cliSimCode(t, dir, "carol")+"\n", "--amount", "5.00", "--timeout", "2s")
		if code != 1 || len(lines) != 1 {
			t.Fatalf("exit %d lines %+v", code, lines)
		}
		if l := lines[0]; l.Status != "CANCELLED" || l.ResultCode != "PAYMENT_IN_PROCESS" || !strings.Contains(l.ResultMessage, "not final after 2s") {
			t.Errorf("held sale %+v, want CANCELLED PAYMENT_IN_PROCESS not final after 2s", l)
		}
		if b := cliSimBalance(t, dir, "carol"); !cliAmountIs(b, "USD", "2000") {
			t.Errorf("carol's balance %+v, want USD 2000", b)
		}
	})

	t.Run("another data dir's Alipay+ key", func(t *testing.T) {
		url, err := (simFlags{data: &dir, url: new(string)}).resolve()
		if err != nil {
			t.Fatal(err)
		}
		other := dataDir{root: t.TempDir()}
		t.Setenv("MPPWALLET_SIM_TOKEN", cliSimToken(t, dir)) // the simulator's token, from its data dir
		stdout, stderr, code := runCLI(t, cliSimCode(t, dir, "alice")+"\n", "pos", "--data", other.root, "--sim", url, "--amount", "1")
		if code != 1 || stdout != "" || !strings.Contains(stderr, "alipayplus_public.pem") {
			t.Errorf("no Alipay+ key: exit %d stdout %q stderr %q", code, stdout, stderr)
		}
		if _, err := ensureKeyPair(other.simAlipayPrivatePath(), other.alipayPublicPath()); err != nil {
			t.Fatal(err)
		}
		stdout, stderr, code = runCLI(t, cliSimCode(t, dir, "alice")+"\n", "pos", "--data", other.root, "--sim", url, "--amount", "1")
		if code != 1 || stdout != "" || !strings.Contains(stderr, "does not sign with") {
			t.Errorf("another Alipay+ key: exit %d stdout %q stderr %q", code, stdout, stderr)
		}
		assertOneErrorLine(t, stderr)
	})

	t.Run("the till set itself up", func(t *testing.T) {
		fi, err := os.Stat(dataDir{root: dir}.posPrivatePath())
		if err != nil || fi.Mode().Perm() != 0o600 {
			t.Fatalf("keys/pos_private.pem: %v %v, want mode 0600", fi, err)
		}
		if _, err := os.Stat(dataDir{root: dir}.posPublicPath()); err != nil {
			t.Fatal(err)
		}
		url, err := (simFlags{data: &dir, url: new(string)}).resolve()
		if err != nil {
			t.Fatal(err)
		}
		mc, err := cliSimAdmin(t, dir, url).MerchantClients(context.Background())
		if err != nil || !slices.ContainsFunc(mc, func(c simulator.MerchantClient) bool { return c.ClientID == "MPPWALLET_POS" }) {
			t.Errorf("merchant clients %+v (%v), want MPPWALLET_POS among them", mc, err)
		}
	})
}

// The real till's refunds and voids, as the Bubble Tea till calls them.
func TestPosTillRefundAndVoid(t *testing.T) {
	dir := cliPosWorld(t)
	ctx := context.Background()
	d := dataDir{root: dir}
	url, err := (simFlags{data: &dir, url: new(string)}).resolve()
	if err != nil {
		t.Fatal(err)
	}
	c, err := posConnect(ctx, d, cliSimAdmin(t, dir, url), "SANDBOX_POS_TEST", os.Stderr)
	if err != nil {
		t.Fatal(err)
	}
	till := newAntomTill(c, simulator.Merchant{Name: "Kopi Corner"}, 2*time.Second)
	amount := money.Money{Currency: "USD", Minor: 1000}
	sale, err := till.Charge(ctx, cliSimCode(t, dir, "alice"), amount)
	if err != nil || sale.Status != pos.StatusSuccess || sale.PaymentID == "" {
		t.Fatalf("charge: %+v %v", sale, err)
	}
	r, err := till.Refund(ctx, sale, money.Money{Currency: "USD", Minor: 250})
	if err != nil || r.RefundID == "" || r.Amount.Minor != 250 {
		t.Fatalf("refund 2.50: %+v %v", r, err)
	}
	_, err = till.Refund(ctx, sale, amount)
	var refusal *pos.Refusal
	if !errors.As(err, &refusal) || refusal.Code != "REFUND_AMOUNT_EXCEED" {
		t.Fatalf("refund of more than is left: %v, want a REFUND_AMOUNT_EXCEED refusal", err)
	}
	if b := cliSimBalance(t, dir, "alice"); !cliAmountIs(b, "USD", "9250") {
		t.Errorf("balance after paying 10.00 and a 2.50 refund: %+v", b)
	}
	if err := till.Void(ctx, sale); err != nil {
		t.Fatalf("void: %v", err)
	}
	if b := cliSimBalance(t, dir, "alice"); !cliAmountIs(b, "USD", "10000") {
		t.Errorf("balance after the void: %+v, want all of it back", b)
	}
	if err := till.Void(ctx, sale); err != nil {
		t.Errorf("voiding again: %v, want the same success", err)
	}

	// The user voids a sale the wallet holds: its context ends, the till
	// cancels it.
	vctx, cancel := context.WithTimeout(ctx, 1200*time.Millisecond)
	defer cancel()
	held, err := till.Charge(vctx, cliSimCode(t, dir, "carol"), amount)
	if err != nil || held.Status != pos.StatusCancelled || !strings.Contains(held.ResultMessage, "voided before it was final") {
		t.Errorf("a held sale voided by the user: %+v %v", held, err)
	}
}

func TestPosUsageErrors(t *testing.T) {
	dir := cliSimDataDir(t)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no amount without a terminal", nil, "--amount is required"},
		{"a bad amount", []string{"--amount", "12.345"}, "--amount"},
		{"a zero amount", []string{"--amount", "0"}, "more than zero"},
		{"a bad currency", []string{"--amount", "1", "--currency", "XYZ"}, "--currency"},
		{"no timeout", []string{"--amount", "1", "--timeout", "0s"}, "--timeout"},
		{"a bad Client-Id", []string{"--amount", "1", "--client-id", "has space"}, "--client-id"},
		{"a tab in the suffix", []string{"--amount", "1", "--suffix", "\t"}, "--suffix"},
		{"an argument", []string{"--amount", "1", "extra"}, "unexpected argument"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", append([]string{"pos", "--data", dir}, c.args...)...)
			if code != 2 || stdout != "" || !strings.Contains(stderr, c.want) {
				t.Errorf("exit %d stdout %q stderr %q, want 2 and %q", code, stdout, stderr, c.want)
			}
			assertOneErrorLine(t, stderr)
		})
	}
}

func TestPosWithoutASimulator(t *testing.T) {
	dir := cliSimDataDir(t)
	for _, args := range [][]string{{}, {"--sim", "http://127.0.0.1:1"}} {
		stdout, stderr, code := runCLI(t, "259999023608988784077749\n", append([]string{"pos", "--data", dir, "--amount", "1"}, args...)...)
		if code != 1 || stdout != "" || !strings.Contains(stderr, "'mppwallet sim'") {
			t.Errorf("%v: exit %d stdout %q stderr %q, want 1 and how to start the simulator", args, code, stdout, stderr)
		}
		assertOneErrorLine(t, stderr)
	}
}
