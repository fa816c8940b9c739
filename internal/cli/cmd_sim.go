package cli

import (
	"cmp"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

func simCmd() *command {
	return &command{
		name:    "sim",
		summary: "run the Alipay+ simulator (with acquirer and merchant) that drives a wallet over HTTP",
		use:     "[flags]",
		examples: []string{
			"mppwallet sim                                   # beside 'mppwallet serve' on the same data dir",
			"mppwallet sim --fault 'pay:drop,count=1' --transcript /tmp/transcript.jsonl",
			"mppwallet sim --listen 127.0.0.1:9000 --mpp-url https://wallet.example.test \\",
			"    --mpp-public-key their_public.pem --mpp-client-id SANDBOX_THEIRS --mpp-currency PHP",
			"mppwallet sim --merchant-client-id SANDBOX_MY_POS --merchant-public-key pos_public.pem",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			o := simOptions{
				data:     dataFlag(fs, env),
				listen:   fs.String("listen", env.envDefault("MPPWALLET_SIM_LISTEN", "127.0.0.1:7576"), "`ADDR` to listen on; port 0 picks a free one (env MPPWALLET_SIM_LISTEN)"),
				mppURL:   fs.String("mpp-url", env.getenv("MPPWALLET_MPP_URL"), "base `URL` of the wallet server to drive (env MPPWALLET_MPP_URL; default: the 'serve' running on this data dir)"),
				mppKey:   fs.String("mpp-public-key", "", "the wallet's public key `FILE` (default: the data dir's)"),
				mppID:    fs.String("mpp-client-id", "", "the wallet's Client-Id (default: the data dir's)"),
				mppCur:   fs.String("mpp-currency", "", "the wallet's currency (default: each user's, read from the data dir's ledger; else USD)"),
				private:  keyFlags{file: fs.String("private-key", "", "Alipay+'s private key `FILE` (env MPPWALLET_ALIPAYPLUS_PRIVATE_KEY_FILE; default: the data dir's simulator key, generated)"), envKey: "MPPWALLET_ALIPAYPLUS_PRIVATE_KEY", envFile: "MPPWALLET_ALIPAYPLUS_PRIVATE_KEY_FILE"},
				noMagic:  fs.Bool("no-magic", false, "turn magic amounts off"),
				trans:    fs.String("transcript", "", "append every exchange as JSON lines to `FILE` (FILE.1 past 64 MiB)"),
				asJSON:   fs.Bool("json", false, "print exchanges as JSON lines"),
				logLevel: fs.String("log-level", env.envDefault("MPPWALLET_LOG_LEVEL", "warn"), "stderr log `LEVEL`: debug, info, warn or error"),
			}
			o.merchantIDs = fs.StringArray("merchant-client-id", nil, "let a merchant system call the gateway as Client-`ID` (with --merchant-public-key; repeatable; remembered)")
			o.merchantKeys = fs.StringArray("merchant-public-key", nil, "public key `FILE` (PEM or base64) of the --merchant-client-id before it")
			o.fxRates = fs.String("fx-rates", "", "FX rates `FILE` overriding the built-in table (see docs/simulator.md#fx)")
			o.faults = fs.StringArray("fault", nil, "inject a fault `SPEC` such as 'pay:drop,count=1' or 'pay:result=U/UNKNOWN_EXCEPTION' (repeatable; see docs/simulator.md)")
			return func(ctx context.Context, args []string) error {
				if len(args) > 0 {
					return usagef("sim", "unexpected argument %q", args[0])
				}
				return o.run(ctx, env)
			}
		},
	}
}

type simOptions struct {
	data, listen, mppURL, mppKey, mppID, mppCur, trans, logLevel *string
	fxRates                                                      *string
	private                                                      keyFlags
	noMagic, asJSON                                              *bool
	faults, merchantIDs, merchantKeys                            *[]string
}

// run is the sim command: check the flags, take the data dir, listen,
// build the simulator for the wallet it drives, publish it and serve until
// ctx ends.
func (o simOptions) run(ctx context.Context, env *cliEnv) error {
	level, rules, err := o.parse()
	if err != nil {
		return err
	}
	added, err := parseMerchantFlags(*o.merchantIDs, *o.merchantKeys)
	if err != nil {
		return err
	}
	if err := checkFXFile(*o.fxRates); err != nil {
		return err
	}
	logger := slog.New(slog.NewTextHandler(env.stderr, &slog.HandlerOptions{Level: level}))
	d, err := openDataDir(*o.data)
	if err != nil {
		return err
	}
	cfg, err := d.loadConfig()
	if err != nil {
		return err
	}
	if other, ok := running(d, "sim"); ok {
		return fmt.Errorf("another mppwallet sim (pid %d) already runs on this data dir at %s; stop it or use another --data", other.PID, other.URL)
	}
	ln, err := listen(*o.listen)
	if err != nil {
		return err
	}
	defer ln.Close()
	warnIfExposed(env.stderr, "the simulator", ln.Addr(),
		" (its admin API /sim/ still needs the token in "+d.simAdminTokenPath()+" and a Host naming this address)")
	token, warnings, err := ensureSimAdminToken(d)
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	key, mpp, err := o.keys(env, d, cfg.ClientID)
	if err != nil {
		return err
	}
	transcript, closeTranscript, err := o.transcript()
	if err != nil {
		return err
	}
	defer closeTranscript()
	fx, err := loadFX(d, *o.fxRates)
	if err != nil {
		return err
	}
	var hosts []string
	if h := listenHost(*o.listen, ln.Addr()); h != "" {
		hosts = append(hosts, h)
	}
	sim, err := simulator.New(simulator.Config{Key: key, Logger: logger, Transcript: transcript, NoMagic: *o.noMagic, FX: fx,
		AdminToken: token, AdminTokenHint: d.simAdminTokenPath(), AdminHosts: hosts})
	if err != nil {
		return err
	}
	defer sim.Close()
	for _, r := range rules {
		if _, err := sim.Faults().Add(r); err != nil {
			return usagef("sim", "--fault: %v", err)
		}
	}
	merchants, err := mergeMerchantClients(d, added)
	if err != nil {
		return err
	}
	if err := registerMerchantClients(sim, merchants); err != nil {
		return err
	}
	url := "http://" + ln.Addr().String()
	sim.SetURL(url)
	closeLedger, err := o.locateWallet(d, &mpp)
	if err != nil {
		return err
	}
	defer closeLedger()
	sim.Register(mpp)
	unpublish, err := publishRun(d, "sim", url, mpp.ClientID)
	if err != nil {
		return err
	}
	defer unpublish()
	if *o.asJSON {
		// The first line: the listener is open and run/sim.json written.
		magic := !*o.noMagic
		if err := printReady(env.stdout, readyEvent{Command: "sim", URL: url, PID: os.Getpid(), DataDir: d.root, ClientID: mpp.ClientID,
			GatewayURL: url + antom.PathPay, AdminURL: url + "/sim/", Wallet: *o.mppURL, Magic: &magic, Transcript: *o.trans}); err != nil {
			return err
		}
	} else {
		o.banner(env, d, url, mpp.ClientID, len(rules), merchants)
	}
	entries, stop := transcript.Subscribe(256)
	defer stop()
	go printEntries(ctx, env, entries, *o.asJSON)
	err = serveUntil(ctx, "simulator", sim.Handler(), ln, simulator.MaxAdminWait+time.Minute) // charges wait for the final result
	if terr := transcript.Err(); terr != nil {
		fmt.Fprintln(env.stderr, "warning: the transcript file could not be written:", terr)
	}
	return err
}

// parse checks the flags that need no data dir: the log level and the
// fault rules.
func (o simOptions) parse() (slog.Level, []simulator.Rule, error) {
	level, err := parseLevel(*o.logLevel)
	if err != nil {
		return level, nil, usagef("sim", "--log-level: %v", err)
	}
	var rules []simulator.Rule
	for _, f := range *o.faults {
		r, err := simulator.ParseRule(f)
		if err != nil {
			return level, nil, usagef("sim", "--fault: %v", err)
		}
		r.Source = "flag"
		rules = append(rules, r)
	}
	return level, rules, nil
}

// keys loads Alipay+'s private key (the data dir's simulator key, made when
// missing, unless one is given) and the wallet's public key and Client-Id.
func (o simOptions) keys(env *cliEnv, d dataDir, defaultClientID string) (*rsa.PrivateKey, simulator.MPP, error) {
	if !o.private.given(env) {
		if _, err := ensureKeyPair(d.simAlipayPrivatePath(), d.alipayPublicPath()); err != nil {
			return nil, simulator.MPP{}, cleanErr(err)
		}
	}
	key, warnings, err := o.private.privateKey(env, d.simAlipayPrivatePath())
	if err != nil {
		return nil, simulator.MPP{}, cleanErr(err)
	}
	for _, w := range warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	mppKeyPath := *o.mppKey
	if mppKeyPath == "" {
		if *o.mppURL != "" {
			return nil, simulator.MPP{}, usagef("sim", "--mpp-url needs --mpp-public-key: the simulator verifies the wallet's answers")
		}
		if _, err := ensureKeyPair(d.mppPrivatePath(), d.mppPublicPath()); err != nil {
			return nil, simulator.MPP{}, cleanErr(err)
		}
		mppKeyPath = d.mppPublicPath()
	}
	mppPub, err := alipayplus.LoadPublicKeyFile(mppKeyPath)
	if err != nil {
		return nil, simulator.MPP{}, cleanErr(err)
	}
	return key, simulator.MPP{ClientID: cmp.Or(*o.mppID, defaultClientID), PublicKey: mppPub, URL: *o.mppURL, Currency: *o.mppCur}, nil
}

// transcript is the simulator's transcript, appended to --transcript FILE
// when given (rotated to FILE.1 at 64 MiB); close closes that file.
func (o simOptions) transcript() (*simulator.Transcript, func(), error) {
	if *o.trans == "" {
		return simulator.NewTranscript(1000, nil), func() {}, nil
	}
	f, err := openTranscriptFile(*o.trans)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open the transcript file: %w", unwrapPathError(err))
	}
	rf := simulator.NewRotatingFile(f, *o.trans, simulator.DefaultTranscriptFileBytes, openTranscriptFile)
	return simulator.NewTranscript(1000, rf), func() { rf.Close() }, nil
}

