package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// leafPaths walks the command tree as the binary builds it: every command
// that runs something (cobra's help and completion commands included).
func leafPaths(c *cobra.Command, parent []string) [][]string {
	path := parent
	if c.HasParent() {
		path = append(append([]string{}, parent...), c.Name())
	}
	if !c.HasSubCommands() {
		return [][]string{path}
	}
	var out [][]string
	for _, s := range c.Commands() {
		out = append(out, leafPaths(s, path)...)
	}
	return out
}

// testRoot is the command tree of one run, with cobra's own commands added
// as they are when it executes.
func testRoot() *cobra.Command {
	r := newRoot(&cliEnv{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard, getenv: os.Getenv}, 80)
	r.InitDefaultHelpCmd()
	r.InitDefaultCompletionCmd()
	return r
}

// Every command, including ones added later, refuses an unknown flag with
// one line and exit 2, before touching anything.
func TestCLIUnknownFlagOnEveryCommand(t *testing.T) {
	cliSimIsolate(t)
	leaves := leafPaths(testRoot(), nil)
	if len(leaves) < 20 {
		t.Fatalf("only %d commands found: %v", len(leaves), leaves)
	}
	for _, leaf := range leaves {
		t.Run(strings.Join(leaf, " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", append(leaf, "--bogus-flag")...)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d stdout %q, want 2 and nothing", code, stdout)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, "--bogus-flag") {
				t.Errorf("stderr %q does not name the flag", stderr)
			}
		})
	}
}

// Key files that are missing, unreadable, of the wrong kind or format: one
// line naming the file and what is wrong with it, exit 1, for the wallet
// server and the simulator alike.
func TestServeAndSimKeyFileProblems(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "1.00")
	sign := filepath.Join("..", "..", "alipayplus", "testdata", "sign")
	garbage := filepath.Join(t.TempDir(), "garbage.pem")
	if err := os.WriteFile(garbage, []byte("-----BEGIN NOTHING-----\nhello\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(t.TempDir(), "none.pem")
	folder := t.TempDir()
	problems := []struct {
		name, file, want string
	}{
		{"missing", missing, "no such file"},
		{"a directory", folder, "is a directory"},
		{"garbage", garbage, "unrecognised key format"},
		{"an EC key", filepath.Join(sign, "ec_private.pem"), "not an RSA key"},
		{"an encrypted key", filepath.Join(sign, "private_encrypted.pem"), "encrypted"},
	}
	type target struct {
		name    string
		args    func(file string) []string
		env     string // set to the file instead of a flag, when not ""
		kindBad string // a key of the other kind, and what the error says
		kindMsg string
	}
	serve := func(flag string) func(string) []string {
		return func(f string) []string {
			return []string{"serve", "--listen", "127.0.0.1:0", "--data", dir, flag, f}
		}
	}
	targets := []target{
		{"serve --private-key", serve("--private-key"), "", filepath.Join(sign, "public.pem"), "this is a public key"},
		{"serve MPPWALLET_PRIVATE_KEY_FILE", func(string) []string { return []string{"serve", "--listen", "127.0.0.1:0", "--data", dir} },
			"MPPWALLET_PRIVATE_KEY_FILE", filepath.Join(sign, "public_pkcs1.pem"), "this is a public key"},
		{"serve --alipayplus-public-key", serve("--alipayplus-public-key"), "", filepath.Join(sign, "private.pem"), "this is a private key"},
		{"sim --private-key", func(f string) []string {
			return []string{"sim", "--listen", "127.0.0.1:0", "--data", dir, "--private-key", f}
		}, "", filepath.Join(sign, "public.pem"), "this is a public key"},
		{"sim --mpp-public-key", func(f string) []string {
			return []string{"sim", "--listen", "127.0.0.1:0", "--data", dir, "--mpp-url", "http://127.0.0.1:1", "--mpp-public-key", f}
		}, "", filepath.Join(sign, "private_pkcs1.pem"), "this is a private key"},
	}
	for _, tg := range targets {
		cases := append(problems, struct{ name, file, want string }{"the other kind of key", tg.kindBad, tg.kindMsg})
		if strings.Contains(tg.name, "public") {
			cases[3].file = filepath.Join(sign, "ec_public.pem")
		}
		for _, p := range cases {
			if strings.Contains(tg.name, "public") && (p.name == "an encrypted key") {
				continue // only private keys are encrypted
			}
			t.Run(tg.name+"/"+p.name, func(t *testing.T) {
				if tg.env != "" {
					t.Setenv(tg.env, p.file)
				}
				stdout, stderr, code := runCLI(t, "", tg.args(p.file)...)
				if code != 1 {
					t.Errorf("exit %d, want 1 (stdout %q)", code, stdout)
				}
				assertOneErrorLine(t, stderr)
				if !strings.Contains(stderr, p.file) || !strings.Contains(stderr, p.want) {
					t.Errorf("stderr %q should name %s and say %q", stderr, p.file, p.want)
				}
			})
		}
	}
	// A key in the data dir that has gone bad.
	t.Run("corrupt data dir key", func(t *testing.T) {
		d := filepath.Join(t.TempDir(), "data")
		cliAddUser(t, d, "--id", "alice") // codes asks for a user of the ledger
		cliWriteKey(t, dataDir{root: d}.mppPrivatePath(), []byte("junk\n"))
		for _, args := range [][]string{
			{"serve", "--listen", "127.0.0.1:0", "--data", d},
			{"codes", "--user", "alice", "--data", d},
			{"sig", "sign", "--uri", "/x", "--body", "-", "--data", d},
		} {
			_, stderr, code := runCLI(t, "{}", args...)
			if code != 1 || !strings.Contains(stderr, "mpp_private.pem") {
				t.Errorf("%s: exit %d stderr %q, want 1 naming mpp_private.pem", args[0], code, stderr)
			}
			assertOneErrorLine(t, stderr)
		}
	})
}

// A private key file others can read still works, with one warning line
// that says how to fix it, for serve and sim alike.
func TestWorldReadableKeyWarns(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "1.00")
	d := dataDir{root: dir}
	for _, p := range [][2]string{{d.mppPrivatePath(), d.mppPublicPath()}, {d.simAlipayPrivatePath(), d.alipayPublicPath()}} {
		if _, err := ensureKeyPair(p[0], p[1]); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(p[0], 0o644); err != nil {
			t.Fatal(err)
		}
	}
	s := cliStartServe(t, dir)
	sim := cliSimStart(t, dir)
	for name, stderr := range map[string]string{"serve": s.stderr.String(), "sim": sim.stderr.String()} {
		lines := strings.Split(strings.TrimSpace(stderr), "\n")
		if len(lines) != 1 || !strings.HasPrefix(lines[0], "warning: ") || !strings.Contains(lines[0], "chmod 600") || !strings.Contains(lines[0], "0644") {
			t.Errorf("%s: stderr %q, want one warning line with the mode and chmod 600", name, stderr)
		}
	}
}

