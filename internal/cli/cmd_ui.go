package cli

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/pflag"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/internal/mpm"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/ui"
	"github.com/mppwallet/mppwallet/wallet"
)

func uiCmd() *command {
	return &command{
		name:    "ui",
		summary: "the wallet app (the default with no command): a rotating payment code, the result page, and a Scan screen for merchants' codes",
		use:     "[flags]",
		examples: []string{
			"mppwallet",
			"mppwallet ui --user alice --barcode",
			"mppwallet ui --data /tmp/demo --user kenji",
			"NO_COLOR=1 mppwallet ui --theme light",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			user := fs.String("user", env.getenv("MPPWALLET_USER"), "customerId to show codes for (env MPPWALLET_USER; default: the first user, or a new demo user)")
			barcode := fs.Bool("barcode", env.getenv("MPPWALLET_BARCODE") != "", "start on the Code 128 barcode instead of the QR code (env MPPWALLET_BARCODE=1)")
			gateway := fs.String("gateway", env.getenv("MPPWALLET_GATEWAY"), "Alipay+ base `URL` (env MPPWALLET_GATEWAY; default: a simulator running on the data dir, else an embedded one)")
			theme := fs.String("theme", env.getenv("MPPWALLET_THEME"), "the terminal's background `THEME`, dark or light, for codes drawn without colours (env MPPWALLET_THEME; default: ask the terminal)")
			region := fs.String("region", env.getenv("MPPWALLET_REGION"), "ISO 3166 `CC` where the user pays, sent with getPaymentCode (env MPPWALLET_REGION; Alipay+ requires it for CN)")
			batchEnv := env.getenv("MPPWALLET_CODE_BATCH")
			batchDefault, batchErr := 4, error(nil)
			if batchEnv != "" {
				batchDefault, batchErr = strconv.Atoi(batchEnv)
			}
			batch := fs.Int("code-batch", batchDefault, "payment codes to ask for at once, 1-10 (env MPPWALLET_CODE_BATCH)")
			osType := fs.String("os-type", cmp.Or(env.getenv("MPPWALLET_OS_TYPE"), "ANDROID"), "the device's osType sent with getPaymentCode, IOS or ANDROID (env MPPWALLET_OS_TYPE)")
			return func(ctx context.Context, args []string) error {
				switch *theme {
				case "", "auto", "dark", "light":
				default:
					return usagef("ui", "--theme %q: want dark or light", *theme)
				}
				if batchErr != nil && *batch == batchDefault {
					return usagef("ui", "MPPWALLET_CODE_BATCH=%q: want a number from 1 to 10", batchEnv)
				}
				if *batch < 1 || *batch > 10 {
					return usagef("ui", "--code-batch %d: want 1 to 10 (getPaymentCode's codeQuantity)", *batch)
				}
				*osType = strings.ToUpper(*osType)
				if *osType != "IOS" && *osType != "ANDROID" {
					return usagef("ui", "--os-type %q: want IOS or ANDROID", *osType)
				}
				if *region != "" && !isRegion(*region) {
					return usagef("ui", "--region %q: want a two-letter ISO 3166 code such as SG", *region)
				}
				return runUI(ctx, env, uiOptions{dataPath: *data, userID: *user, gateway: *gateway, theme: *theme, region: strings.ToUpper(*region),
					osType: *osType, batch: *batch, barcode: *barcode})
			}
		},
	}
}

// isRegion reports whether s looks like an ISO 3166 alpha-2 code.
func isRegion(s string) bool {
	return len(s) == 2 && strings.IndexFunc(strings.ToUpper(s), func(r rune) bool { return r < 'A' || r > 'Z' }) < 0
}

// runUI starts the wallet server (and, unless one runs on the data dir or
// a gateway is given, the embedded simulator) in this process, publishes
// both for other commands (merchant charge), and runs the app.
func runUI(ctx context.Context, env *cliEnv, o uiOptions) error {
	s, err := startUI(o)
	if err != nil {
		return err
	}
	defer s.close()
	p := tea.NewProgram(s.app, tea.WithContext(ctx), tea.WithInput(env.stdin), tea.WithOutput(env.stdout))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && ctx.Err() == nil {
		return err
	}
	return nil
}

