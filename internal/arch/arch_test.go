// Package arch_test keeps the layout honest: the design card's top level,
// and dependencies that point inward, never sideways. A sideways import
// fails here.
package arch_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

const mod = "github.com/mppwallet/mppwallet"

// pkg is what go list says of one package of the module.
type pkg struct {
	ImportPath                         string
	Imports, TestImports, XTestImports []string
	GoFiles                            []string
	Dir                                string
}

func listPackages(t *testing.T) []pkg {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go tool not on PATH")
	}
	cmd := exec.Command("go", "list", "-json", "./...")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		var p pkg
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found only %d packages", len(pkgs))
	}
	return pkgs
}

func under(path, prefix string) bool {
	return path == mod+"/"+prefix || strings.HasPrefix(path, mod+"/"+prefix+"/")
}

// The rules, as (importer prefix, forbidden import prefixes). Test files
// count too: a test that needs the other side lives in internal/ (e2e,
// mpp), not beside the protocol or the domain.
var rules = []struct {
	from      string
	forbidden []string
	why       string
}{
	{"alipayplus", []string{"wallet", "ui", "internal/cli", "internal/mpp", "internal/mpm", "internal/bench"},
		"the protocol core stands alone; the glue that serves the wallet over it is internal/mpp"},
	{"wallet", []string{"alipayplus", "ui", "internal/cli", "internal/mpp", "internal/mpm", "internal/bench"},
		"the domain knows nothing of the protocol or the UI"},
	{"ui", []string{"internal/cli", "alipayplus"},
		"the UI sees the wallet through its Backend; the CLI wires the network in"},
	{"internal/money", []string{"wallet", "alipayplus", "ui", "internal/cli"},
		"the shared money type belongs to neither side"},
}

func TestDependenciesPointInward(t *testing.T) {
	for _, p := range listPackages(t) {
		imports := slices.Concat(p.Imports, p.TestImports, p.XTestImports)
		for _, r := range rules {
			if !under(p.ImportPath, r.from) {
				continue
			}
			for _, imp := range imports {
				for _, bad := range r.forbidden {
					if under(imp, bad) {
						t.Errorf("%s imports %s: %s", strings.TrimPrefix(p.ImportPath, mod+"/"), strings.TrimPrefix(imp, mod+"/"), r.why)
					}
				}
			}
		}
		// Only main wires the command line in.
		if p.ImportPath != mod {
			for _, imp := range p.Imports {
				if under(imp, "internal/cli") && !under(p.ImportPath, "internal/cli") {
					t.Errorf("%s imports internal/cli: only main may", p.ImportPath)
				}
			}
		}
	}
}

// The domain uses the standard library and the module's own small value
// types only (no third-party code, no charm UI).
func TestDomainUsesStandardLibraryOnly(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", "./wallet")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := []string{mod + "/wallet", mod + "/internal/money"}
	for _, d := range strings.Fields(string(out)) {
		if !slices.Contains(allowed, d) {
			t.Errorf("wallet depends on %s; the domain uses the standard library and %v only", d, allowed[1:])
		}
	}
}

// The root holds only the design card's entries, and no source file but
// tests is over 600 lines.
func TestHouseMatchesTheDesignCard(t *testing.T) {
	root := filepath.Join("..", "..")
	entries, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	allowed := []string{"go.mod", "go.sum", "main.go", "README.md", "LICENSE", "ui", "wallet", "alipayplus", "assets", "internal", "docs"}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || slices.Contains(allowed, e.Name()) {
			continue
		}
		t.Errorf("the root holds %s; the design card allows %v and dotfiles", e.Name(), allowed)
	}
	for _, p := range listPackages(t) {
		for _, f := range p.GoFiles {
			b, err := os.ReadFile(filepath.Join(p.Dir, f))
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(b), "\n"); n > 600 {
				t.Errorf("%s/%s has %d lines; split it (600 at most)", strings.TrimPrefix(p.ImportPath, mod+"/"), f, n)
			}
		}
	}
	b, err := os.ReadFile(filepath.Join(root, "main.go"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(b), "\n"); n > 40 {
		t.Errorf("main.go has %d lines; it is a thin entry point (40 at most)", n)
	}
}
