package cli

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/money"
)

// The crash test runs the wallet server ("mppwallet serve") as a child
// process, drives UPM payments, refunds and cancels through the real
// simulator, kills the server with SIGKILL at random moments, restarts it
// on the same data dir and then reconciles the ledger with what Alipay+ was
// told. Knobs (environment):
//
//	MPPWALLET_CRASH_SEED=N     the seed of every random choice (default 20261125; "random" picks one)
//	MPPWALLET_CRASH_KILLS=N    how many SIGKILLs (default 5)
//	MPPWALLET_CRASH_WORKERS=N  concurrent merchants (default 6)
//
// Long run: MPPWALLET_CRASH_KILLS=60 go test -run TestCrashRecovery -v -timeout 30m ./internal/cli
const crashChildEnv = "MPPWALLET_CRASH_CHILD_ARGS"

// TestCrashChildServe is not a test: it is the child process that
// TestCrashRecovery starts (the test binary re-executed), running one
// command line of mppwallet.
func TestCrashChildServe(t *testing.T) {
	raw := os.Getenv(crashChildEnv)
	if raw == "" {
		t.Skip("the child process of TestCrashRecovery")
	}
	var args []string
	if err := json.Unmarshal([]byte(raw), &args); err != nil {
		fmt.Fprintln(os.Stderr, "bad child args:", err)
		os.Exit(3)
	}
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	code := Run(ctx, args, strings.NewReader(""), os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type crashConfig struct {
	seed    uint64
	kills   int
	workers int
}

func crashSettings(t *testing.T) crashConfig {
	t.Helper()
	c := crashConfig{seed: 20261125, kills: 5, workers: 6}
	if v := os.Getenv("MPPWALLET_CRASH_SEED"); v == "random" {
		c.seed = uint64(time.Now().UnixNano())
	} else if v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("MPPWALLET_CRASH_SEED=%q: %v", v, err)
		}
		c.seed = n
	}
	for name, p := range map[string]*int{"MPPWALLET_CRASH_KILLS": &c.kills, "MPPWALLET_CRASH_WORKERS": &c.workers} {
		if v := os.Getenv(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				t.Fatalf("%s=%q: want a positive number", name, v)
			}
			*p = n
		}
	}
	return c
}

// crashUsers are the wallet's users and their opening balances (USD minor
// units); the poorer ones run out, so declines happen too.
var crashUsers = []struct {
	id      string
	opening int64
}{{"ana", 2000000}, {"ben", 2000000}, {"cho", 8000}, {"dev", 2500}}

func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("kills and restarts a server process; skipped with -short")
	}
	cfg := crashSettings(t)
	t.Logf("seed %d (MPPWALLET_CRASH_SEED=%d reproduces the choices), %d kills, %d workers", cfg.seed, cfg.seed, cfg.kills, cfg.workers)
	began := time.Now()
	w := newCrashWorld(t)
	w.start()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for i := range cfg.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.merchant(rand.New(rand.NewPCG(cfg.seed, uint64(i)+1)), stop)
		}()
	}
	chaos := rand.New(rand.NewPCG(cfg.seed, 0))
	for range cfg.kills {
		// Random moments: the payments keep flowing meanwhile.
		time.Sleep(time.Duration(200+chaos.IntN(1300)) * time.Millisecond)
		w.kill()
		time.Sleep(time.Duration(chaos.IntN(400)) * time.Millisecond)
		w.start()
	}
	close(stop)
	wg.Wait()
	// Every payment reaches a final state: inquiries and cancels finish
	// against the running server.
	for _, p := range w.sim.Payments() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		if got, final := w.sim.Wait(ctx.Done(), p.RequestID); !final {
			t.Errorf("payment %s still %s a minute after the last restart; steps %v", p.RequestID, got.Status, got.Steps)
		}
		cancel()
	}
	// One more crash while idle, then check everything against the restarted server.
	w.kill()
	w.start()
	stats := w.reconcile()
	t.Logf("%d kills, %s; reconciled in %s total", w.kills.Load(), stats, time.Since(began).Round(time.Millisecond))
	w.checkChildLog()
}

