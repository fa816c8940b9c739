package cli

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/ui"
)

// cliCurrent runs "codes --current" on dir with more args.
func cliCurrent(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runCLI(t, "", append([]string{"codes", "--current", "--data", dir}, args...)...)
}

// cliWaitShown waits until run/ui.json satisfies ok.
func cliWaitShown(t *testing.T, dir, what string, ok func(shownState) bool) {
	t.Helper()
	cliWaitFor(t, what, func() bool {
		s, err := readShown(filepath.Join(dir, "run", "ui.json"))
		return err == nil && ok(s)
	})
}

// TestCodesCurrentFollowsTheApp runs the real app (its wallet server, its
// embedded simulator, a 120×40 window) and reads the code it shows with
// codes --current and status, through a switch to the barcode, another
// screen, and the app's exit.
func TestCodesCurrentFollowsTheApp(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "100.00", "--currency", "USD")
	s, d, err := startDriven(context.Background(), uiOptions{dataPath: dir, userID: "alice"}, false)
	if err != nil {
		t.Fatal(err)
	}
	running := true
	t.Cleanup(func() {
		if running {
			d.stop()
			s.close()
		}
	})
	want := d.m.(ui.App).Shown().Code.Value
	if want == "" {
		t.Fatal("the app shows no code")
	}
	cliWaitShown(t, dir, "the code in run/ui.json", func(s shownState) bool { return s.PaymentCode == want })

	stdout, stderr, code := cliCurrent(t, dir, "--json")
	var got onScreenJSON
	if err := json.Unmarshal([]byte(stdout), &got); err != nil || code != 0 {
		t.Fatalf("codes --current --json: exit %d, %v: %s %s", code, err, stdout, stderr)
	}
	exp, err := alipayplus.ParseTime(got.CodeExpiryTime)
	if got.PaymentCode != want || got.UserID != "alice" || got.Format != "qr" || got.Screen != "pay" || got.PID != os.Getpid() ||
		err != nil || got.SecondsLeft == nil || *got.SecondsLeft < 1 || *got.SecondsLeft > 60 || got.ShownAt.After(time.Now()) {
		t.Errorf("codes --current --json = %s, want alice's code %s as a QR code, valid for up to a minute", stdout, want)
	}
	if left := time.Until(exp); left <= 0 || left > time.Minute {
		t.Errorf("the code expires in %s", left)
	}
	if stdout, _, code := cliCurrent(t, dir, "--user", "alice"); code != 0 || !strings.HasPrefix(stdout, want+"  alice  qr  expires ") ||
		!strings.HasSuffix(stdout, " s left)\n") {
		t.Errorf("codes --current --user alice: exit %d, %q", code, stdout)
	}
	if stdout, _, _ := runCLI(t, "", "status", "--data", dir); !strings.Contains(stdout, "code on screen "+want+" (user alice, qr, ") {
		t.Errorf("status does not show the code on screen:\n%s", stdout)
	}
	stdout, _, _ = runCLI(t, "", "status", "--data", dir, "--json")
	var st statusJSON
	if err := json.Unmarshal([]byte(stdout), &st); err != nil || st.App == nil || st.App.PaymentCode != want || st.App.SecondsLeft == nil {
		t.Errorf("status --json app = %+v (%v), want the code on screen", st.App, err)
	}

	d.update(tea.KeyPressMsg{Code: 'b', Text: "b"})
	cliWaitShown(t, dir, "the barcode in run/ui.json", func(s shownState) bool { return s.Format == "barcode" })
	if stdout, _, code := cliCurrent(t, dir); code != 0 || !strings.Contains(stdout, "  alice  barcode  expires ") {
		t.Errorf("codes --current after b: exit %d, %q", code, stdout)
	}

	d.update(tea.KeyPressMsg{Code: '2', Text: "2"})
	cliWaitShown(t, dir, "the History screen in run/ui.json", func(s shownState) bool { return s.Screen == "history" })
	_, stderr, code = cliCurrent(t, dir)
	if code != 1 || !strings.Contains(stderr, "shows no payment code right now: the history screen is open") {
		t.Errorf("codes --current on History: exit %d, %q", code, stderr)
	}
	assertOneErrorLine(t, stderr)
	if stdout, _, _ := runCLI(t, "", "status", "--data", dir); !strings.Contains(stdout, "code on screen none: the history screen is open") {
		t.Errorf("status with History open:\n%s", stdout)
	}

	d.stop()
	s.close()
	running = false
	if _, err := os.Stat(filepath.Join(dir, "run", "ui.json")); !os.IsNotExist(err) {
		t.Errorf("run/ui.json after the app's exit: %v", err)
	}
	if _, stderr, code := cliCurrent(t, dir); code != 1 || !strings.Contains(stderr, "no app runs on "+dir) {
		t.Errorf("codes --current after the exit: exit %d, %q", code, stderr)
	}
	if stdout, _, _ := runCLI(t, "", "status", "--data", dir); strings.Contains(stdout, "code on screen") {
		t.Errorf("status after the exit still names a code on screen:\n%s", stdout)
	}
}

