package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestIdentify(t *testing.T) {
	cliIsolate(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte("not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"identify", "https://aps.testacquirer.com/order/1"}, 0, "supported  DECODE"},
		{[]string{"identify", "HTTPS://QR.ALIPAY.COM/BAX1"}, 0, "DECODE"},
		{[]string{"identify", "https://render.alipay.com/p/w/ac-fe-adaptor/x"}, 0, "open       https://render.alipay.com/p/w/ac-fe-adaptor/x"},
		{[]string{"identify", "hello"}, 1, "not supported"},
		{[]string{"identify", "--rules", bad, "hello"}, 2, ""},
		{[]string{"identify", "--rules", filepath.Join(t.TempDir(), "none.json"), "x"}, 2, ""},
		{[]string{"identify"}, 2, ""},
		{[]string{"identify", "a", "b"}, 2, ""},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", c.args...)
			if code != c.code || !strings.Contains(stdout, c.want) {
				t.Errorf("exit %d stdout %q stderr %q; want exit %d and %q", code, stdout, stderr, c.code, c.want)
			}
			if c.code == 2 {
				assertOneErrorLine(t, stderr)
			}
		})
	}
	stdout, _, code := runCLI(t, "", "identify", "--json", "https://aps.testacquirer.com/o")
	var d map[string]any
	if code != 0 || json.Unmarshal([]byte(stdout), &d) != nil || d["action"] != "DECODE" || d["supported"] != true || d["rulesVersion"] != "c_16_ignet_25" {
		t.Errorf("--json: exit %d %s", code, stdout)
	}
}

// TestIdentifyCachesTheNetworksRules: with a simulator on the data dir,
// identify fetches the rules once into DATA/coderules.json, then answers
// from the cache, also when the network is gone; a corrupt cache is
// warned about and the embedded set used.
func TestIdentifyCachesTheNetworksRules(t *testing.T) {
	w := cliSimStartWorld(t)
	code := "https://qr.mppwallet.test/2819990400011234567890123456" // only the simulator's rules know it
	identify := func(args ...string) (string, string, int) {
		t.Helper()
		return runCLI(t, "", append([]string{"identify", "--data", w.dir}, append(args, code)...)...)
	}
	stdout, stderr, exit := identify()
	if exit != 0 || !strings.Contains(stdout, "rules      network c_16_ignet_25+s1") {
		t.Fatalf("first identify: exit %d\n%s%s", exit, stdout, stderr)
	}
	cache := filepath.Join(w.dir, "coderules.json")
	fi, err := os.Stat(cache)
	if err != nil || fi.Mode().Perm() != 0o644 {
		t.Fatalf("the cache file: %v %v", fi, err)
	}
	// Fresh: no fetch, the cache answers.
	if stdout, _, exit := identify(); exit != 0 || !strings.Contains(stdout, "rules      cached c_16_ignet_25+s1 from ") {
		t.Errorf("second identify: exit %d\n%s", exit, stdout)
	}
	if stdout, _, exit := identify("--refresh", "--json"); exit != 0 || !strings.Contains(stdout, `"rules":"network c_16_ignet_25+s1"`) {
		t.Errorf("--refresh --json: exit %d\n%s", exit, stdout)
	}
	// The network is gone: the cache still answers.
	w.sim.stop(t)
	if stdout, _, exit := identify(); exit != 0 || !strings.Contains(stdout, "rules      cached c_16_ignet_25+s1") {
		t.Errorf("simulator down: exit %d\n%s", exit, stdout)
	}
	stdout, stderr, exit = identify("--refresh", "--gateway", "http://127.0.0.1:1")
	if exit != 0 || !strings.Contains(stdout, "rules      cached") || !strings.Contains(stderr, "could not be fetched") {
		t.Errorf("refresh from a dead gateway: exit %d\n%s%s", exit, stdout, stderr)
	}
	if _, stderr, exit := identify("--refresh"); exit != 2 || !strings.Contains(stderr, "no Alipay+ gateway") {
		t.Errorf("--refresh with no gateway: exit %d %q", exit, stderr)
	}
	// A corrupt cache: a warning naming it, and the embedded set (which does
	// not know the simulator's codes).
	if err := os.WriteFile(cache, []byte(`{"version":"x","codeRu`), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, exit = identify()
	if exit != 1 || !strings.Contains(stdout, "rules      embedded sandbox set c_16_ignet_25") ||
		!strings.Contains(stderr, "warning: the code-rule cache "+cache+" is unusable") {
		t.Errorf("corrupt cache: exit %d\n%s%s", exit, stdout, stderr)
	}
}