// crashWorld is the simulator in this process and the wallet server in a
// child process, on one data dir.
type crashWorld struct {
	t         *testing.T
	dir       string
	d         dataDir
	sim       *simulator.Simulator
	mppKey    *rsa.PrivateKey
	alipayKey *rsa.PrivateKey
	url       atomic.Value // the running server's base URL
	logPath   string
	child     *exec.Cmd
	exited    chan struct{}
	kills     atomic.Int64
	charges   atomic.Int64
	refunds   atomic.Int64
	cancels   atomic.Int64
	walletApp *alipayplus.Client
}

func newCrashWorld(t *testing.T) *crashWorld {
	t.Helper()
	dir := cliDataDir(t)
	for _, u := range crashUsers {
		cliAddUser(t, dir, "--id", u.id, "--balance", money.Money{Currency: "USD", Minor: u.opening}.Decimal(), "--currency", "USD")
	}
	d := dataDir{root: dir}
	for _, pair := range [][2]string{{d.mppPrivatePath(), d.mppPublicPath()}, {d.simAlipayPrivatePath(), d.alipayPublicPath()}} {
		if _, err := ensureKeyPair(pair[0], pair[1]); err != nil {
			t.Fatal(err)
		}
	}
	mppKey := crashLoadKey(t, d.mppPrivatePath())
	alipayKey := crashLoadKey(t, d.simAlipayPrivatePath())
	w := &crashWorld{t: t, dir: dir, d: d, logPath: filepath.Join(t.TempDir(), "serve.log")}
	w.mppKey, w.alipayKey = mppKey, alipayKey
	w.url.Store("")
	sim, err := simulator.New(simulator.Config{Key: alipayKey, NoMagic: true, Timing: simulator.Timing{
		PaymentExpiry: 4 * time.Second, PayTimeout: 3 * time.Second, InquiryTimeout: 2 * time.Second,
		CancelTimeout: 3 * time.Second, InquiryFirst: 100 * time.Millisecond, InquiryMax: 400 * time.Millisecond,
	}})
	if err != nil {
		t.Fatal(err)
	}
	simURL := crashServe(t, sim.Handler())
	sim.SetURL(simURL)
	sim.Register(simulator.MPP{ClientID: defaultClientID, PublicKey: &mppKey.PublicKey, Currency: "USD",
		URLFunc: func() string { return w.url.Load().(string) }})
	t.Cleanup(sim.Close)
	w.sim = sim
	w.walletApp = alipayplus.NewClient(simURL, alipayplus.Signer{ClientID: defaultClientID, Key: mppKey}, &alipayKey.PublicKey,
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 5 * time.Second, Initial: 10 * time.Millisecond, Max: 100 * time.Millisecond}))
	t.Cleanup(func() {
		if w.child != nil {
			_ = w.child.Process.Kill()
			<-w.exited
		}
	})
	return w
}