// deadPID is the pid of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

// TestCodesCurrentRefuses checks codes --current against run files as a
// live, a crashed or a pid-reusing app leaves them: only a live app's code,
// valid now and the user's asked for, is printed; status lists the code on
// screen only when the app runs.
func TestCodesCurrentRefuses(t *testing.T) {
	now := time.Now()
	live := shownState{PID: os.Getpid(), UserID: "alice", PaymentCode: "259999020000000000001234", Format: "qr",
		CodeValidityStartTime: alipayplus.FormatTime(now.Add(-10 * time.Second)), CodeExpiryTime: alipayplus.FormatTime(now.Add(50 * time.Second)),
		ShownAt: now.Add(-10 * time.Second).UTC(), Screen: "pay"}
	with := func(f func(*shownState)) *shownState { s := live; f(&s); return &s }
	tests := []struct {
		name string
		file *shownState // nil: no run/ui.json
		// server is whether this process serves a wallet on the data dir
		// (run/serve.json with its pid), as the app does.
		server bool
		args   []string
		code   int
		out    string // in stdout (exit 0) or stderr
		status string // status's line, "" when it lists none
	}{
		{"the app shows a code", &live, true, nil, 0, "259999020000000000001234  alice  qr  expires ",
			"code on screen 259999020000000000001234 (user alice, qr, "},
		{"the user on screen", &live, true, []string{"--user", "alice"}, 0, "259999020000000000001234  alice", "code on screen 2599"},
		{"another user", &live, true, []string{"--user", "bob"}, 1, "shows alice's codes, not bob's", "code on screen 2599"},
		{"no app ever ran", nil, false, nil, 1, "no app runs on DIR: start 'mppwallet ui --data DIR'", ""},
		{"a crashed app's file", with(func(s *shownState) { s.PID = deadPID(t) }), false, nil, 1, "which has ended", ""},
		{"its pid now another process's", &live, false, nil, 1, "which serves no wallet here", ""},
		{"another screen is open", with(func(s *shownState) { s.Screen, s.PaymentCode, s.CodeExpiryTime = "history", "", "" }), true, nil, 1,
			"shows no payment code right now: the history screen is open", "code on screen none: the history screen is open"},
		{"no code yet", with(func(s *shownState) { s.PaymentCode, s.CodeExpiryTime, s.Note = "", "", "fetching payment codes" }), true, nil, 1,
			"shows no payment code right now: fetching payment codes", "code on screen none: fetching payment codes"},
		{"the code shown has expired", with(func(s *shownState) { s.CodeExpiryTime = alipayplus.FormatTime(now.Add(-5 * time.Second)) }), true, nil, 1,
			"expired at", "code on screen 259999020000000000001234 (user alice, qr, expired;"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := cliDataDir(t)
			if tt.file != nil {
				b, _ := json.Marshal(tt.file)
				if err := os.MkdirAll(filepath.Join(dir, "run"), 0o700); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(filepath.Join(dir, "run", "ui.json"), b, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			if tt.server {
				ln, err := net.Listen("tcp", "127.0.0.1:0")
				if err != nil {
					t.Fatal(err)
				}
				defer ln.Close()
				if _, err := publishRun(dataDir{root: dir}, "serve", "http://"+ln.Addr().String(), defaultClientID); err != nil {
					t.Fatal(err)
				}
			}
			stdout, stderr, code := cliCurrent(t, dir, tt.args...)
			got, want := stdout, strings.ReplaceAll(tt.out, "DIR", dir)
			if tt.code != 0 {
				got = stderr
				assertOneErrorLine(t, stderr)
			}
			if code != tt.code || !strings.Contains(got, want) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d with %q", code, stdout, stderr, tt.code, want)
			}
			status, _, _ := runCLI(t, "", "status", "--data", dir)
			if listed := strings.Contains(status, "code on screen"); listed != (tt.status != "") || !strings.Contains(status, tt.status) {
				t.Errorf("status:\n%s\nwant the line %q", status, tt.status)
			}
		})
	}
}

// TestCodesCurrentRefusesFlagsForNewCodes: --current prints the code on
// screen, so the flags that shape new codes are a usage error.
func TestCodesCurrentRefusesFlagsForNewCodes(t *testing.T) {
	dir := cliDataDir(t)
	for _, args := range [][]string{{"--count", "3"}, {"--region", "CN"}, {"--print", "qr"}, {"--gateway", "http://127.0.0.1:1"}} {
		_, stderr, code := cliCurrent(t, dir, args...)
		if code != 2 || !strings.Contains(stderr, "--current prints the code the app shows; "+args[0]+" is for new codes") {
			t.Errorf("codes --current %v: exit %d, %q; want a usage error naming %s", args, code, stderr, args[0])
		}
		assertOneErrorLine(t, stderr)
	}
	if _, stderr, code := runCLI(t, "", "codes", "--data", dir); code != 2 || !strings.Contains(stderr, "--current") {
		t.Errorf("codes without --user: exit %d, %q; want a usage error naming --current", code, stderr)
	}
}
