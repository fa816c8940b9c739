package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
)

var cliKeyFileNames = []string{"private.pem", "private.b64", "public.pem", "public.b64"}

// cliGenerateKeys runs "keys generate --out DIR" and returns DIR.
func cliGenerateKeys(t *testing.T) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "keys")
	if _, stderr, code := runCLI(t, "", "keys", "generate", "--out", out); code != 0 {
		t.Fatalf("keys generate: exit %d, stderr %q", code, stderr)
	}
	return out
}

func cliReadFiles(t *testing.T, dir string, names []string) map[string][]byte {
	t.Helper()
	m := map[string][]byte{}
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		m[n] = b
	}
	return m
}

func TestKeysGenerate(t *testing.T) {
	cliIsolate(t)
	out := filepath.Join(t.TempDir(), "new", "keys") // created on demand
	stdout, stderr, code := runCLI(t, "", "keys", "generate", "--out", out)
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}

	modes := map[string]os.FileMode{"private.pem": 0o600, "private.b64": 0o600, "public.pem": 0o644, "public.b64": 0o644}
	for name, want := range modes {
		fi, err := os.Stat(filepath.Join(out, name))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if got := fi.Mode().Perm(); got != want {
			t.Errorf("%s mode %04o, want %04o", name, got, want)
		}
	}
	files := cliReadFiles(t, out, cliKeyFileNames)
	if !bytes.HasPrefix(files["private.pem"], []byte("-----BEGIN ")) || !bytes.HasPrefix(files["public.pem"], []byte("-----BEGIN PUBLIC KEY-----")) {
		t.Errorf("PEM files do not start with a PEM header")
	}
	for _, n := range []string{"private.b64", "public.b64"} {
		b := bytes.TrimRight(files[n], "\n")
		if bytes.ContainsAny(b, " \n-") {
			t.Errorf("%s is not one line of base64: %q", n, files[n])
		}
	}
	privPEM, err := alipayplus.ParsePrivateKey(files["private.pem"])
	if err != nil {
		t.Fatalf("private.pem: %v", err)
	}
	privB64, err := alipayplus.ParsePrivateKey(files["private.b64"])
	if err != nil {
		t.Fatalf("private.b64: %v", err)
	}
	pubPEM, err := alipayplus.ParsePublicKey(files["public.pem"])
	if err != nil {
		t.Fatalf("public.pem: %v", err)
	}
	pubB64, err := alipayplus.ParsePublicKey(files["public.b64"])
	if err != nil {
		t.Fatalf("public.b64: %v", err)
	}
	if !privPEM.Equal(privB64) || !pubPEM.Equal(pubB64) || !pubPEM.Equal(&privPEM.PublicKey) {
		t.Errorf("the four files do not hold one key pair")
	}
	if privPEM.N.BitLen() != 2048 {
		t.Errorf("key has %d bits, want 2048", privPEM.N.BitLen())
	}
	// The output names the files and shows the public key to upload, never the private key.
	b64 := strings.TrimSpace(string(files["public.b64"]))
	for _, want := range []string{filepath.Join(out, "private.pem"), filepath.Join(out, "public.pem"), b64} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, stdout)
		}
	}
	if strings.Contains(stdout, strings.TrimSpace(string(files["private.b64"]))[:64]) {
		t.Errorf("stdout shows the private key")
	}

	// A second run into the same folder fails and keeps the keys.
	t.Run("again", func(t *testing.T) {
		for _, extra := range [][]string{nil, {"--json"}} {
			stdout, stderr, code := runCLI(t, "", append([]string{"keys", "generate", "--out", out}, extra...)...)
			if code != 1 {
				t.Errorf("%v: exit %d, want 1", extra, code)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, "exists") {
				t.Errorf("%v: stderr %q does not say the key exists", extra, stderr)
			}
			// Text prints nothing on stdout; --json the failure object.
			var f cliFailureJSON
			switch {
			case extra == nil && stdout != "":
				t.Errorf("stdout %q, want nothing", stdout)
			case extra != nil && (json.Unmarshal([]byte(stdout), &f) != nil || !strings.Contains(f.Error, "exists") || f.ExitCode != 1):
				t.Errorf("--json: stdout %q, want the failure object", stdout)
			}
			for name, b := range cliReadFiles(t, out, cliKeyFileNames) {
				if !bytes.Equal(b, files[name]) {
					t.Errorf("%s changed", name)
				}
			}
		}
		entries, _ := os.ReadDir(out)
		if len(entries) != len(cliKeyFileNames) {
			t.Errorf("folder holds %d entries, want %d (no leftovers)", len(entries), len(cliKeyFileNames))
		}
	})
}

