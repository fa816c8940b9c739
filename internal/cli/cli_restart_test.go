package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// After a crash (SIGKILL, power loss, reboot) run/NAME.json stays behind,
// and its pid may by now belong to some other live process. A server must
// still start on the data dir then: only a server that answers at the
// recorded address counts as running.
func TestServersStartOverAStaleRunFileWithALivePid(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "10.00")
	stale := func(name string) {
		t.Helper()
		// This test's own pid: alive, but nobody listens at the address.
		b, _ := json.Marshal(map[string]any{"pid": os.Getpid(), "url": "http://127.0.0.1:1", "clientId": defaultClientID, "token": "stale"})
		if err := os.MkdirAll(filepath.Join(dir, "run"), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "run", name+".json"), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	replaced := func(name string) func() bool {
		return func() bool {
			var st cliServeState
			b, err := os.ReadFile(filepath.Join(dir, "run", name+".json"))
			return err == nil && json.Unmarshal(b, &st) == nil && st.URL != "http://127.0.0.1:1"
		}
	}
	stale("serve")
	stale("sim")
	if out, _, _ := runCLI(t, "", "status", "--data", dir); !strings.Contains(out, "simulator      not running") {
		t.Errorf("status with stale run files whose pid is alive:\n%s", out)
	}
	s := cliStartServe(t, dir) // the stale file has this process's pid: wait for the new one
	cliWaitFor(t, "serve to replace the stale run/serve.json", func() bool {
		select {
		case code := <-s.done:
			s.done <- code
			t.Fatalf("serve exited with %d: %s", code, s.stderr.String())
		default:
		}
		return replaced("serve")()
	})
	stale("sim")
	cliSimStart(t, dir)
	cliWaitFor(t, "sim to replace the stale run/sim.json", replaced("sim"))
	// A server that does answer still keeps a second one off the data dir.
	_, stderr, code := runCLI(t, "", "serve", "--listen", "127.0.0.1:0", "--data", dir)
	if code != 1 || !strings.Contains(stderr, "already serves") {
		t.Errorf("second serve: exit %d, stderr %q; want 1 and 'already serves'", code, stderr)
	}
}

// A crash while a key pair was being written (the private key is there,
// its public half or base64 forms not yet) must not leave the data dir
// unusable: the missing files are derived from the private key.
func TestKeyPairCompletedAfterACrashMidWrite(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "10.00")
	d := dataDir{root: dir}
	for _, p := range [][2]string{{d.mppPrivatePath(), d.mppPublicPath()}, {d.simAlipayPrivatePath(), d.alipayPublicPath()}} {
		if _, err := ensureKeyPair(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string][]byte{}
	for _, f := range []string{d.mppPublicPath(), d.alipayPublicPath(), strings.TrimSuffix(d.mppPublicPath(), ".pem") + ".b64",
		strings.TrimSuffix(d.mppPrivatePath(), ".pem") + ".b64"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		want[f] = b
		if err := os.Remove(f); err != nil { // as if the process died before writing it
			t.Fatal(err)
		}
	}
	w := &cliSimWorld{dir: dir}
	w.serve = cliStartServe(t, dir)
	w.sim = cliSimStart(t, dir)
	c := cliSimCode(t, dir, "alice")
	if out, _, code := cliSimCharge(t, dir, c, "1.00", "USD"); code != 0 || out.Status != "SUCCESS" {
		t.Errorf("charge after the repair: exit %d %+v", code, out)
	}
	for f, b := range want {
		got, err := os.ReadFile(f)
		if err != nil || string(got) != string(b) {
			t.Errorf("%s was not restored from the private key (%v)", f, err)
		}
	}
}

// A simulator killed in the middle of a transcript line leaves a partial
// line; the next run starts on a new line, so every line it writes is
// whole JSON.
func TestTranscriptAfterACrashMidLine(t *testing.T) {
	w := cliSimStartWorld(t)
	w.sim.stop(t)
	path := filepath.Join(t.TempDir(), "t.jsonl")
	if err := os.WriteFile(path, []byte(`{"seq":1,"api":"/aps/api/v1/codes/getPay`), 0o600); err != nil {
		t.Fatal(err)
	}
	w.sim = cliSimStart(t, w.dir, "--transcript", path)
	cliSimCode(t, w.dir, "alice")
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) < 2 {
		t.Fatalf("transcript %q: want the partial line and new ones", b)
	}
	for i, l := range lines[1:] {
		var v map[string]any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Errorf("line %d after the partial one is not JSON: %v: %.80s", i+2, err, l)
		}
	}
}