// locateWallet completes mpp for the wallet on this data dir when no
// --mpp-url is given: its address is looked up at each call (the 'serve'
// running there), its users' currencies read from the ledger. close
// closes the ledger.
func (o simOptions) locateWallet(d dataDir, mpp *simulator.MPP) (func(), error) {
	if *o.mppURL != "" {
		return func() {}, nil
	}
	mpp.URLFunc = func() string {
		if s, ok := running(d, "serve"); ok {
			return s.URL
		}
		return ""
	}
	if *o.mppCur != "" {
		return func() {}, nil
	}
	st, err := sqlite.Open(d.dbPath())
	if err != nil {
		return nil, fmt.Errorf("cannot open the ledger %s: %w", d.dbPath(), err)
	}
	mpp.CustomerCurrency = wallet.NewService(st).CustomerCurrency
	return func() { st.Close() }, nil
}

// banner says where the simulator listens and what it drives.
func (o simOptions) banner(env *cliEnv, d dataDir, url, clientID string, faults int, merchants []simulator.MerchantClient) {
	target := *o.mppURL
	if target == "" {
		target = "the 'mppwallet serve' running on " + d.root + " (found when needed)"
	}
	fmt.Fprintf(env.stdout, "mppwallet Alipay+ simulator\n  listening   %s  (the wallet's --gateway)\n  wallet      %s, Client-Id %s\n"+
		"  acquirer    %s%s\n  admin API   %s/sim/ (token in %s)\n  code rules  %s\n  magic       %v\n  faults      %d\n  data        %s\n",
		url, target, clientID, url, simulator.AcquirerPrefix, url, d.simAdminTokenPath(), simulator.RulesVersion, !*o.noMagic, faults, d.root)
	ids := make([]string, 0, len(merchants))
	for _, m := range merchants {
		ids = append(ids, m.ClientID)
	}
	list := "none registered (--merchant-client-id ID --merchant-public-key FILE)"
	if len(ids) > 0 {
		list = strings.Join(ids, ", ")
	}
	fmt.Fprintf(env.stdout, "  gateway     %s%s (Antom in-store API; answers signed with %s)\n  merchants   %s\n",
		url, antom.PathPay, d.alipayPublicPath(), list)
}

