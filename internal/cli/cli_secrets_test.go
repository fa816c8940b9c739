package cli

import (
	"context"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// cliSecret is a private key and the text fragments that would give it
// away: pieces of its base64 encodings (PKCS#8 and PKCS#1, as in the PEM
// and .b64 files) that are not also pieces of the public key's encodings,
// and the start of its private numbers in decimal and hex (as a %v of the
// key would print them).
type cliSecret struct {
	name      string
	key       *rsa.PrivateKey
	fragments []string
}

func newCLISecret(t *testing.T, name string) cliSecret {
	t.Helper()
	k, err := alipayplus.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pkcs8, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	spki, err := x509.MarshalPKIXPublicKey(&k.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	public := base64.StdEncoding.EncodeToString(spki) + " " + base64.StdEncoding.EncodeToString(x509.MarshalPKCS1PublicKey(&k.PublicKey))
	s := cliSecret{name: name, key: k}
	for _, der := range [][]byte{pkcs8, x509.MarshalPKCS1PrivateKey(k)} {
		b64 := base64.StdEncoding.EncodeToString(der)
		for i := 0; i+24 <= len(b64); i += 12 {
			if f := b64[i : i+24]; !strings.Contains(public, f) {
				s.fragments = append(s.fragments, f)
			}
		}
	}
	for _, n := range append([]interface{ String() string }{k.D}, k.Primes[0], k.Primes[1]) {
		s.fragments = append(s.fragments, n.String()[:30])
	}
	s.fragments = append(s.fragments, fmt.Sprintf("%x", k.D)[:30], fmt.Sprintf("%X", k.D)[:30])
	return s
}

// leaks reports where in text any fragment of a secret appears.
func (s cliSecret) leaks(text string) (string, bool) {
	for _, f := range s.fragments {
		if i := strings.Index(text, f); i >= 0 {
			return text[max(0, i-60):min(len(text), i+len(f)+20)], true
		}
	}
	return "", false
}

func cliWriteKey(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// Private keys never show: a whole session at debug log level, with the
// wallet's key from the environment and Alipay+'s from a file, through
// codes, charges, a refund, an order paid by scanning, faults that break
// signatures, and the inspector's transcript export. Then every output,
// log line, transcript and file in the data dir (but the key files) is
// searched for pieces of either key and for the simulator's admin token,
// which every merchant, faults and inspector call sent. Malformed keys (from the environment
// and from files) fail with an error that does not quote them.
func TestPrivateKeysNeverShow(t *testing.T) {
	dir := cliSimDataDir(t)
	cliAddUser(t, dir, "--id", "alice", "--balance", "100.00", "--currency", "USD")
	d := dataDir{root: dir}
	mpp, ap := newCLISecret(t, "the wallet's key"), newCLISecret(t, "Alipay+'s key")
	secrets := []cliSecret{mpp, ap}

	// The wallet's key: in the data dir for the app-side commands, and in
	// the environment for serve. Alipay+'s: a base64 file outside the data
	// dir for sim; only its public key in the data dir.
	cliWriteKey(t, d.mppPrivatePath(), alipayplus.PrivateKeyPEM(mpp.key))
	cliWriteKey(t, d.mppPublicPath(), alipayplus.PublicKeyPEM(&mpp.key.PublicKey))
	cliWriteKey(t, d.alipayPublicPath(), alipayplus.PublicKeyPEM(&ap.key.PublicKey))
	apFile := filepath.Join(t.TempDir(), "alipayplus_private.b64")
	cliWriteKey(t, apFile, []byte(alipayplus.PrivateKeyBase64(ap.key)+"\n"))
	transcript := filepath.Join(t.TempDir(), "transcript.jsonl")

	var outputs []string // everything a person or a log collector would see
	t.Setenv("MPPWALLET_PRIVATE_KEY", string(alipayplus.PrivateKeyPEM(mpp.key)))
	serve := cliStartServe(t, dir, "--log-level", "debug", "--json")
	t.Setenv("MPPWALLET_PRIVATE_KEY", "")
	sim := cliSimStart(t, dir, "--log-level", "debug", "--private-key", apFile, "--transcript", transcript, "--json")
	// The simulator's admin token, which every admin call below sends.
	secrets = append(secrets, cliSecret{name: "the simulator's admin token", fragments: []string{cliSimToken(t, dir)}})
	cli := func(args ...string) string {
		t.Helper()
		stdout, stderr, _ := runCLI(t, "", append(args[:1:1], append([]string{"--data", dir}, args[1:]...)...)...)
		outputs = append(outputs, stdout, stderr)
		return stdout
	}
	simCLI := func(args ...string) string {
		t.Helper()
		stdout, stderr, _ := runCLI(t, "", append(args, "--data", dir)...)
		outputs = append(outputs, stdout, stderr)
		return stdout
	}

	code := cliSimCode(t, dir, "alice")
	var charged cliSimChargeJSON
	if err := json.Unmarshal([]byte(simCLI("merchant", "charge", "--code", code, "--amount", "12.00", "--currency", "USD", "--json")), &charged); err != nil || charged.Status != "SUCCESS" {
		t.Fatalf("charge: %+v %v", charged, err)
	}
	simCLI("merchant", "refund", "--payment", charged.PaymentRequestID, "--amount", "2.00")
	var order struct {
		CodeValue string `json:"codeValue"`
	}
	if err := json.Unmarshal([]byte(simCLI("merchant", "order", "--amount", "3.00", "--currency", "USD", "--json")), &order); err != nil {
		t.Fatal(err)
	}
	cli("scan", order.CodeValue, "--user", "alice", "--yes")
	code2, code3 := cliSimCode(t, dir, "alice"), cliSimCode(t, dir, "alice")
	simCLI("faults", "add", "pay:badsig,count=1")
	simCLI("merchant", "charge", "--code", code2, "--amount", "1.00", "--currency", "USD")
	simCLI("merchant", "charge", "--code", code3, "--amount", "1.63", "--currency", "USD") // magic: a corrupt signature
	simCLI("faults", "add", "*:badsig,count=1")
	cli("codes", "--user", "alice") // its answer's signature does not verify
	cli("status")
	cli("payments", "list")
	cli("sig", "sign", "--uri", alipayplus.PathPay, "--body", "-")
	cli("sig", "verify", "--uri", alipayplus.PathPay, "--body", "-", "--signature", "algorithm=RSA256,keyVersion=1,signature=AAAA",
		"--time", "2026-01-02T03:04:05+08:00", "--public-key", d.mppPublicPath())

	// The inspector: the app's backend reads the simulator's transcript and
	// exports it into the data dir.
	b := &uiBackend{dataDir: dir, sim: cliSimAdmin(t, dir, sim.state.URL)}
	exchanges, err := b.Exchanges(context.Background(), 0)
	if err != nil || len(exchanges) == 0 {
		t.Fatalf("inspector exchanges: %d, %v", len(exchanges), err)
	}
	shown, _ := json.Marshal(exchanges)
	outputs = append(outputs, string(shown))
	if _, err := b.ExportTranscript(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/sim/transcript", "/sim/findings", "/sim/payments", "/sim/faults"} {
		req, _ := http.NewRequest(http.MethodGet, sim.state.URL+p, nil)
		req.Header.Set("Authorization", "Bearer "+cliSimToken(t, dir))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s with the token: HTTP %d", p, resp.StatusCode)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		outputs = append(outputs, string(body))
	}
	serve.stop(t)
	sim.stop(t)
	outputs = append(outputs, serve.stdout.String(), serve.stderr.String(), sim.stdout.String(), sim.stderr.String())
	if !strings.Contains(serve.stderr.String(), "level=DEBUG") && !strings.Contains(serve.stderr.String(), "level=INFO") {
		t.Errorf("serve at debug logged nothing; the test would prove little:\n%s", serve.stderr.String())
	}

	// Malformed keys: refused with a message that names the source, not
	// the content.
	broken := []byte(strings.Replace(string(alipayplus.PrivateKeyPEM(mpp.key)), "A", "*", 3))
	truncated := alipayplus.PrivateKeyPEM(ap.key)[:700]
	brokenFile := filepath.Join(t.TempDir(), "broken.pem")
	cliWriteKey(t, brokenFile, truncated)
	for _, c := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"serve, a corrupt key in the environment", map[string]string{"MPPWALLET_PRIVATE_KEY": string(broken)}, []string{"serve", "--listen", "127.0.0.1:0", "--data", dir, "--log-level", "debug"}},
		{"serve, a truncated key file", nil, []string{"serve", "--listen", "127.0.0.1:0", "--data", dir, "--log-level", "debug", "--private-key", brokenFile}},
		{"sim, a truncated key file", nil, []string{"sim", "--listen", "127.0.0.1:0", "--data", dir, "--log-level", "debug", "--private-key", brokenFile}},
		{"sim, a corrupt base64 key in the environment", map[string]string{"MPPWALLET_ALIPAYPLUS_PRIVATE_KEY": strings.Replace(alipayplus.PrivateKeyBase64(ap.key), "M", "!", 2)}, []string{"sim", "--listen", "127.0.0.1:0", "--data", dir}},
		{"sig sign, a corrupt key in the environment", map[string]string{"MPPWALLET_PRIVATE_KEY": string(broken)}, []string{"sig", "sign", "--data", dir, "--uri", "/x", "--body", "-"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			stdout, stderr, code := runCLI(t, "{}", c.args...)
			if code == 0 {
				t.Errorf("exit 0 with a malformed key; stderr %q", stderr)
			}
			assertOneErrorLine(t, stderr)
			for _, s := range secrets {
				if where, ok := s.leaks(stdout + stderr); ok {
					t.Errorf("%s shows in the error: …%s…", s.name, where)
				}
			}
		})
	}

	// Every file the session left, but the key files themselves.
	var files []string
	collect := func(root string) {
		_ = filepath.WalkDir(root, func(path string, e fs.DirEntry, err error) error {
			if err != nil || e.IsDir() {
				return err
			}
			if filepath.Dir(path) == filepath.Join(dir, "keys") || filepath.Dir(path) == filepath.Join(dir, "keys", "sim") {
				return nil
			}
			files = append(files, path)
			return nil
		})
	}
	collect(dir)
	files = append(files, transcript)
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		outputs = append(outputs, string(b))
	}
	if !strings.Contains(strings.Join(files, " "), "transcripts") || !strings.Contains(strings.Join(files, " "), "wallet.db") {
		t.Errorf("the session left fewer files than expected: %v", files)
	}
	for i, out := range outputs {
		for _, s := range secrets {
			if where, ok := s.leaks(out); ok {
				t.Errorf("%s shows in output %d: …%s…", s.name, i, where)
			}
		}
	}
	t.Logf("searched %d outputs and %d files for %d fragments of 2 keys", len(outputs)-len(files), len(files), len(mpp.fragments)+len(ap.fragments))
}

