package cli

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/internal/mpm"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/ui"
	"github.com/mppwallet/mppwallet/wallet"
)

// uiOptions say which app to start: the app's settings from flags and the
// environment.
type uiOptions struct {
	dataPath, userID, gateway, theme, region, osType string
	batch                                            int
	barcode                                          bool
	// noMagic turns magic amounts off in the embedded simulator (ui
	// --no-magic).
	noMagic bool
	// qr is the QR style asked for ("" remembers the data dir's), present
	// the presentation layout (ui --qr, --present).
	qr      string
	present bool
	// seams says why this terminal's half blocks leave seams ("" when it
	// is not known to): the seamless QR is then the default.
	seams string
	// now is the clock of the app, the wallet and the embedded simulator
	// (nil: the wall clock); mppwallet bench gives a fake one.
	now func() time.Time
}

// uiSession is a started app with what runs behind it.
type uiSession struct {
	app    ui.App
	svc    *wallet.Service
	userID string
	// sim is the embedded simulator (nil when another one is used).
	sim *simulator.Simulator
	// close stops the servers, unpublishes them and closes the ledger
	// (once, however often it is called).
	close func()
}

// startUI is the composition root of the wallet app: it does everything the
// app needs before its first frame, in this order, each step's closer
// registered so that a failure later undoes it:
//
//  1. the wallet: the data dir, the ledger, the config and the user;
//  2. the keys: the wallet's own pair and Alipay+'s public key (the local
//     simulator's pair when no gateway is given);
//  3. the wallet server on loopback, published as run/serve.json;
//  4. the gateway: the one given, a simulator running on the data dir, or
//     an embedded one, published as run/sim.json;
//  5. the app, given a Backend over the wallet, the Alipay+ client and the
//     simulator's admin API, publishing the code it shows as run/ui.json.
func startUI(o uiOptions) (_ *uiSession, err error) {
	now := o.now
	if now == nil {
		now = time.Now
	}
	s := &uiSession{}
	var closers []func()
	var once sync.Once
	s.close = func() {
		once.Do(func() {
			for i := len(closers) - 1; i >= 0; i-- {
				closers[i]()
			}
		})
	}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	onClose := func(f func()) { closers = append(closers, f) }

	// 1. The wallet.
	d, st, svc, err := openWallet(o.dataPath, wallet.WithClock(wallet.ClockFunc(now)))
	if err != nil {
		return nil, err
	}
	onClose(func() { st.Close() })
	s.svc = svc
	cfg, err := d.loadConfig()
	if err != nil {
		return nil, err
	}
	if other, ok := running(d, "serve"); ok {
		return nil, fmt.Errorf("'mppwallet serve' (pid %d) already serves this data dir; stop it or use another --data", other.PID)
	}
	if s.userID, err = pickUser(context.Background(), svc, o.userID); err != nil {
		return nil, err
	}

	// 2. The keys.
	mppKey, alipayPub, err := appKeys(d, o.gateway == "")
	if err != nil {
		return nil, err
	}

	// 3. The wallet server.
	walletURL, stopServer, err := serveWallet(d, mpp.NewServer(svc, mpp.Config{ClientID: cfg.ClientID, Key: mppKey,
		AlipayPublicKey: alipayPub, Logger: slog.New(slog.DiscardHandler)}), cfg.ClientID)
	if err != nil {
		return nil, err
	}
	onClose(stopServer)

	// 4. The gateway.
	gateway := o.gateway
	if r, ok := running(d, "sim"); ok && gateway == "" {
		gateway = r.URL
	}
	if gateway == "" {
		url, sim, stopSim, err := startEmbeddedSim(d, simulator.MPP{ClientID: cfg.ClientID, PublicKey: &mppKey.PublicKey, URL: walletURL,
			CustomerCurrency: svc.CustomerCurrency}, now, o.noMagic)
		if err != nil {
			return nil, err
		}
		onClose(stopSim)
		s.sim, gateway = sim, url
		unpublish, err := publishRun(d, "sim", gateway, cfg.ClientID)
		if err != nil {
			return nil, err
		}
		onClose(unpublish)
	}
	// Every call to the gateway goes through the route, which finds the
	// data dir's simulator again if it restarts (uibackend_peers.go).
	route := newGatewayRoute(d, gateway, o.gateway == "")
	client := alipayplus.NewClient(gateway, alipayplus.Signer{ClientID: cfg.ClientID, Key: mppKey}, alipayPub, alipayplus.WithClock(now),
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 10 * time.Second, Initial: 250 * time.Millisecond, Max: 2 * time.Second}),
		alipayplus.WithHTTPClient(&http.Client{Transport: route}))
	rules := ruleCache(d, rulesFrom(client))
	onClose(keepRulesFresh(rules, nil))

	// 5. The app.
	events, stop := svc.Subscribe(64)
	onClose(stop)
	shown := publishShown(d)
	onClose(shown.close)
	s.app = ui.New(ui.Config{
		Backend: &uiBackend{svc: svc, client: client, confirmer: &mpp.Confirmer{Wallet: svc, Client: client},
			route: route, dataDir: d.root, region: o.region, osType: o.osType,
			payer: &mpm.Payer{Wallet: svc, Client: client, Rules: rules, NotifyFor: 20 * time.Second}},
		CustomerID: s.userID, Events: events, Barcode: o.barcode, Theme: strings.TrimPrefix(o.theme, "auto"), CodeBatch: o.batch, Now: now,
		OnShown: shown.offer, Display: uiDisplay(d.root, o.qr, o.present, o.seams),
	})
	return s, nil
}