// printEntries shows one line per exchange.
func printEntries(ctx context.Context, env *cliEnv, entries <-chan simulator.Entry, asJSON bool) {
	enc := json.NewEncoder(env.stdout)
	for {
		select {
		case <-ctx.Done():
			return
		case e, ok := <-entries:
			if !ok {
				return
			}
			if asJSON {
				_ = enc.Encode(e)
				continue
			}
			arrow := "←" // the wallet called us
			if e.Direction == "out" {
				arrow = "→"
			}
			line := fmt.Sprintf("%s %s %-26s %s %s", e.At.Local().Format(time.TimeOnly), arrow, e.API, e.ResultStatus, e.ResultCode)
			if e.Error != "" {
				line += " (" + e.Error + ")"
			}
			line += fmt.Sprintf(" %.0fms", e.LatencyMs)
			if len(e.Findings) > 0 {
				line += fmt.Sprintf("  ⚠ %d conformance finding(s): %s", len(e.Findings), e.Findings[0].Message)
			}
			fmt.Fprintln(env.stdout, line)
		}
	}
}

// openTranscriptFile opens a JSON-lines transcript for appending. When a
// previous run died in the middle of a line, a newline ends that line first,
// so every line this run writes is whole.
func openTranscriptFile(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR|os.O_APPEND, 0o600)
	if err != nil {
		return nil, err
	}
	if fi, err := f.Stat(); err == nil && fi.Size() > 0 {
		last := make([]byte, 1)
		if _, err := f.ReadAt(last, fi.Size()-1); err == nil && last[0] != '\n' {
			if _, err := f.Write([]byte("\n")); err != nil {
				f.Close()
				return nil, err
			}
		}
	}
	return f, nil
}