// Key files and everything private in the data dir are written 0600 (dirs
// 0700), whatever the umask.
func TestDataDirFilesArePrivate(t *testing.T) {
	dir := cliSimDataDir(t)
	old := syscall.Umask(0)
	defer syscall.Umask(old)
	cliAddUser(t, dir, "--id", "alice", "--balance", "10.00")
	transcript := filepath.Join(dir, "sim-transcript.jsonl")
	w := &cliSimWorld{dir: dir}
	w.serve = cliStartServe(t, dir)
	w.sim = cliSimStart(t, dir, "--transcript", transcript)
	cliSimCode(t, dir, "alice")
	b := &uiBackend{dataDir: dir, sim: cliSimAdmin(t, dir, w.sim.state.URL)}
	exported, err := b.ExportTranscript(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	d := dataDir{root: dir}
	want := map[string]os.FileMode{
		d.mppPrivatePath(): 0o600, strings.TrimSuffix(d.mppPrivatePath(), ".pem") + ".b64": 0o600,
		d.simAlipayPrivatePath(): 0o600, strings.TrimSuffix(d.simAlipayPrivatePath(), ".pem") + ".b64": 0o600,
		d.mppPublicPath(): 0o644, d.alipayPublicPath(): 0o644,
		d.dbPath(): 0o600, d.configPath(): 0o600, d.runPath("serve"): 0o600, d.runPath("sim"): 0o600, d.simAdminTokenPath(): 0o600,
		transcript: 0o600, exported: 0o600,
		filepath.Join(dir, "keys"): 0o700 | fs.ModeDir, filepath.Join(dir, "keys", "sim"): 0o700 | fs.ModeDir,
		filepath.Join(dir, "run"): 0o700 | fs.ModeDir, filepath.Join(dir, "transcripts"): 0o700 | fs.ModeDir,
	}
	for path, mode := range want {
		fi, err := os.Stat(path)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if got := fi.Mode() & (fs.ModePerm | fs.ModeDir); got != mode {
			t.Errorf("%s: mode %v, want %v", path, got, mode)
		}
	}
}