// uiOptions say which app to start: the app's settings from flags and the
// environment.
type uiOptions struct {
	dataPath, userID, gateway, theme, region, osType string
	batch                                            int
	barcode                                          bool
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

// startUI does everything the app needs before its first frame: the
// ledger, the user, the keys, the wallet server and (unless a simulator
// runs on the data dir or a gateway is given) the embedded simulator, each
// published in the data dir for other commands (merchant charge).
func startUI(o uiOptions) (_ *uiSession, err error) {
	now := o.now
	if now == nil {
		now = time.Now
	}
	var closers []func()
	var once sync.Once
	s := &uiSession{close: func() {
		once.Do(func() {
			for i := len(closers) - 1; i >= 0; i-- {
				closers[i]()
			}
		})
	}}
	defer func() {
		if err != nil {
			s.close()
		}
	}()
	d, st, svc, err := openWallet(o.dataPath, wallet.WithClock(wallet.ClockFunc(now)))
	if err != nil {
		return nil, err
	}
	closers = append(closers, func() { st.Close() })
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
	gateway := o.gateway
	if _, err := ensureKeyPair(d.mppPrivatePath(), d.mppPublicPath()); err != nil {
		return nil, cleanErr(err)
	}
	if _, err := os.Stat(d.alipayPublicPath()); errors.Is(err, os.ErrNotExist) || gateway == "" {
		if _, err := ensureKeyPair(d.simAlipayPrivatePath(), d.alipayPublicPath()); err != nil {
			return nil, cleanErr(err)
		}
	}
	mppKey, _, err := alipayplus.LoadPrivateKeyFile(d.mppPrivatePath())
	if err != nil {
		return nil, cleanErr(err)
	}
	alipayPub, err := alipayplus.LoadPublicKeyFile(d.alipayPublicPath())
	if err != nil {
		return nil, cleanErr(err)
	}
	logger := slog.New(slog.DiscardHandler)

	// The wallet server, on loopback.
	ln, err := listen("127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := newHTTPServer(mpp.NewServer(svc, mpp.Config{ClientID: cfg.ClientID, Key: mppKey, AlipayPublicKey: alipayPub, Logger: logger}))
	go srv.Serve(ln)
	closers = append(closers, func() { srv.Close() })
	walletURL := "http://" + ln.Addr().String()
	unpublish, err := publishRun(d, "serve", walletURL, cfg.ClientID)
	if err != nil {
		return nil, err
	}
	closers = append(closers, unpublish)

	// The gateway: given, a simulator on the data dir, or an embedded one.
	if gateway == "" {
		if r, ok := running(d, "sim"); ok {
			gateway = r.URL
		}
	}
	if gateway == "" {
		url, sim, stopSim, err := embeddedSim(d, simulator.MPP{ClientID: cfg.ClientID, PublicKey: &mppKey.PublicKey, URL: walletURL,
			CustomerCurrency: svc.CustomerCurrency}, now)
		if err != nil {
			return nil, err
		}
		closers = append(closers, stopSim)
		s.sim, gateway = sim, url
		unpublishSim, err := publishRun(d, "sim", gateway, cfg.ClientID)
		if err != nil {
			return nil, err
		}
		closers = append(closers, unpublishSim)
	}
	client := alipayplus.NewClient(gateway, alipayplus.Signer{ClientID: cfg.ClientID, Key: mppKey}, alipayPub, alipayplus.WithClock(now),
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 10 * time.Second, Initial: 250 * time.Millisecond, Max: 2 * time.Second}))
	// The code rules: the cache, refreshed now and every few hours.
	rules := ruleCache(d, rulesFrom(client))
	closers = append(closers, keepRulesFresh(rules, nil))
	events, stop := svc.Subscribe(64)
	closers = append(closers, stop)
	s.app = ui.New(ui.Config{
		Backend: &uiBackend{svc: svc, client: client, confirmer: &mpp.Confirmer{Wallet: svc, Client: client},
			transcript: transcriptSource(s.sim, gateway), dataDir: d.root, sim: s.sim, gateway: gateway,
			region: o.region, osType: o.osType,
			payer: &mpm.Payer{Wallet: svc, Client: client, Rules: rules, NotifyFor: 20 * time.Second}},
		CustomerID: s.userID, Events: events, Barcode: o.barcode, Theme: strings.TrimPrefix(o.theme, "auto"), CodeBatch: o.batch, Now: now,
	})
	return s, nil
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

// uiBackend gives the app the wallet and the network.
type uiBackend struct {
	svc       *wallet.Service
	client    *alipayplus.Client
	confirmer *mpp.Confirmer
	// transcript gives the inspector the exchanges after a sequence number.
	transcript func(ctx context.Context, since int64) ([]simulator.Entry, error)
	dataDir    string
	// sim is the embedded simulator, nil when an external gateway is
	// used: its faults are then managed over the admin API at gateway.
	sim     *simulator.Simulator
	gateway string
	// region and osType go with every getPaymentCode.
	region, osType string
	// payer runs the Scan screen's payments (cmd_ui_scan.go).
	payer *mpm.Payer
}

func (b *uiBackend) FetchCodes(ctx context.Context, customerID string, n int) ([]wallet.PaymentCode, error) {
	resp, err := b.client.GetPaymentCode(ctx, &alipayplus.GetPaymentCodeRequest{CustomerID: customerID, Region: b.region,
		CodeQuantity: fmt.Sprint(n), Env: &alipayplus.Env{DeviceTokenID: "mppwallet-tui-" + customerID, TerminalType: "APP", OSType: b.osType}})
	if err != nil {
		return nil, err
	}
	out := make([]wallet.PaymentCode, 0, len(resp.PaymentCodeInfoList))
	for _, c := range resp.PaymentCodeInfoList {
		from, err1 := alipayplus.ParseTime(c.CodeValidityStartTime)
		to, err2 := alipayplus.ParseTime(c.CodeExpiryTime)
		if err1 != nil || err2 != nil {
			continue // a code whose validity cannot be read is never shown
		}
		out = append(out, wallet.PaymentCode{Value: c.PaymentCode, ValidFrom: from, ExpiresAt: to})
	}
	return out, nil
}

func (b *uiBackend) Confirm(ctx context.Context, requestID string, approve bool) (wallet.Payment, error) {
	return b.confirmer.Confirm(ctx, requestID, approve)
}

func (b *uiBackend) User(ctx context.Context, id string) (wallet.User, error) {
	return b.svc.User(ctx, id)
}

func (b *uiBackend) Payments(ctx context.Context, customerID string, limit int) ([]wallet.Payment, error) {
	return b.svc.Store().Payments(ctx, wallet.PaymentFilter{CustomerID: customerID, Limit: limit})
}

func (b *uiBackend) Users(ctx context.Context) ([]wallet.User, error) {
	return b.svc.Store().Users(ctx)
}

func (b *uiBackend) Exchanges(ctx context.Context, since int64) ([]ui.Exchange, error) {
	entries, err := b.transcript(ctx, since)
	if err != nil {
		return nil, err
	}
	out := make([]ui.Exchange, len(entries))
	for i, e := range entries {
		out[i] = ui.Exchange{Seq: e.Seq, At: e.At, Direction: e.Direction, API: e.API, ResultStatus: e.ResultStatus,
			ResultCode: e.ResultCode, Signature: e.Signature, LatencyMs: e.LatencyMs, Findings: len(e.Findings),
			RequestBody: e.RequestBody, ResponseBody: e.ResponseBody}
		if e.Error != "" && out[i].ResultStatus == "" {
			out[i].ResultStatus = "error"
		}
	}
	return out, nil
}

// ExportTranscript writes every retained entry as JSON lines to
// DATA/transcripts/transcript-<timestamp>.jsonl.
func (b *uiBackend) ExportTranscript(ctx context.Context) (string, error) {
	entries, err := b.transcript(ctx, 0)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(b.dataDir, "transcripts")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "transcript-"+time.Now().UTC().Format("20060102T150405.000Z")+".jsonl")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	enc := json.NewEncoder(f)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			f.Close()
			return "", err
		}
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return path, nil
}