// start runs "mppwallet serve" in a child process and waits until it
// publishes its address.
func (w *crashWorld) start() {
	t := w.t
	t.Helper()
	args, _ := json.Marshal([]string{"serve", "--listen", "127.0.0.1:0", "--data", w.dir, "--log-level", "warn"})
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashChildServe$", "-test.count=1")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+string(args))
	logf, err := os.OpenFile(w.logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	fmt.Fprintf(logf, "--- start %d\n", w.kills.Load())
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	w.child, w.exited = cmd, exited
	deadline := time.Now().Add(60 * time.Second)
	for {
		if s, ok := running(w.d, "serve"); ok && s.PID == cmd.Process.Pid {
			w.url.Store(s.URL)
			return
		}
		select {
		case <-exited:
			t.Fatalf("the wallet server exited before it was ready:\n%s", w.childLog())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the wallet server did not publish its address in a minute:\n%s", w.childLog())
		}
	}
}

// kill ends the server with SIGKILL: no deferred cleanup runs, whatever it
// was doing is cut off.
func (w *crashWorld) kill() {
	if err := w.child.Process.Signal(syscall.SIGKILL); err != nil {
		w.t.Fatalf("kill: %v", err)
	}
	<-w.exited
	w.child = nil
	w.kills.Add(1)
}

func (w *crashWorld) childLog() string {
	b, _ := os.ReadFile(w.logPath)
	return string(b)
}

// checkChildLog fails on a panic or a data race in any server run.
func (w *crashWorld) checkChildLog() {
	log := w.childLog()
	for _, bad := range []string{"panic:", "DATA RACE", "fatal error:"} {
		if strings.Contains(log, bad) {
			w.t.Errorf("the wallet server's output has %q:\n%s", bad, log)
		}
	}
}

// merchant charges codes, refunds and cancels until stop closes.
func (w *crashWorld) merchant(rng *rand.Rand, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		user := crashUsers[rng.IntN(len(crashUsers))].id
		code, err := w.code(user)
		if err != nil {
			w.t.Errorf("getPaymentCode: %v", err)
			return
		}
		amount := money.Money{Currency: "USD", Minor: 1 + rng.Int64N(2500)}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		p, err := w.sim.Charge(ctx, simulator.ChargeRequest{Code: code, Amount: amount})
		cancel()
		if err != nil {
			w.t.Errorf("charge %s: %v", amount, err)
			return
		}
		w.charges.Add(1)
		paid, _ := strconv.ParseInt(p.PayToAmount.Value, 10, 64)
		switch r := rng.Float64(); {
		case r < 0.25 && p.Status == simulator.StatusSuccess:
			w.refund(p.RequestID, 1+rng.Int64N(paid))
			if rng.IntN(2) == 0 {
				w.refund(p.RequestID, 1+rng.Int64N(paid)) // may exceed what is left
			}
		case r < 0.40:
			w.cancel(p.RequestID)
		case r < 0.50 && p.Status == simulator.StatusSuccess:
			// A refund and a cancel racing on one payment.
			var both sync.WaitGroup
			both.Add(2)
			go func() { defer both.Done(); w.refund(p.RequestID, 1+rng.Int64N(paid)) }()
			go func() { defer both.Done(); w.cancel(p.RequestID) }()
			both.Wait()
		}
	}
}

func (w *crashWorld) code(user string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := w.walletApp.GetPaymentCode(ctx, &alipayplus.GetPaymentCodeRequest{CustomerID: user,
		Env: &alipayplus.Env{DeviceTokenID: "crash-" + user, TerminalType: "APP", OSType: "ANDROID"}})
	if err != nil {
		return "", err
	}
	return resp.PaymentCodeInfoList[0].PaymentCode, nil
}

// refund asks for a refund and waits for its final answer (the server comes
// back within seconds, so a minute always suffices).
func (w *crashWorld) refund(id string, minor int64) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w.refunds.Add(1)
	_, err := w.sim.Refund(ctx, id, money.Money{Currency: "USD", Minor: minor})
	if err != nil && ctx.Err() != nil {
		w.t.Errorf("refund of %s has no final answer after a minute: %v", id, err)
	}
}

func (w *crashWorld) cancel(id string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w.cancels.Add(1)
	if _, err := w.sim.Cancel(ctx, id); err != nil {
		w.t.Errorf("cancel of %s: %v", id, err)
	}
}

func crashLoadKey(t *testing.T, path string) *rsa.PrivateKey {
	t.Helper()
	k, _, err := alipayplus.LoadPrivateKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// crashServe serves h on loopback for the test's life, with the timeouts
// the commands use.
func crashServe(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(h)
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return "http://" + ln.Addr().String()
}
