package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestStatusNamesTheCodeRules(t *testing.T) {
	dir := cliDataDir(t)
	out, stderr, code := runCLI(t, "", "status", "--data", dir)
	if code != 0 || !strings.Contains(out, "code rules     embedded sandbox set") {
		t.Fatalf("exit %d, stdout:\n%s\nstderr: %s", code, out, stderr)
	}
	// A cache that cannot be read is named, and the embedded set used.
	if err := os.WriteFile(filepath.Join(dir, "coderules.json"), []byte("{not json"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runCLI(t, "", "status", "--data", dir, "--json")
	var s statusJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, out)
	}
	if !strings.HasPrefix(s.CodeRules, "embedded sandbox set") || len(s.CodeRulesWarnings) != 1 ||
		!strings.Contains(s.CodeRulesWarnings[0], "coderules.json") {
		t.Errorf("codeRules %q, warnings %q: want the embedded set and a warning naming the file", s.CodeRules, s.CodeRulesWarnings)
	}
}
