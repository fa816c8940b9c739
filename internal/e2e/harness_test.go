package e2e_test

import (
	"context"
	"crypto/rsa"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/internal/testkit"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

const mppClientID = "SANDBOX_MPP_TEST"

// clock is a settable clock; the network's timers still run in real time
// (scaled down by fastTiming), the clock only moves the validity windows.
type clock = testkit.OffsetClock

// fastTiming shrinks the network's waits so follow-ups finish in
// milliseconds.
var fastTiming = simulator.Timing{
	PaymentExpiry: 400 * time.Millisecond, PayTimeout: 2 * time.Second, InquiryTimeout: 2 * time.Second,
	CancelTimeout: 2 * time.Second, InquiryFirst: 20 * time.Millisecond, InquiryMax: 50 * time.Millisecond,
}

// network is the simulator and a real wallet server on loopback.
type network struct {
	t         testing.TB
	clock     *clock
	sim       *simulator.Simulator
	simURL    string
	mppURL    string
	svc       *wallet.Service
	store     *sqlite.Store
	mppKey    *rsa.PrivateKey
	alipayKey *rsa.PrivateKey
	// client is the wallet's client for the MPP → Alipay+ APIs.
	client *alipayplus.Client
}

func newNetwork(t testing.TB, timing simulator.Timing) *network {
	t.Helper()
	return newNetworkWith(t, simulator.Config{Timing: timing})
}

// newNetworkWith is newNetwork with more of the simulator's configuration
// (its keys and clock are the network's).
func newNetworkWith(t testing.TB, cfg simulator.Config) *network {
	t.Helper()
	n := &network{t: t, clock: &clock{}, mppKey: testkit.Key(t, "private.pem"), alipayKey: testkit.Key(t, "other_private.pem")}
	st, err := sqlite.Open(filepath.Join(t.TempDir(), "w.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	n.store = st
	n.svc = wallet.NewService(st, wallet.WithClock(wallet.ClockFunc(n.clock.Now)))
	mppSrv := httptest.NewServer(mpp.NewServer(n.svc, mpp.Config{
		ClientID: mppClientID, Key: n.mppKey, AlipayPublicKey: &n.alipayKey.PublicKey, Now: n.clock.Now}))
	t.Cleanup(mppSrv.Close)
	n.mppURL = mppSrv.URL
	cfg.Key, cfg.AcquirerKey, cfg.Now = n.alipayKey, testkit.Key(t, "private.pem"), n.clock.Now
	sim, err := simulator.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	simSrv := httptest.NewServer(sim.Handler())
	t.Cleanup(func() { sim.Close(); simSrv.Close() })
	sim.SetURL(simSrv.URL)
	n.sim, n.simURL = sim, simSrv.URL
	sim.Register(simulator.MPP{ClientID: mppClientID, PublicKey: &n.mppKey.PublicKey, URL: mppSrv.URL,
		CustomerCurrency: func(id string) (string, bool) {
			u, err := n.svc.User(context.Background(), id)
			return u.Currency(), err == nil
		}})
	n.client = alipayplus.NewClient(simSrv.URL, alipayplus.Signer{ClientID: mppClientID, Key: n.mppKey}, &n.alipayKey.PublicKey,
		alipayplus.WithClock(n.clock.Now),
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 2 * time.Second, Initial: 5 * time.Millisecond, Max: 20 * time.Millisecond}))
	return n
}

func (n *network) addUser(id, balance, currency string, edit func(*wallet.User)) {
	n.t.Helper()
	m, err := money.Parse(balance, currency)
	if err != nil {
		n.t.Fatal(err)
	}
	u := wallet.User{ID: id, Balance: m, KYCVerified: true}
	if edit != nil {
		edit(&u)
	}
	if _, err := n.svc.AddUser(context.Background(), u); err != nil {
		n.t.Fatal(err)
	}
}

func (n *network) balance(id string) money.Money {
	n.t.Helper()
	u, err := n.svc.User(context.Background(), id)
	if err != nil {
		n.t.Fatal(err)
	}
	return u.Balance
}

// codes asks the network for payment codes as the wallet app would.
func (n *network) codes(customer string, qty int) []alipayplus.PaymentCodeInfo {
	n.t.Helper()
	resp, err := n.client.GetPaymentCode(context.Background(), &alipayplus.GetPaymentCodeRequest{
		CustomerID: customer, CodeQuantity: strconv.Itoa(qty), Env: &alipayplus.Env{DeviceTokenID: "device-" + customer, OSType: "ANDROID", TerminalType: "APP"}})
	if err != nil {
		n.t.Fatalf("getPaymentCode: %v", err)
	}
	return resp.PaymentCodeInfoList
}

func moneyOf(t testing.TB, amount, currency string) money.Money {
	t.Helper()
	m, err := money.Parse(amount, currency)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func charge(t testing.TB, n *network, code, amount, currency string) simulator.Payment {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	p, err := n.sim.Charge(ctx, simulator.ChargeRequest{Code: code, Amount: moneyOf(t, amount, currency)})
	if err != nil {
		t.Fatalf("charge: %v", err)
	}
	if !p.Final() {
		t.Fatalf("charge did not finish: %+v", p)
	}
	return p
}
