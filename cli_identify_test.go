package main

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