// transcriptSource reads the embedded simulator's transcript, or asks the
// external one at gateway over its admin API (3 s timeout).
func transcriptSource(sim *simulator.Simulator, gateway string) func(context.Context, int64) ([]simulator.Entry, error) {
	if sim != nil {
		return func(_ context.Context, since int64) ([]simulator.Entry, error) {
			if since == 0 {
				return sim.Transcript().Entries(), nil
			}
			return sim.Transcript().Since(since), nil
		}
	}
	client := &http.Client{Timeout: 3 * time.Second}
	return func(ctx context.Context, since int64) ([]simulator.Entry, error) {
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		u := strings.TrimRight(gateway, "/") + "/sim/transcript?since=" + url.QueryEscape(fmt.Sprint(since))
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nil, err
		}
		resp, err := client.Do(req)
		if err != nil {
			return nil, fmt.Errorf("simulator transcript: %w", err)
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("simulator transcript: %s (is %s a simulator?)", resp.Status, gateway)
		}
		var entries []simulator.Entry
		if err := json.NewDecoder(io.LimitReader(resp.Body, 64<<20)).Decode(&entries); err != nil {
			return nil, fmt.Errorf("simulator transcript: %w", err)
		}
		return entries, nil
	}
}

func (b *uiBackend) SetOverride(ctx context.Context, customerID string, o wallet.Override) (wallet.User, error) {
	return b.svc.UpdateUser(ctx, customerID, func(u *wallet.User) error { u.Override = o; return nil })
}