func TestKeysGenerateRefusesAnyExistingFile(t *testing.T) {
	cliIsolate(t)
	for _, existing := range cliKeyFileNames {
		t.Run(existing, func(t *testing.T) {
			out := t.TempDir()
			if err := os.WriteFile(filepath.Join(out, existing), []byte("mine\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			_, stderr, code := runCLI(t, "", "keys", "generate", "--out", out)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, existing) {
				t.Errorf("stderr %q does not name %s", stderr, existing)
			}
			entries, _ := os.ReadDir(out)
			if len(entries) != 1 {
				t.Errorf("folder holds %d entries, want only the existing file", len(entries))
			}
			if b, _ := os.ReadFile(filepath.Join(out, existing)); string(b) != "mine\n" {
				t.Errorf("%s was overwritten", existing)
			}
		})
	}
}

func TestKeysGenerateJSON(t *testing.T) {
	cliIsolate(t)
	out := t.TempDir()
	stdout, stderr, code := runCLI(t, "", "keys", "generate", "--out", out, "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got map[string]string
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, stdout)
	}
	want := map[string]string{
		"privateKeyPem": filepath.Join(out, "private.pem"), "privateKeyBase64File": filepath.Join(out, "private.b64"),
		"publicKeyPem": filepath.Join(out, "public.pem"), "publicKeyBase64File": filepath.Join(out, "public.b64"),
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	pubFile, err := os.ReadFile(filepath.Join(out, "public.b64"))
	if err != nil {
		t.Fatal(err)
	}
	if got["publicKeyBase64"] == "" || got["publicKeyBase64"] != strings.TrimSpace(string(pubFile)) {
		t.Errorf("publicKeyBase64 = %q, want the content of public.b64", got["publicKeyBase64"])
	}
	pub, err := alipayplus.ParsePublicKey([]byte(got["publicKeyBase64"]))
	if err != nil {
		t.Fatalf("publicKeyBase64: %v", err)
	}
	priv, _, err := alipayplus.LoadPrivateKeyFile(got["privateKeyPem"])
	if err != nil || !pub.Equal(&priv.PublicKey) {
		t.Errorf("publicKeyBase64 does not match the private key (%v)", err)
	}
}

func TestKeysGenerateUsage(t *testing.T) {
	cliIsolate(t)
	for _, args := range [][]string{
		{"keys", "generate"},
		{"keys", "generate", "--out", t.TempDir(), "extra"},
		{"keys", "generate", "--bits", "4096"},
	} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", args...)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d stdout %q, want 2 and nothing", code, stdout)
			}
			assertOneErrorLine(t, stderr)
		})
	}
	t.Run("out under a file", func(t *testing.T) {
		f := filepath.Join(t.TempDir(), "f")
		if err := os.WriteFile(f, nil, 0o600); err != nil {
			t.Fatal(err)
		}
		_, stderr, code := runCLI(t, "", "keys", "generate", "--out", filepath.Join(f, "keys"))
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		assertOneErrorLine(t, stderr)
		if strings.Contains(stderr, "alipayplus:") {
			t.Errorf("stderr %q shows the library prefix", stderr)
		}
	})
}
