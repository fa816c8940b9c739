package bench

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"sync"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

// ClientID is the wallet's Client-Id in the benchmark's network.
const ClientID = "SANDBOX_MPPWALLET_BENCH"

// StackConfig says where and how to run a Stack.
type StackConfig struct {
	// Dir is the data dir: the ledger is Dir/wallet.db. It should be a new,
	// empty directory.
	Dir string
	// Now is the clock of every part (default time.Now).
	Now func() time.Time
	// NewServer makes the HTTP servers, with the timeouts the commands use.
	NewServer func(http.Handler) *http.Server
	// Timing is the simulator's (zero fields take its defaults).
	Timing simulator.Timing
}

// Stack is what 'mppwallet' runs in one process: the wallet's ledger and
// server and the Alipay+ simulator, both served over HTTP on loopback, with
// the simulator driving the wallet as a registered MPP.
type Stack struct {
	Store  *sqlite.Store
	Wallet *wallet.Service
	Sim    *simulator.Simulator
	// WalletURL and SimURL are the base URLs of the two servers.
	WalletURL, SimURL string
	// MPPKey is the wallet's key, AlipayKey Alipay+'s.
	MPPKey, AlipayKey *rsa.PrivateKey
	// Client is the wallet's Alipay+ client (getPaymentCode, ...).
	Client *alipayplus.Client

	now   func() time.Time
	close []func()
}

// Keys makes the three RSA-2048 keys of a network in parallel: the wallet's,
// Alipay+'s and the acquirer's.
func Keys() (mpp, alipay, acquirer *rsa.PrivateKey, err error) {
	keys := make([]*rsa.PrivateKey, 3)
	errs := make([]error, 3)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() { keys[i], errs[i] = alipayplus.GenerateKey() })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, nil, nil, err
	}
	return keys[0], keys[1], keys[2], nil
}

// Start opens the ledger in cfg.Dir and serves the wallet and the
// simulator on loopback.
func Start(cfg StackConfig) (*Stack, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.NewServer == nil {
		return nil, fmt.Errorf("bench: no NewServer")
	}
	mppKey, alipayKey, acqKey, err := Keys()
	if err != nil {
		return nil, err
	}
	s := &Stack{MPPKey: mppKey, AlipayKey: alipayKey, now: cfg.Now}
	ok := false
	defer func() {
		if !ok {
			s.Close()
		}
	}()
	s.Store, err = sqlite.Open(filepath.Join(cfg.Dir, "wallet.db"))
	if err != nil {
		return nil, err
	}
	s.close = append(s.close, func() { s.Store.Close() })
	s.Wallet = wallet.NewService(s.Store, wallet.WithClock(wallet.ClockFunc(cfg.Now)))

	logger := slog.New(slog.DiscardHandler)
	walletURL, stopWallet, err := serve(cfg.NewServer(mpp.NewServer(s.Wallet, mpp.Config{
		ClientID: ClientID, Key: mppKey, AlipayPublicKey: &alipayKey.PublicKey, Logger: logger})))
	if err != nil {
		return nil, err
	}
	s.WalletURL = walletURL
	s.close = append(s.close, stopWallet)

	s.Sim, err = simulator.New(simulator.Config{Key: alipayKey, AcquirerKey: acqKey, Now: cfg.Now, Logger: logger, Timing: cfg.Timing})
	if err != nil {
		return nil, err
	}
	s.close = append(s.close, s.Sim.Close)
	srv := cfg.NewServer(s.Sim.Handler())
	srv.WriteTimeout = simulator.MaxAdminWait + time.Minute // charges wait for the final result
	simURL, stopSim, err := serve(srv)
	if err != nil {
		return nil, err
	}
	s.SimURL = simURL
	s.close = append(s.close, stopSim)
	s.Sim.SetURL(s.SimURL)
	s.Sim.Register(simulator.MPP{ClientID: ClientID, PublicKey: &mppKey.PublicKey, URL: walletURL,
		CustomerCurrency: s.Wallet.CustomerCurrency})
	s.Client = alipayplus.NewClient(s.SimURL, alipayplus.Signer{ClientID: ClientID, Key: mppKey}, &alipayKey.PublicKey,
		alipayplus.WithClock(cfg.Now), alipayplus.WithRetry(alipayplus.Retry{}))
	ok = true
	return s, nil
}

// serve serves srv on a free loopback port and returns its URL and the
// function that stops it.
func serve(srv *http.Server) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("cannot listen on loopback: %w", err)
	}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// Close stops the servers and closes the ledger.
func (s *Stack) Close() {
	for i := len(s.close) - 1; i >= 0; i-- {
		s.close[i]()
	}
	s.close = nil
}

// AddUsers adds n users PREFIX-1 ... PREFIX-n, each with balance (USD
// minor units), KYC done and no limits, and returns their ids.
func (s *Stack) AddUsers(ctx context.Context, prefix string, n int, balance int64) ([]string, error) {
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("%s-%d", prefix, i+1)
		if _, err := s.Wallet.AddUser(ctx, wallet.User{ID: ids[i], Name: "Bench " + fmt.Sprint(i+1),
			Balance: money.Money{Currency: "USD", Minor: balance}, KYCVerified: true}); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// Code is a payment code and whose it is.
type Code struct {
	Customer string
	Value    string
}

// FetchCodes asks the simulator for n payment codes, as the wallet app
// does (signed getPaymentCode calls of up to 10 codes), spread over the
// customers. Codes are valid from when the simulator's Timing says: for a
// benchmark, make CodeStep tiny so that every code is valid at once.
func (s *Stack) FetchCodes(ctx context.Context, customers []string, n int) ([]Code, error) {
	out := make([]Code, 0, n)
	for i := 0; len(out) < n; i++ {
		c := customers[i%len(customers)]
		q := min(10, n-len(out))
		resp, err := s.Client.GetPaymentCode(ctx, &alipayplus.GetPaymentCodeRequest{CustomerID: c, CodeQuantity: fmt.Sprint(q),
			Env: &alipayplus.Env{DeviceTokenID: "mppwallet-bench-" + c, TerminalType: "APP"}})
		if err != nil {
			return nil, fmt.Errorf("getPaymentCode: %w", err)
		}
		for _, pc := range resp.PaymentCodeInfoList {
			out = append(out, Code{Customer: c, Value: pc.PaymentCode})
		}
	}
	return out, nil
}
