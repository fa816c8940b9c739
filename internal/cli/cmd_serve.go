package cli

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/internal/atomicfile"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/wallet"
)

func serveCmd() *command {
	return &command{
		name:    "serve",
		summary: "run the wallet server headless: the endpoints Alipay+ calls (pay, inquiryPayment, cancelPayment, refund)",
		use:     "[flags]",
		examples: []string{
			"mppwallet serve",
			"mppwallet serve --listen 127.0.0.1:0 --data /tmp/w1 --json",
			"mppwallet serve --listen :8443 --client-id SANDBOX_5YC47N2ZQHJ004124 \\",
			"    --private-key keys/private.pem --alipayplus-public-key keys/alipayplus_public.pem \\",
			"    --gateway https://open-sea-global.alipayplus.com",
			"mppwallet serve --max-clock-skew 5m     # refuse a Request-Time over 5 minutes off",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			o := serveOptions{
				data:     dataFlag(fs, env),
				listen:   fs.String("listen", env.envDefault("MPPWALLET_LISTEN", "127.0.0.1:7575"), "`ADDR` to listen on; port 0 picks a free one (env MPPWALLET_LISTEN)"),
				clientID: fs.String("client-id", env.getenv("MPPWALLET_CLIENT_ID"), "the MPP's Client-Id (env MPPWALLET_CLIENT_ID; default: the data dir's)"),
				gateway:  fs.String("gateway", env.getenv("MPPWALLET_GATEWAY"), "Alipay+ base `URL` for notifyPayment (env MPPWALLET_GATEWAY; default: the data dir's)"),
				private: keyFlags{file: fs.String("private-key", "", "the MPP's private key `FILE`, PEM or base64 (env MPPWALLET_PRIVATE_KEY_FILE, or the key itself in MPPWALLET_PRIVATE_KEY; default: generated in the data dir)"),
					envKey: "MPPWALLET_PRIVATE_KEY", envFile: "MPPWALLET_PRIVATE_KEY_FILE"},
				alipay: keyFlags{file: fs.String("alipayplus-public-key", "", "Alipay+'s public key `FILE` that verifies requests (env MPPWALLET_ALIPAYPLUS_PUBLIC_KEY_FILE or MPPWALLET_ALIPAYPLUS_PUBLIC_KEY; default: the local simulator's, generated in the data dir)"),
					envKey: "MPPWALLET_ALIPAYPLUS_PUBLIC_KEY", envFile: "MPPWALLET_ALIPAYPLUS_PUBLIC_KEY_FILE"},
				autoConfirm: fs.String("auto-confirm", "none", "answer payments held for confirmation (users with --override ask): none, approve or decline"),
				asJSON:      fs.Bool("json", false, "print payment events as JSON lines"),
				logLevel:    fs.String("log-level", env.envDefault("MPPWALLET_LOG_LEVEL", "warn"), "stderr log level: debug, info, warn or error (env MPPWALLET_LOG_LEVEL)"),
				maxSkew:     fs.Duration("max-clock-skew", 0, "refuse (PARAM_ILLEGAL) a request whose Request-Time is further than this `DURATION` from this server's clock, e.g. 5m (default: off)"),
			}
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("serve", "unexpected argument %q", args[0])
				}
				return o.run(ctx, env)
			}
		},
	}
}

type serveOptions struct {
	data, listen, clientID, gateway, autoConfirm, logLevel *string
	private, alipay                                        keyFlags
	asJSON                                                 *bool
	maxSkew                                                *time.Duration
}

// keys resolves the MPP key pair and Alipay+'s public key. Keys named
// explicitly are read first, so a bad one fails before anything is
// generated; the defaults are generated in the data dir on first run.
func (o serveOptions) keys(env *cliEnv, d dataDir) (*rsa.PrivateKey, *rsa.PublicKey, error) {
	var key *rsa.PrivateKey
	var pub *rsa.PublicKey
	var warnings []string
	var err error
	if o.private.given(env) {
		if key, warnings, err = o.private.privateKey(env, ""); err != nil {
			return nil, nil, cleanErr(err)
		}
	}
	if o.alipay.given(env) {
		if pub, err = o.alipay.publicKey(env, ""); err != nil {
			return nil, nil, cleanErr(err)
		}
	}
	if key == nil {
		if made, err := ensureKeyPair(d.mppPrivatePath(), d.mppPublicPath()); err != nil {
			return nil, nil, cleanErr(err)
		} else if made {
			fmt.Fprintf(env.stderr, "generated the wallet's key pair in %s\n", d.mppPrivatePath())
		}
		if key, warnings, err = alipayplus.LoadPrivateKeyFile(d.mppPrivatePath()); err != nil {
			return nil, nil, cleanErr(err)
		}
	}
	for _, w := range warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	if pub == nil {
		if _, err := os.Stat(d.alipayPublicPath()); errors.Is(err, os.ErrNotExist) {
			if made, err := ensureKeyPair(d.simAlipayPrivatePath(), d.alipayPublicPath()); err != nil {
				return nil, nil, cleanErr(err)
			} else if made {
				fmt.Fprintf(env.stderr, "generated a local Alipay+ key pair for offline use; its public key is %s\n", d.alipayPublicPath())
			}
		}
		if pub, err = alipayplus.LoadPublicKeyFile(d.alipayPublicPath()); err != nil {
			return nil, nil, cleanErr(err)
		}
	}
	return key, pub, nil
}

