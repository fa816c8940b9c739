package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/bench"
	"github.com/mppwallet/mppwallet/internal/clock"
	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/ui"
	"github.com/mppwallet/mppwallet/wallet"
)

// benchAppChildEnv makes 'mppwallet bench' the app's own process for the
// peak-RSS run; its value is the simulated minutes.
const benchAppChildEnv = "MPPWALLET_BENCH_APP_CHILD"

// What the app's pages show, as the driver recognises them.
const (
	resultTitle = "Payment successful"
)

// appFigures measures the app with its real embedded backend: start to
// the first code, a pay callback to the result page, View() at 120×40 and,
// in a child process, the peak RSS of a simulated run.
func appFigures(ctx context.Context, env *cliEnv, minutes float64) (*bench.TUI, error) {
	t := &bench.TUI{SimulatedMinutes: minutes}
	dir, err := os.MkdirTemp("", "mppwallet-bench-app-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	// The first start makes the keys; the one measured is a user's usual
	// start, with the keys in the data dir.
	first, err := startUI(uiOptions{dataPath: dir})
	if err != nil {
		return nil, err
	}
	first.close()

	start := time.Now()
	s, d, err := startDriven(ctx, uiOptions{dataPath: dir}, false)
	if err != nil {
		return nil, fmt.Errorf("app: %w", err)
	}
	defer s.close()
	defer d.stop()
	t.StartToFirstCodeMs = msSince(start)

	t.ViewMicros, t.ViewAllocsPerOp = viewCost(d)
	if t.CallbackToResultMs, err = callbackToResult(ctx, d, s, 15); err != nil {
		return nil, err
	}
	s.close() // before the child starts: its memory is its own

	peak, err := peakRSS(ctx, env, minutes)
	if err != nil {
		t.Error = err.Error()
	}
	t.PeakRSSMB = float64(peak) / (1 << 20)
	return t, nil
}

// startDriven starts the app in a 120×40 window under a driver and waits
// for the first view with a payment code.
func startDriven(ctx context.Context, o uiOptions, dropTicks bool) (*uiSession, *appDriver, error) {
	s, err := startUI(o)
	if err != nil {
		return nil, nil, err
	}
	d := newAppDriver(s.app, dropTicks)
	d.update(tea.WindowSizeMsg{Width: 120, Height: 40})
	d.exec(s.app.Init())
	if !d.until(ctx, d.showsCode, 30*time.Second) {
		d.stop()
		s.close()
		return nil, nil, errors.New("no payment code shown within 30 s")
	}
	return s, d, nil
}

func msSince(t time.Time) float64 { return float64(time.Since(t)) / float64(time.Millisecond) }

// viewCost times View() of the page shown, about 300 ms of calls, and
// counts its allocations.
func viewCost(d *appDriver) (micros, allocs float64) {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n, start := 0, time.Now()
	for n < 10 || time.Since(start) < 300*time.Millisecond {
		_ = d.m.View()
		n++
	}
	el := time.Since(start)
	runtime.ReadMemStats(&after)
	return float64(el.Microseconds()) / float64(n), float64(after.Mallocs-before.Mallocs) / float64(n)
}

// callbackToResult charges the code the app shows n times, as a merchant
// would, and returns the median time from the wallet taking the pay
// request (the event's time, before the ledger commit) to the first view
// of its result page.
func callbackToResult(ctx context.Context, d *appDriver, s *uiSession, n int) (float64, error) {
	if s.sim == nil {
		return 0, errors.New("app: no embedded simulator")
	}
	events, stop := s.svc.Subscribe(16)
	defer stop()
	var lat []float64
	for range n {
		code, ok := validCode(s.sim, s.userID, time.Now())
		if !ok {
			return 0, fmt.Errorf("app: no valid payment code to charge among %d issued", len(s.sim.Codes(s.userID)))
		}
		go s.sim.Charge(ctx, simulator.ChargeRequest{Code: code, Amount: money.Money{Currency: "USD", Minor: 100}})
		var e wallet.Event
		select {
		case e = <-events:
		case <-time.After(30 * time.Second):
			return 0, errors.New("app: the charge reached no wallet within 30 s")
		}
		if !d.until(ctx, func(v string) bool { return strings.Contains(v, resultTitle) }, 30*time.Second) {
			return 0, errors.New("app: no result page within 30 s of a charge")
		}
		lat = append(lat, msSince(e.At))
		// Back to the code page: the app fetched a code valid at once
		// while the result page showed.
		d.update(tea.KeyPressMsg{Code: tea.KeyEnter})
		if !d.until(ctx, d.showsCode, 30*time.Second) {
			return 0, errors.New("app: no payment code within 30 s of leaving the result page")
		}
	}
	slices.Sort(lat)
	return lat[len(lat)/2], nil
}

// validCode is a code issued to the customer, valid at now and not used.
func validCode(sim *simulator.Simulator, customer string, now time.Time) (string, bool) {
	for _, c := range sim.Codes(customer) {
		if !c.Used && !now.Before(c.ValidFrom) && now.Before(c.ExpiresAt) {
			return c.Value, true
		}
	}
	return "", false
}

// peakRSS runs the simulated app run in a child process (this program,
// with benchAppChildEnv set) and returns the child's peak RSS in bytes.
func peakRSS(ctx context.Context, env *cliEnv, minutes float64) (int64, error) {
	exe, err := os.Executable()
	if err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, exe, "bench")
	cmd.Env = append(os.Environ(), benchAppChildEnv+"="+strconv.FormatFloat(minutes, 'f', -1, 64))
	cmd.Stderr = env.stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, fmt.Errorf("app run: %w", err)
	}
	var r appRun
	if err := json.Unmarshal(out, &r); err != nil {
		return 0, fmt.Errorf("app run: %w (%.200s)", err, out)
	}
	if r.Error != "" {
		return r.PeakRSS, errors.New("app run: " + r.Error)
	}
	return r.PeakRSS, nil
}