// appKeys makes sure the wallet's key pair exists (and, when the app will
// embed the simulator or no Alipay+ key is known, the simulator's), then
// loads the wallet's private key and Alipay+'s public key.
func appKeys(d dataDir, embedded bool) (*rsa.PrivateKey, *rsa.PublicKey, error) {
	if _, err := ensureKeyPair(d.mppPrivatePath(), d.mppPublicPath()); err != nil {
		return nil, nil, cleanErr(err)
	}
	if _, err := os.Stat(d.alipayPublicPath()); errors.Is(err, os.ErrNotExist) || embedded {
		if _, err := ensureKeyPair(d.simAlipayPrivatePath(), d.alipayPublicPath()); err != nil {
			return nil, nil, cleanErr(err)
		}
	}
	key, _, err := alipayplus.LoadPrivateKeyFile(d.mppPrivatePath())
	if err != nil {
		return nil, nil, cleanErr(err)
	}
	pub, err := alipayplus.LoadPublicKeyFile(d.alipayPublicPath())
	if err != nil {
		return nil, nil, cleanErr(err)
	}
	return key, pub, nil
}

// serveWallet serves the wallet's handler on a free loopback port and
// publishes it as the data dir's server; stop undoes both.
func serveWallet(d dataDir, h http.Handler, clientID string) (url string, stop func(), err error) {
	ln, err := listen("127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := newHTTPServer(h)
	go srv.Serve(keepListening(ln)) // a lost port is taken again (uibackend_listen.go)
	url = "http://" + ln.Addr().String()
	unpublish, err := publishRun(d, "serve", url, clientID)
	if err != nil {
		srv.Close()
		return "", nil, err
	}
	return url, func() { unpublish(); srv.Close() }, nil
}

// pickUser returns the user to show: the one asked for, else the first,
// else a new demo user with 1000.00 USD.
func pickUser(ctx context.Context, svc *wallet.Service, id string) (string, error) {
	if id != "" {
		if _, err := svc.User(ctx, id); err != nil {
			return "", fmt.Errorf("no user %q: add one with 'mppwallet users add --id %s --balance 1000.00'", id, id)
		}
		return id, nil
	}
	users, err := svc.Store().Users(ctx)
	if err != nil {
		return "", err
	}
	if len(users) > 0 {
		return users[0].ID, nil
	}
	u, err := svc.AddUser(ctx, wallet.User{ID: "demo", Name: "Demo User", Balance: money.Money{Currency: "USD", Minor: 100000}, KYCVerified: true})
	if err != nil {
		return "", err
	}
	return u.ID, nil
}

// embeddedSim serves a simulator on loopback (with the data dir's Alipay+
// key and admin token) for the life of one command, registers mpp with it, and returns its
// URL and the simulator; stop ends both. now is its clock (nil: the wall
// clock).
func embeddedSim(d dataDir, mpp simulator.MPP, now func() time.Time) (url string, sim *simulator.Simulator, stop func(), err error) {
	return startEmbeddedSim(d, mpp, now, false)
}

// startEmbeddedSim is embeddedSim, with magic amounts off when noMagic.
func startEmbeddedSim(d dataDir, mpp simulator.MPP, now func() time.Time, noMagic bool) (url string, sim *simulator.Simulator, stop func(), err error) {
	if _, err := ensureKeyPair(d.simAlipayPrivatePath(), d.alipayPublicPath()); err != nil {
		return "", nil, nil, cleanErr(err)
	}
	key, _, err := alipayplus.LoadPrivateKeyFile(d.simAlipayPrivatePath())
	if err != nil {
		return "", nil, nil, cleanErr(err)
	}
	if _, err := ensureKeyPair(d.simAcquirerPrivatePath(), d.simAcquirerPublicPath()); err != nil {
		return "", nil, nil, cleanErr(err)
	}
	acqKey, _, err := alipayplus.LoadPrivateKeyFile(d.simAcquirerPrivatePath())
	if err != nil {
		return "", nil, nil, cleanErr(err)
	}
	fx, err := loadFX(d, "")
	if err != nil {
		return "", nil, nil, err
	}
	token, _, err := ensureSimAdminToken(d)
	if err != nil {
		return "", nil, nil, err
	}
	sim, err = simulator.New(simulator.Config{Key: key, AcquirerKey: acqKey, Now: now, FX: fx, NoMagic: noMagic,
		AdminToken: token, AdminTokenHint: d.simAdminTokenPath()})
	if err != nil {
		return "", nil, nil, err
	}
	merchants, err := loadMerchantClients(d)
	if err == nil {
		err = registerMerchantClients(sim, merchants)
	}
	if err != nil {
		sim.Close()
		return "", nil, nil, err
	}
	ln, err := listen("127.0.0.1:0")
	if err != nil {
		sim.Close()
		return "", nil, nil, err
	}
	srv := newHTTPServer(sim.Handler())
	srv.WriteTimeout = simulator.MaxAdminWait + time.Minute // charges wait for the final result
	go srv.Serve(keepListening(ln))                         // a lost port is taken again (uibackend_listen.go)
	url = "http://" + ln.Addr().String()
	sim.SetURL(url)
	sim.Register(mpp)
	return url, sim, func() { srv.Close(); sim.Close() }, nil
}
