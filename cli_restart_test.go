package main

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
