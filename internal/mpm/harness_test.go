package mpm_test

import (
	"context"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/assets"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/internal/mpm"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/internal/testkit"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

const clientID = "SANDBOX_MPM_TEST"

// offsetClock is real time moved by an offset: the network's timers run
// in real time, the offset jumps validity windows.
type offsetClock = testkit.OffsetClock

// world is the Alipay+ simulator (with its acquirer) and a real wallet
// server on loopback, the wallet's client and its Payer, and a client that
// calls the wallet as Alipay+ does.
type world struct {
	t     *testing.T
	clock *offsetClock
	sim   *simulator.Simulator
	svc   *wallet.Service
	payer *mpm.Payer
	// alipay calls the wallet server as Alipay+ (inquiry, cancel, refund).
	alipay *alipayplus.Client
}

func newWorld(t *testing.T, timing simulator.Timing) *world {
	t.Helper()
	w := &world{t: t, clock: &offsetClock{}}
	mppKey, alipayKey := testkit.Key(t, "private.pem"), testkit.Key(t, "other_private.pem")
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "wallet.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w.svc = wallet.NewService(st, wallet.WithClock(wallet.ClockFunc(w.clock.Now)))
	mppSrv := httptest.NewServer(mpp.NewServer(w.svc, mpp.Config{
		ClientID: clientID, Key: mppKey, AlipayPublicKey: &alipayKey.PublicKey, Now: w.clock.Now}))
	t.Cleanup(mppSrv.Close)
	sim, err := simulator.New(simulator.Config{Key: alipayKey, AcquirerKey: mppKey, Now: w.clock.Now, Timing: timing})
	if err != nil {
		t.Fatal(err)
	}
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { sim.Close(); simSrv.Close() })
	sim.SetURL(simSrv.URL)
	sim.Register(simulator.MPP{ClientID: clientID, PublicKey: &mppKey.PublicKey, URL: mppSrv.URL,
		CustomerCurrency: func(id string) (string, bool) {
			u, err := w.svc.User(context.Background(), id)
			return u.Currency(), err == nil
		}})
	w.sim = sim
	client := alipayplus.NewClient(simSrv.URL, alipayplus.Signer{ClientID: clientID, Key: mppKey}, &alipayKey.PublicKey,
		alipayplus.WithClock(w.clock.Now), alipayplus.WithTimeout(2*time.Second),
		alipayplus.WithRetry(alipayplus.Retry{Deadline: time.Second, Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond}))
	cache := coderules.NewCache(coderules.CacheConfig{Path: filepath.Join(t.TempDir(), "coderules.json"),
		Embedded: assets.SandboxCodeRules, Now: w.clock.Now,
		Fetch: func(ctx context.Context) (*alipayplus.InquiryCodeRulesResponse, error) {
			return client.InquiryCodeRules(ctx, &alipayplus.InquiryCodeRulesRequest{})
		}})
	w.payer = &mpm.Payer{Wallet: w.svc, Client: client, Rules: cache, NotifyFor: 5 * time.Second}
	w.alipay = alipayplus.NewClient(mppSrv.URL, alipayplus.Signer{ClientID: clientID, Key: alipayKey}, &mppKey.PublicKey,
		alipayplus.WithRetry(alipayplus.Retry{}))
	return w
}

func (w *world) addUser(id, balance, currency string, edit func(*wallet.User)) {
	w.t.Helper()
	u := wallet.User{ID: id, Balance: w.moneyOf(balance, currency), KYCVerified: true}
	if edit != nil {
		edit(&u)
	}
	if _, err := w.svc.AddUser(context.Background(), u); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) moneyOf(amount, currency string) money.Money {
	w.t.Helper()
	m, err := money.Parse(amount, currency)
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

func (w *world) balance(id string) string {
	w.t.Helper()
	u, err := w.svc.User(context.Background(), id)
	if err != nil {
		w.t.Fatal(err)
	}
	return u.Balance.String()
}

// order makes a merchant's order code at the simulated acquirer.
func (w *world) order(amount, currency string) simulator.Order {
	w.t.Helper()
	o, err := w.sim.CreateOrder(context.Background(), simulator.OrderRequest{Amount: w.moneyOf(amount, currency),
		Description: "Kopi x3", Merchant: simulator.Merchant{Name: "Kopi Corner", StoreName: "Tiong Bahru", Region: "SG"}})
	if err != nil {
		w.t.Fatal(err)
	}
	return o
}

// open identifies the code (it must be DECODE) and asks Alipay+ for it.
func (w *world) open(customer, code string) mpm.Order {
	w.t.Helper()
	if s := w.payer.Identify(code); !s.Decision.Supported || s.Decision.Action != "DECODE" {
		w.t.Fatalf("identify %s: %+v (rules %s)", code, s.Decision, s.Rules)
	}
	o, err := w.payer.Open(context.Background(), customer, code)
	if err != nil {
		w.t.Fatalf("open: %v", err)
	}
	return o
}

func (w *world) finish(o mpm.Order, approve bool) mpm.Result {
	w.t.Helper()
	r, err := w.payer.Finish(context.Background(), o, approve)
	if err != nil {
		w.t.Fatalf("finish: %v", err)
	}
	return r
}

// network is the simulator's record of a payment, once final.
func (w *world) network(requestID string) simulator.Payment {
	w.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, ok := w.sim.Wait(ctx.Done(), requestID)
	if !ok {
		w.t.Fatalf("the network's payment %s is not final: %+v", requestID, p)
	}
	return p
}

func (w *world) orderStatus(code string) simulator.OrderStatus {
	for _, o := range w.sim.Orders() {
		if o.CodeValue == code {
			return o.Status
		}
	}
	return ""
}

// notifies counts the notifyPayment exchanges about a payment.
func (w *world) notifies(requestID string) int {
	n := 0
	for _, e := range w.sim.Transcript().Entries() {
		if e.API == simulator.APINotifyPayment && strings.Contains(e.RequestBody, requestID) {
			n++
		}
	}
	return n
}

// payments is how many payments the wallet's ledger holds for a user.
func (w *world) payments(customer string) int {
	w.t.Helper()
	ps, err := w.svc.Store().Payments(context.Background(), wallet.PaymentFilter{CustomerID: customer})
	if err != nil {
		w.t.Fatal(err)
	}
	return len(ps)
}

func steps(p simulator.Payment) string {
	var b strings.Builder
	for _, s := range p.Steps {
		b.WriteString("  " + s.What + "\n")
	}
	return b.String()
}