// appRun is what the child reports.
type appRun struct {
	PeakRSS int64  `json:"peakRss"`
	Charges int    `json:"charges"`
	Error   string `json:"error,omitempty"`
}

// runAppChild is the child's side: the app with its embedded backend on a
// fake clock, a tick per simulated second through Update (codes rotate and
// are fetched as in a real run), a charge a minute and its result page
// left after ten seconds, then its peak RSS as JSON on stdout.
func runAppChild(ctx context.Context, env *cliEnv, minutes float64) error {
	r := appRun{}
	err := simulateApp(ctx, minutes, &r)
	if err != nil {
		r.Error = err.Error()
	}
	r.PeakRSS = bench.PeakRSS()
	return json.NewEncoder(env.stdout).Encode(r)
}

func simulateApp(ctx context.Context, minutes float64, r *appRun) error {
	dir, err := os.MkdirTemp("", "mppwallet-bench-app-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	clock := clock.New(time.Now())
	s, d, err := startDriven(ctx, uiOptions{dataPath: dir, now: clock.Now}, true)
	if err != nil {
		return err
	}
	defer s.close()
	defer d.stop()
	var charges sync.WaitGroup
	defer charges.Wait()
	for sec := 1; float64(sec) <= minutes*60; sec++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		clock.Add(time.Second)
		d.update(d.m.(ui.App).Tick())
		switch sec % 60 {
		case 0:
			if code, ok := validCode(s.sim, s.userID, clock.Now()); ok {
				r.Charges++
				charges.Go(func() {
					cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
					defer cancel()
					_, _ = s.sim.Charge(cctx, simulator.ChargeRequest{Code: code, Amount: money.Money{Currency: "USD", Minor: 100}})
				})
			}
		case 10:
			d.update(tea.KeyPressMsg{Code: tea.KeyEnter}) // leave the result page
		}
		d.settle(ctx, 3*time.Millisecond)
	}
	return nil
}

// appDriver runs an app without a terminal, as tea.Program would: each
// message through Update, the commands it returns run off the loop and
// their messages fed back, View after every Update as the renderer calls
// it. With dropTicks, the real one-second timer's messages are dropped
// (the caller sends the ticks of its fake clock).
type appDriver struct {
	m         tea.Model
	msgs      chan tea.Msg
	done      chan struct{}
	dropTicks bool
	view      string
}

func newAppDriver(app ui.App, dropTicks bool) *appDriver {
	return &appDriver{m: app, msgs: make(chan tea.Msg, 256), done: make(chan struct{}), dropTicks: dropTicks}
}

// stop makes the commands still running drop their messages.
func (d *appDriver) stop() { close(d.done) }

func (d *appDriver) update(msg tea.Msg) {
	m, cmd := d.m.Update(msg)
	d.m = m
	d.exec(cmd)
	d.view = d.m.View().Content
}

// exec runs cmd off the loop and queues its message.
func (d *appDriver) exec(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		msg := cmd()
		if batch, ok := msg.(tea.BatchMsg); ok {
			for _, c := range batch {
				d.exec(c)
			}
			return
		}
		if msg == nil || (d.dropTicks && ui.IsTick(msg)) {
			return
		}
		select {
		case d.msgs <- msg:
		case <-d.done:
		}
	}()
}

// until handles messages until the view satisfies ok, or timeout.
func (d *appDriver) until(ctx context.Context, ok func(view string) bool, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for !ok(d.view) {
		select {
		case msg := <-d.msgs:
			d.update(msg)
		case <-deadline.C:
			return false
		case <-ctx.Done():
			return false
		}
	}
	return true
}

// showsCode reports whether the app's page shows a payment code (drawn at
// whatever size and style the window takes).
func (d *appDriver) showsCode(string) bool {
	app, ok := d.m.(ui.App)
	return ok && app.Shown().Code.Value != ""
}

// settle handles messages until none comes for quiet.
func (d *appDriver) settle(ctx context.Context, quiet time.Duration) {
	t := time.NewTimer(quiet)
	defer t.Stop()
	for {
		select {
		case msg := <-d.msgs:
			d.update(msg)
			t.Reset(quiet)
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}
