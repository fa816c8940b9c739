package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cliMainEnv makes the test binary run as mppwallet, as main.go does.
const cliMainEnv = "MPPWALLET_CLI_TEST_MAIN"

// recipeBlock is the shell block of docs/ci.md that follows marker.
func recipeBlock(t *testing.T, marker string) string {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "ci.md"))
	if err != nil {
		t.Fatal(err)
	}
	_, after, ok := strings.Cut(string(doc), "<!-- recipe: "+marker+" -->\n```sh\n")
	if !ok {
		t.Fatalf("docs/ci.md has no sh block after <!-- recipe: %s -->", marker)
	}
	block, _, ok := strings.Cut(after, "\n```\n")
	if !ok {
		t.Fatal("the recipe's block does not end")
	}
	return block + "\n"
}

// TestCIRecipeRunsAsWritten runs the whole job of docs/ci.md with bash,
// as written, with mppwallet on PATH (this test binary, run as the
// command) on a fresh data dir: it must exit 0, print what each step says,
// and leave the ledger as the steps paid it.
func TestCIRecipeRunsAsWritten(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("no bash")
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	wrapper := fmt.Sprintf("#!/bin/sh\n%s=1 exec %q \"$@\"\n", cliMainEnv, self)
	if err := os.WriteFile(filepath.Join(bin, "mppwallet"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	work, data := t.TempDir(), filepath.Join(t.TempDir(), "data")
	script := filepath.Join(work, "recipe.sh")
	if err := os.WriteFile(script, []byte(recipeBlock(t, "ci")), 0o755); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bash, script)
	cmd.Dir = work
	cmd.Env = append(cliRecipeEnv(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "MPPWALLET_DATA="+data)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		logs := ""
		for _, f := range []string{"serve.log", "sim.log", "charge.json", "held.json", "confirm.json", "reconcile.json"} {
			b, _ := os.ReadFile(filepath.Join(work, f))
			logs += "\n--- " + f + "\n" + string(b)
		}
		t.Fatalf("the recipe failed: %v\n%s%s", err, out.String(), logs)
	}
	for _, want := range []string{"simulator at http://127.0.0.1:", "alice paid 12.34 USD: ", "carol approved 5.00 USD: ",
		`"differences":[]`, "done: " + data} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the recipe's output lacks %q:\n%s", want, out.String())
		}
	}
	for user, want := range map[string]string{"alice": "8766", "carol": "4500"} {
		if b := cliSimBalance(t, data, user); !cliAmountIs(b, "USD", want) {
			t.Errorf("%s's balance %+v after the recipe, want %s minor units", user, b, want)
		}
	}
	for _, f := range []string{"run/serve.json", "run/sim.json"} {
		if _, err := os.Stat(filepath.Join(data, f)); err == nil {
			t.Errorf("%s is left after the recipe stopped the servers", f)
		}
	}
}

// cliRecipeEnv is the environment without what would point the recipe's
// commands elsewhere.
func cliRecipeEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "MPPWALLET_") || strings.HasPrefix(kv, "PATH=") {
			continue
		}
		env = append(env, kv)
	}
	return env
}