func (o serveOptions) run(ctx context.Context, env *cliEnv) error {
	level, err := parseLevel(*o.logLevel)
	if err != nil {
		return usagef("serve", "--log-level: %v", err)
	}
	confirm := strings.ToLower(*o.autoConfirm)
	if confirm != "none" && confirm != "approve" && confirm != "decline" {
		return usagef("serve", "--auto-confirm %q: want none, approve or decline", *o.autoConfirm)
	}
	if *o.maxSkew < 0 {
		return usagef("serve", "--max-clock-skew %s: want a positive duration such as 5m (0 is off)", *o.maxSkew)
	}
	if p := listenAddrProblem(*o.listen); p != "" {
		return usagef("serve", "%s", p)
	}
	if err := checkURL("serve", "gateway", *o.gateway); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: level}))
	d, st, svc, err := openWallet(*o.data)
	if err != nil {
		return err
	}
	defer st.Close()
	cfg, err := d.loadConfig()
	if err != nil {
		return err
	}
	if *o.clientID == "" {
		*o.clientID = cfg.ClientID
	}
	if *o.gateway == "" {
		*o.gateway = cfg.Gateway
	}
	if other, ok := running(d, "serve"); ok {
		return fmt.Errorf("another mppwallet serve (pid %d) already serves this data dir at %s; stop it or use another --data", other.PID, other.URL)
	}
	// Listen before anything is written, so a busy address changes nothing.
	ln, err := listen(*o.listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	warnIfExposed(env.stderr, "the wallet server", ln.Addr(), " (requests still need Alipay+'s signature)")
	key, alipayPub, err := o.keys(env, d)
	if err != nil {
		return err
	}
	handler := mpp.NewServer(svc, mpp.Config{
		ClientID: *o.clientID, Key: key, AlipayPublicKey: alipayPub, Logger: logger, MaxClockSkew: *o.maxSkew,
	})
	url := "http://" + ln.Addr().String()
	unpublish, err := publishRun(d, "serve", url, *o.clientID)
	if err != nil {
		return err
	}
	defer unpublish()

	// The gateway for notifyPayment: the flag, env or config, else a
	// simulator running on the same data dir (looked up when needed).
	gateway := func() string {
		if *o.gateway != "" {
			return *o.gateway
		}
		if sim, ok := running(d, "sim"); ok {
			return sim.URL
		}
		return ""
	}
	client := func() *alipayplus.Client {
		gw := gateway()
		if gw == "" {
			return nil
		}
		return alipayplus.NewClient(gw, alipayplus.Signer{ClientID: *o.clientID, Key: key}, alipayPub, alipayplus.WithLogger(logger))
	}
	confirmer := func() *mpp.Confirmer {
		c := client()
		if c == nil {
			return nil
		}
		return &mpp.Confirmer{Wallet: svc, Client: c}
	}
	gw := *o.gateway
	if gw == "" {
		gw = "a simulator on this data dir when one runs (mppwallet sim); else none"
	}
	if !*o.asJSON {
		fmt.Fprintf(env.stdout, "mppwallet wallet server\n  listening  %s\n  pay URL    %s%s\n  client id  %s\n  data       %s\n  gateway    %s\n",
			url, url, alipayplus.PathPay, *o.clientID, d.root, gw)
	}
	// Keep DATA/coderules.json fresh for scan and identify (the gateway is
	// looked up at each refresh, like notifyPayment's).
	stopRules := keepRulesFresh(ruleCache(d, func(ctx context.Context) (*alipayplus.InquiryCodeRulesResponse, error) {
		c := client()
		if c == nil {
			return nil, errors.New("no gateway")
		}
		return rulesFrom(c)(ctx)
	}), func(s *coderules.Set, err error) {
		if err != nil {
			logger.Info("code rules not refreshed", "using", s.Source(), "err", err)
			return
		}
		logger.Info("code rules refreshed", "using", s.Source())
	})
	defer stopRules()
	if *o.asJSON {
		// The first line: the listener is open and run/serve.json written.
		if err := printReady(env.stdout, readyEvent{Command: "serve", URL: url, PID: os.Getpid(), DataDir: d.root,
			ClientID: *o.clientID, PayURL: url + alipayplus.PathPay, Gateway: gateway()}); err != nil {
			return err
		}
	}
	events, unsubscribe := svc.Subscribe(256)
	defer unsubscribe()
	go reportEvents(ctx, env, events, *o.asJSON, confirm, svc, confirmer, logger)
	if confirm != "none" {
		go confirmHeld(ctx, svc, confirmer(), confirm == "approve", logger)
	}
	return serveUntil(ctx, "server", handler, ln, 0)
}

