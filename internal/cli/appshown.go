package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/atomicfile"
	"github.com/mppwallet/mppwallet/ui"
)

// shownState is run/ui.json: what the running app shows of the payment
// code, so that a script can compare a scanner's reading with the screen
// (codes --current, status). PaymentCode is empty when no code is drawn;
// Screen and Note say why.
type shownState struct {
	PID                   int       `json:"pid"`
	UserID                string    `json:"userId"`
	PaymentCode           string    `json:"paymentCode"`
	Format                string    `json:"format"`
	CodeValidityStartTime string    `json:"codeValidityStartTime,omitempty"`
	CodeExpiryTime        string    `json:"codeExpiryTime,omitempty"`
	ShownAt               time.Time `json:"shownAt"`
	Screen                string    `json:"screen"`
	Note                  string    `json:"note,omitempty"`
}

// shownStateOf is the file's form of what the app reports.
func shownStateOf(pid int, s ui.Shown) shownState {
	st := shownState{PID: pid, UserID: s.CustomerID, PaymentCode: s.Code.Value, Format: s.Format,
		ShownAt: s.Since.UTC(), Screen: s.Screen, Note: s.Note}
	if s.Code.Value != "" {
		st.CodeValidityStartTime = alipayplus.FormatTime(s.Code.ValidFrom)
		st.CodeExpiryTime = alipayplus.FormatTime(s.Code.ExpiresAt)
	}
	return st
}

// shownPublisher keeps run/ui.json saying what the app shows. The app's
// event loop hands it every change with offer, which never blocks; one
// goroutine writes the latest, so a slow disk delays the file, never the
// screen, and changes that come faster than it writes fold into the last.
type shownPublisher struct {
	path   string
	pid    int
	latest atomic.Pointer[ui.Shown]
	kick   chan struct{}
	stop   chan struct{}
	done   chan struct{}
}

// publishShown starts the writer of d's run/ui.json; close stops it and
// removes the file.
func publishShown(d dataDir) *shownPublisher {
	p := &shownPublisher{path: d.runPath("ui"), pid: os.Getpid(), kick: make(chan struct{}, 1),
		stop: make(chan struct{}), done: make(chan struct{})}
	go p.loop()
	return p
}

// offer hands the writer what the app shows now (ui.Config.OnShown).
func (p *shownPublisher) offer(s ui.Shown) {
	p.latest.Store(&s)
	select {
	case p.kick <- struct{}{}:
	default: // a write is due already; it takes the latest
	}
}

func (p *shownPublisher) loop() {
	defer close(p.done)
	for {
		select {
		case <-p.stop:
			return
		case <-p.kick:
			p.write(*p.latest.Load())
		}
	}
}

// write replaces the file; when it cannot, it removes the old one rather
// than leave a code the screen no longer shows.
func (p *shownPublisher) write(s ui.Shown) {
	b, _ := json.MarshalIndent(shownStateOf(p.pid, s), "", "  ")
	if err := atomicfile.Write(p.path, append(b, '\n'), 0o600); err != nil {
		os.Remove(p.path)
	}
}

// close stops the writer and removes the file if it is still this
// process's.
func (p *shownPublisher) close() {
	close(p.stop)
	<-p.done
	if s, err := readShown(p.path); err == nil && s.PID == p.pid {
		os.Remove(p.path)
	}
}

func readShown(path string) (shownState, error) {
	var s shownState
	b, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("%s is not valid JSON: %v", path, err)
	}
	return s, nil
}

// appOnScreen reads run/ui.json and checks that the app that wrote it still
// runs: its pid is alive and the wallet server it published in
// run/serve.json, under the same pid, answers. A file left by a crash, or
// whose pid some other process has since taken, is an error.
func appOnScreen(d dataDir) (shownState, error) {
	s, err := readShown(d.runPath("ui"))
	switch {
	case errors.Is(err, os.ErrNotExist):
		return s, fmt.Errorf("no app runs on %s: start 'mppwallet ui --data %s'", d.root, d.root)
	case err != nil:
		return s, err
	case !pidAlive(s.PID):
		return s, fmt.Errorf("no app runs on %s: %s is left from pid %d, which has ended", d.root, d.runPath("ui"), s.PID)
	}
	if srv, ok := running(d, "serve"); !ok || srv.PID != s.PID {
		return s, fmt.Errorf("no app runs on %s: %s names pid %d, which serves no wallet here (a file left by a crash?)",
			d.root, d.runPath("ui"), s.PID)
	}
	return s, nil
}

// pidAlive reports whether a process with this pid exists.
func pidAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// onScreenJSON is what the app shows with the time left on the code, as
// codes --current and status print it.
type onScreenJSON struct {
	shownState
	// SecondsLeft is until the code expires; nil when no code is shown.
	SecondsLeft *int `json:"secondsLeft,omitempty"`
}

// onScreenAt adds the time left at now, in whole seconds rounded up: 0 or
// less once the code has expired.
func onScreenAt(s shownState, now time.Time) onScreenJSON {
	o := onScreenJSON{shownState: s}
	if exp, err := alipayplus.ParseTime(s.CodeExpiryTime); err == nil && s.PaymentCode != "" {
		left := int(math.Ceil(exp.Sub(now).Seconds()))
		o.SecondsLeft = &left
	}
	return o
}

// expired reports whether the code shown is past its expiry.
func (o onScreenJSON) expired() bool { return o.SecondsLeft == nil || *o.SecondsLeft <= 0 }

// describe is status's line: the code, whose, how it is drawn and the time
// left, or why there is none.
func (o onScreenJSON) describe() string {
	if o.PaymentCode == "" {
		return fmt.Sprintf("none: %s (app pid %d, user %s)", o.noCode(), o.PID, o.UserID)
	}
	left := "expired"
	if !o.expired() {
		left = fmt.Sprintf("%d s left", *o.SecondsLeft)
	}
	return fmt.Sprintf("%s (user %s, %s, %s; app pid %d)", o.PaymentCode, o.UserID, o.Format, left, o.PID)
}

// noCode says why the app draws no code.
func (s shownState) noCode() string {
	if s.Screen != "pay" {
		return fmt.Sprintf("the %s screen is open (1 shows the Pay screen)", s.Screen)
	}
	return s.Note
}
