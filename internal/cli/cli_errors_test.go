package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs one command line as a user would and returns what they see.
func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), code
}

// cliEnvVars are the variables the CLI reads; tests start with all unset.
var cliEnvVars = []string{
	"MPPWALLET_DATA", "MPPWALLET_LISTEN", "MPPWALLET_CLIENT_ID", "MPPWALLET_GATEWAY", "MPPWALLET_LOG_LEVEL",
	"MPPWALLET_PRIVATE_KEY", "MPPWALLET_PRIVATE_KEY_FILE",
	"MPPWALLET_PUBLIC_KEY", "MPPWALLET_PUBLIC_KEY_FILE",
	"MPPWALLET_ALIPAYPLUS_PUBLIC_KEY", "MPPWALLET_ALIPAYPLUS_PUBLIC_KEY_FILE", "MPPWALLET_THEME",
	"MPPWALLET_REGION", "MPPWALLET_CODE_BATCH", "MPPWALLET_OS_TYPE", "MPPWALLET_BARCODE",
}

// cliIsolate points HOME and XDG_DATA_HOME at empty temporary folders and
// clears the CLI's environment variables, so a test never touches the real
// home directory or inherits settings.
func cliIsolate(t *testing.T) {
	t.Helper()
	t.Setenv("HOME", t.TempDir())
	t.Setenv("XDG_DATA_HOME", t.TempDir())
	for _, v := range cliEnvVars {
		t.Setenv(v, "")
	}
}

// cliDataDir isolates the environment and returns an empty data dir.
func cliDataDir(t *testing.T) string {
	t.Helper()
	cliIsolate(t)
	return t.TempDir()
}

// assertOneErrorLine checks stderr is exactly one "mppwallet: ..." line.
func assertOneErrorLine(t *testing.T, stderr string) {
	t.Helper()
	if !strings.HasPrefix(stderr, "mppwallet: ") || strings.Count(stderr, "\n") != 1 || !strings.HasSuffix(stderr, "\n") {
		t.Errorf("stderr = %q, want exactly one line starting with \"mppwallet: \"", stderr)
	}
}

// leafCommands are every command that runs something.
var leafCommands = [][]string{
	{"serve"},
	{"users", "add"},
	{"users", "set"},
	{"users", "list"},
	{"payments", "list"},
	{"keys", "generate"},
	{"sig", "sign"},
	{"sig", "verify"},
	{"status"},
}

func TestHelpLeafCommands(t *testing.T) {
	cliIsolate(t)
	for _, leaf := range leafCommands {
		for _, form := range []string{"--help", "-h", "help"} {
			args := append(append([]string{}, leaf...), form)
			if form == "help" {
				args = append([]string{"help"}, leaf...)
			}
			t.Run(strings.Join(args, " "), func(t *testing.T) {
				stdout, stderr, code := runCLI(t, "", args...)
				if code != 0 {
					t.Errorf("exit %d, want 0 (stderr %q)", code, stderr)
				}
				for _, want := range []string{"Usage:", "Examples:", "mppwallet " + strings.Join(leaf, " ")} {
					if !strings.Contains(stdout, want) {
						t.Errorf("stdout lacks %q:\n%s", want, stdout)
					}
				}
				if stderr != "" {
					t.Errorf("stderr = %q, want nothing", stderr)
				}
			})
		}
	}
}

func TestHelpDoesNotTouchDataDir(t *testing.T) {
	cliIsolate(t)
	dir := filepath.Join(t.TempDir(), "never")
	for _, leaf := range leafCommands {
		if leaf[0] == "keys" {
			continue // keys generate has no --data: see TestCLIEveryCommandTakesData
		}
		args := append(append([]string{}, leaf...), "--data", dir, "--help")
		if _, stderr, code := runCLI(t, "", args...); code != 0 {
			t.Errorf("%v: exit %d (stderr %q)", args, code, stderr)
		}
	}
	if _, err := os.Stat(dir); err == nil {
		t.Errorf("--help created the data dir %s", dir)
	}
}

func TestHelpGroups(t *testing.T) {
	cliIsolate(t)
	for _, args := range [][]string{{"--help"}, {"help"}, {"users", "--help"}, {"sig", "-h"}, {"help", "keys"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", args...)
			if code != 0 || !strings.Contains(stdout, "Usage:") || !strings.Contains(stdout, "Commands:") || stderr != "" {
				t.Errorf("exit %d, stdout %q, stderr %q; want 0 and a command list", code, stdout, stderr)
			}
		})
	}
}

func TestCLIUnknownCommand(t *testing.T) {
	cliIsolate(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"bogus"}, `unknown command "bogus"`},
		{[]string{"users", "bogus"}, `unknown command "bogus"`},
		{[]string{"sig", "check"}, `unknown command "check"`},
		{[]string{"help", "bogus"}, `unknown command "bogus"`},
		// Flags with no command go to the default command, the wallet app.
		{[]string{"--bogus"}, `ui: unknown flag --bogus`},
		{[]string{"ui", "--theme", "blue"}, `--theme "blue": want dark or light`},
		{[]string{"ui", "--code-batch", "11"}, `--code-batch 11: want 1 to 10`},
		{[]string{"ui", "--os-type", "BB"}, `--os-type "BB": want IOS or ANDROID`},
		{[]string{"ui", "--region", "SGP"}, `--region "SGP": want a two-letter ISO 3166 code`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			_, stderr, code := runCLI(t, "", tt.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
		})
	}
}