// publishRun writes run/NAME.json for other processes and returns the
// function that removes it again, if it still describes this process (so
// stopping never hides another server's address).
func publishRun(d dataDir, name, url, clientID string) (func(), error) {
	state := serveState{PID: os.Getpid(), URL: url, ClientID: clientID, StartedAt: time.Now().UTC(), Token: rand.Text()}
	b, _ := json.MarshalIndent(state, "", "  ")
	if err := atomicfile.Write(d.runPath(name), append(b, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("cannot write %s: %w", d.runPath(name), err)
	}
	return func() {
		b, err := os.ReadFile(d.runPath(name))
		var cur serveState
		if err == nil && json.Unmarshal(b, &cur) == nil && cur.Token == state.Token {
			os.Remove(d.runPath(name))
		}
	}, nil
}

// listen opens addr with a clear message when it is taken; a malformed
// address is a usage error.
func listen(addr string) (net.Listener, error) {
	if p := listenAddrProblem(addr); p != "" {
		return nil, &usageError{msg: p}
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			return nil, fmt.Errorf("cannot listen on %s: the address is in use (use --listen 127.0.0.1:0 for any free port)", addr)
		}
		return nil, fmt.Errorf("cannot listen on %s: %w", addr, err)
	}
	return ln, nil
}

// newHTTPServer sets timeouts so slow or stuck clients cannot hold the
// server: Alipay+ itself gives up after 8 s.
func newHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       60 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

func parseLevel(s string) (slog.Level, error) {
	var l slog.Level
	if err := l.UnmarshalText([]byte(s)); err != nil {
		return l, fmt.Errorf("%q: want debug, info, warn or error", s)
	}
	return l, nil
}

// reportEvents prints payment events and answers held payments when asked.
func reportEvents(ctx context.Context, env *cliEnv, events <-chan wallet.Event, asJSON bool, confirm string,
	svc *wallet.Service, confirmer func() *mpp.Confirmer, logger *slog.Logger) {
	enc := json.NewEncoder(env.stdout)
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-events:
			if !ok {
				return
			}
			if asJSON {
				_ = enc.Encode(eventJSON{Event: string(e.Kind), At: alipayplus.FormatTime(e.At), Payment: toPaymentJSON(e.Payment)})
			} else {
				fmt.Fprintln(env.stdout, eventLine(e))
			}
			if e.Kind == wallet.EventReceived && confirm != "none" {
				go autoConfirm(ctx, svc, confirmer(), e.Payment.RequestID, confirm == "approve", logger)
			}
		}
	}
}

// confirmHeld answers the payments held for confirmation before this
// server started (a restart while they waited): those not yet expired get
// the --auto-confirm answer, as new ones do.
func confirmHeld(ctx context.Context, svc *wallet.Service, c *mpp.Confirmer, approve bool, logger *slog.Logger) {
	held, err := svc.Store().Payments(ctx, wallet.PaymentFilter{Status: wallet.StatusProcessing})
	if err != nil {
		logger.Error("cannot list the held payments", "err", err)
		return
	}
	now := svc.Now()
	for _, p := range held {
		if !p.ExpiresAt.IsZero() && !now.Before(p.ExpiresAt) {
			continue // Alipay+ cancels it
		}
		logger.Warn("answering a payment held before this start", "customerId", p.CustomerID, "amount", p.Amount.String(), "paymentRequestId", p.RequestID)
		autoConfirm(ctx, svc, c, p.RequestID, approve, logger)
	}
}

func autoConfirm(ctx context.Context, svc *wallet.Service, c *mpp.Confirmer, id string, approve bool, logger *slog.Logger) {
	if c == nil {
		if _, err := svc.Decide(ctx, id, approve, ""); err != nil {
			logger.Error("auto-confirm failed", "paymentRequestId", id, "err", err)
		}
		logger.Warn("no gateway: the decision was not sent with notifyPayment", "paymentRequestId", id)
		return
	}
	if _, err := c.Confirm(ctx, id, approve); err != nil {
		logger.Error("auto-confirm failed", "paymentRequestId", id, "err", err)
	}
}

type eventJSON struct {
	Event   string      `json:"event"`
	At      string      `json:"at"`
	Payment paymentJSON `json:"payment"`
}

func eventLine(e wallet.Event) string {
	p := e.Payment
	line := fmt.Sprintf("%s %-9s %s %s %s", e.At.Local().Format(time.TimeOnly), e.Kind, p.CustomerID, p.Amount, p.Status)
	if p.ResultCode != "" && p.ResultCode != wallet.CodeSuccess {
		line += " " + string(p.ResultCode)
	}
	if p.Merchant.Name != "" {
		line += " at " + p.Merchant.Name
	}
	if e.Refund != nil {
		line += " refunded " + e.Refund.Amount.String()
	}
	return line + " (" + p.RequestID + ")"
}

// serveUntil serves h on ln until ctx ends, then shuts down within 5 s;
// writeTimeout, unless 0, replaces newHTTPServer's bound on writing an
// answer. what names the server in the error when serving fails.
func serveUntil(ctx context.Context, what string, h http.Handler, ln net.Listener, writeTimeout time.Duration) error {
	srv := newHTTPServer(h)
	if writeTimeout > 0 {
		srv.WriteTimeout = writeTimeout
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("%s stopped: %w", what, err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}