// faultInfo is a simulator rule as the app shows it (the default TTL left
// out of the spec).
func faultInfo(r simulator.Rule) ui.FaultInfo {
	until, used := r.Until, r.Used
	r.TTL = 0
	return ui.FaultInfo{ID: r.ID, Spec: r.String(), Until: until, Used: used}
}

func (b *uiBackend) AddFault(ctx context.Context, spec string) (ui.FaultInfo, error) {
	if b.sim != nil {
		r, err := simulator.ParseRule(spec)
		if err != nil {
			return ui.FaultInfo{}, err
		}
		r.Source = "ui"
		r, err = b.sim.Faults().Add(r)
		if err != nil {
			return ui.FaultInfo{}, err
		}
		return faultInfo(r), nil
	}
	body, err := json.Marshal(map[string]string{"spec": spec})
	if err != nil {
		return ui.FaultInfo{}, err
	}
	var r simulator.Rule
	if err := b.admin(ctx, http.MethodPost, "/sim/faults", body, &r); err != nil {
		return ui.FaultInfo{}, err
	}
	return faultInfo(r), nil
}

func (b *uiBackend) Faults(ctx context.Context) ([]ui.FaultInfo, error) {
	var rules []simulator.Rule
	if b.sim != nil {
		rules = b.sim.Faults().List()
	} else if err := b.admin(ctx, http.MethodGet, "/sim/faults", nil, &rules); err != nil {
		return nil, err
	}
	out := make([]ui.FaultInfo, len(rules))
	for i, r := range rules {
		out[i] = faultInfo(r)
	}
	return out, nil
}

func (b *uiBackend) RemoveFault(ctx context.Context, id int) error {
	if b.sim != nil {
		if !b.sim.Faults().Remove(id) {
			return fmt.Errorf("no fault rule %d (expired or used up?)", id)
		}
		return nil
	}
	return b.admin(ctx, http.MethodDelete, "/sim/faults/"+strconv.Itoa(id), nil, nil)
}

// admin calls the external simulator's admin API (3 s timeout) and decodes
// the JSON answer into out (unless nil); errors are one line.
func (b *uiBackend) admin(ctx context.Context, method, path string, body []byte, out any) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(b.gateway, "/")+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := (&http.Client{Timeout: 3 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("simulator faults: %w", err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 4<<20))
	if err != nil {
		return fmt.Errorf("simulator faults: %w", err)
	}
	if resp.StatusCode/100 != 2 {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return fmt.Errorf("simulator faults: %s", strings.Join(strings.Fields(e.Error), " "))
		}
		return fmt.Errorf("simulator faults: %s (is %s a simulator?)", resp.Status, b.gateway)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("simulator faults: %w", err)
	}
	return nil
}
