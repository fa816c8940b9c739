package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependenciesPointInward keeps the layout honest: the domain imports
// only the standard library, and nothing but main imports the UI.
func TestDependenciesPointInward(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go tool not on PATH")
	}
	deps := func(pkg string) []string {
		out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		return strings.Fields(string(out))
	}
	const mod = "github.com/mppwallet/mppwallet"
	for _, d := range deps("./wallet") {
		if d != mod+"/wallet" {
			t.Errorf("wallet depends on %s; the domain must use the standard library only", d)
		}
	}
	for _, pkg := range []string{"./wallet/...", "./alipayplus/..."} {
		for _, d := range deps(pkg) {
			if strings.HasPrefix(d, mod+"/ui") || strings.HasPrefix(d, "charm.land/") {
				t.Errorf("%s depends on %s; only main may import the UI", pkg, d)
			}
		}
	}
}