// A data dir that cannot be created or written, or whose ledger or config
// is damaged: one line naming the file, exit 1, for every command that
// opens it.
func TestCLIBrokenDataDir(t *testing.T) {
	cliSimIsolate(t)
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	notDB := t.TempDir()
	if err := os.WriteFile(filepath.Join(notDB, "wallet.db"), []byte("this is not a database\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	badConfig := t.TempDir()
	cliAddUser(t, badConfig, "--id", "alice") // codes and scan ask for a user of the ledger
	if err := os.WriteFile(filepath.Join(badConfig, "config.json"), []byte("{bad"), 0o600); err != nil {
		t.Fatal(err)
	}
	dirs := []struct{ name, dir, want string }{
		{"under a file", filepath.Join(file, "sub"), filepath.Join(file, "sub")},
		{"in /proc", "/proc/mppwallet-test", "/proc/mppwallet-test"},
		{"ledger not a database", notDB, "wallet.db"},
		{"config not JSON", badConfig, "config.json"},
	}
	commands := [][]string{
		{"serve", "--listen", "127.0.0.1:0"},
		{"sim", "--listen", "127.0.0.1:0"},
		{"codes", "--user", "alice"},
		{"users", "list"},
		{"payments", "list"},
		{"scan", "https://qr.mppwallet.test/2819990400011234567890123456", "--user", "alice"},
		{"status"},
	}
	for _, dd := range dirs {
		for _, args := range commands {
			if dd.name == "ledger not a database" && args[0] == "status" {
				continue // it never opens the ledger
			}
			if dd.name == "config not JSON" && (args[0] == "users" || args[0] == "payments") {
				continue // these never read the config
			}
			t.Run(dd.name+"/"+args[0], func(t *testing.T) {
				stdout, stderr, code := runCLI(t, "", append(args, "--data", dd.dir)...)
				if code != 1 {
					t.Errorf("exit %d, want 1 (stdout %q stderr %q)", code, stdout, stderr)
				}
				assertOneErrorLine(t, stderr)
				if !strings.Contains(stderr, dd.want) {
					t.Errorf("stderr %q does not name %s", stderr, dd.want)
				}
			})
		}
	}
}