func TestCLIGroupWithoutSubcommand(t *testing.T) {
	cliIsolate(t)
	for _, group := range []string{"users", "payments", "keys", "sig"} {
		t.Run(group, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", group)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, "subcommand is required") {
				t.Errorf("stderr %q does not say a subcommand is required", stderr)
			}
			if !strings.Contains(stdout, "Commands:") {
				t.Errorf("stdout does not list the subcommands:\n%s", stdout)
			}
		})
	}
}

func TestCLIUnknownFlagOnEveryLeaf(t *testing.T) {
	dir := cliDataDir(t)
	for _, leaf := range leafCommands {
		args := append(append([]string{}, leaf...), "--no-such-flag")
		if leaf[0] != "keys" {
			args = append(append([]string{}, leaf...), "--data", dir, "--no-such-flag")
		}
		t.Run(strings.Join(leaf, " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, "no-such-flag") {
				t.Errorf("stderr %q does not name the flag", stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
		})
	}
}

// The root help promises --data on every command that uses a data dir;
// keys generate writes only to --out.
func TestCLIEveryCommandTakesData(t *testing.T) {
	cliIsolate(t)
	stdout, _, _ := runCLI(t, "", "--help")
	if !strings.Contains(stdout, "Every command that uses a data dir takes --data DIR") {
		t.Errorf("the root help does not explain --data:\n%s", stdout)
	}
	for _, leaf := range leafCommands {
		if leaf[0] == "keys" {
			continue
		}
		t.Run(strings.Join(leaf, " "), func(t *testing.T) {
			args := append(append([]string{}, leaf...), "--data", t.TempDir(), "--help")
			if _, stderr, code := runCLI(t, "", args...); code != 0 {
				t.Errorf("exit %d, stderr %q", code, stderr)
			}
		})
	}
}

func TestCLIUnwritableDataDir(t *testing.T) {
	cliIsolate(t)
	base := t.TempDir()
	file := filepath.Join(base, "file")
	if err := os.WriteFile(file, []byte("not a folder\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(file, "sub")
	tests := [][]string{
		{"users", "list", "--data", dir},
		{"users", "list", "--json", "--data", dir},
		{"users", "add", "--id", "alice", "--balance", "1.00", "--data", dir},
		{"users", "set", "--id", "alice", "--top-up", "1.00", "--data", dir},
		{"payments", "list", "--data", dir},
		{"serve", "--listen", "127.0.0.1:0", "--data", dir},
		{"sig", "sign", "--uri", "/x", "--body", "-", "--data", dir},
	}
	for _, args := range tests {
		t.Run(strings.Join(args[:2], " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "{}", args...)
			if code != 1 {
				t.Errorf("exit %d, want 1 (stdout %q)", code, stdout)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, dir) {
				t.Errorf("stderr %q does not name the data dir", stderr)
			}
		})
	}
	// The same through MPPWALLET_DATA.
	t.Setenv("MPPWALLET_DATA", dir)
	_, stderr, code := runCLI(t, "", "users", "list")
	if code != 1 {
		t.Errorf("MPPWALLET_DATA: exit %d, want 1", code)
	}
	assertOneErrorLine(t, stderr)
}

func TestCLIDataDirFromEnvAndDefault(t *testing.T) {
	cliIsolate(t)
	// MPPWALLET_DATA is used when --data is not given.
	dir := t.TempDir()
	t.Setenv("MPPWALLET_DATA", dir)
	if _, stderr, code := runCLI(t, "", "users", "add", "--id", "env", "--balance", "1.00"); code != 0 {
		t.Fatalf("users add: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "wallet.db")); err != nil {
		t.Errorf("MPPWALLET_DATA not used: %v", err)
	}
	// Without it, the XDG data home is.
	t.Setenv("MPPWALLET_DATA", "")
	xdg := t.TempDir()
	t.Setenv("XDG_DATA_HOME", xdg)
	if _, stderr, code := runCLI(t, "", "users", "list"); code != 0 {
		t.Fatalf("users list: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(xdg, "mppwallet", "wallet.db")); err != nil {
		t.Errorf("XDG_DATA_HOME not used: %v", err)
	}
	// And without that, $HOME/.local/share.
	t.Setenv("XDG_DATA_HOME", "")
	home := t.TempDir()
	t.Setenv("HOME", home)
	if _, stderr, code := runCLI(t, "", "payments", "list"); code != 0 {
		t.Fatalf("payments list: exit %d, stderr %q", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(home, ".local", "share", "mppwallet", "wallet.db")); err != nil {
		t.Errorf("HOME default not used: %v", err)
	}
}

func TestPaymentsListEmpty(t *testing.T) {
	dir := cliDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "1.00")
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"text", []string{"payments", "list", "--data", dir}, "no payments yet\n"},
		{"json", []string{"payments", "list", "--data", dir, "--json"}, "[]\n"},
		{"json for a user", []string{"payments", "list", "--data", dir, "--json", "--user", "alice", "--limit", "0"}, "[]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", tt.args...)
			if code != 0 || stderr != "" {
				t.Errorf("exit %d, stderr %q; want 0 and nothing", code, stderr)
			}
			if stdout != tt.want {
				t.Errorf("stdout = %q, want %q", stdout, tt.want)
			}
		})
	}
	t.Run("negative limit", func(t *testing.T) {
		_, stderr, code := runCLI(t, "", "payments", "list", "--data", dir, "--limit", "-1")
		if code != 2 {
			t.Errorf("exit %d, want 2", code)
		}
		assertOneErrorLine(t, stderr)
	})
}
