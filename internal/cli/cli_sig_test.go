package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
)

const (
	sigURI      = "/aps/api/v1/payments/pay?x=1"
	sigClientID = "SANDBOX_TEST_CLIENT"
	sigTime     = "2026-01-02T03:04:05+08:00"
	sigBody     = `{"paymentRequestId":"pr-1","payToAmount":{"currency":"USD","value":"1250"}}`
)

// sigFixture is a data dir, a key pair made by the CLI and a body file.
type sigFixture struct {
	data, keys, body string
}

func (f sigFixture) priv() string { return filepath.Join(f.keys, "private.pem") }
func (f sigFixture) pub() string  { return filepath.Join(f.keys, "public.pem") }

func newSigFixture(t *testing.T) sigFixture {
	t.Helper()
	f := sigFixture{data: cliDataDir(t)}
	f.keys = cliGenerateKeys(t)
	f.body = cliWriteTemp(t, "body.json", sigBody)
	return f
}

func cliWriteTemp(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// signedText is what "sig sign" prints without --json.
type signedText struct {
	content, clientID, requestTime, signature string
}

// parseSignOutput reads the text output of "sig sign".
func cliParseSignOutput(t *testing.T, stdout string) signedText {
	t.Helper()
	head, rest, ok := strings.Cut(stdout, "\n----\n")
	if !ok || !strings.HasPrefix(head, "Content signed (") {
		t.Fatalf("unexpected sig sign output:\n%s", stdout)
	}
	content, tail, ok := strings.Cut(rest, "\n----\n")
	if !ok {
		t.Fatalf("no closing ---- line:\n%s", stdout)
	}
	var s signedText
	s.content = content
	for _, line := range strings.Split(strings.TrimRight(tail, "\n"), "\n") {
		k, v, _ := strings.Cut(line, ": ")
		switch k {
		case "Client-Id":
			s.clientID = v
		case "Request-Time":
			s.requestTime = v
		case "Signature":
			s.signature = v
		default:
			t.Errorf("unexpected line %q", line)
		}
	}
	return s
}

func (f sigFixture) sign(t *testing.T, stdin string, extra ...string) signedText {
	t.Helper()
	args := append([]string{"sig", "sign", "--data", f.data, "--uri", sigURI, "--client-id", sigClientID,
		"--time", sigTime, "--private-key", f.priv(), "--body", f.body}, extra...)
	stdout, stderr, code := runCLI(t, stdin, args...)
	if code != 0 || stderr != "" {
		t.Fatalf("sig sign: exit %d, stderr %q", code, stderr)
	}
	return cliParseSignOutput(t, stdout)
}

func TestSigSignPrintsExactContent(t *testing.T) {
	f := newSigFixture(t)
	s := f.sign(t, "")
	want := "POST " + sigURI + "\n" + sigClientID + "." + sigTime + "." + sigBody
	if s.content != want {
		t.Errorf("content = %q, want %q", s.content, want)
	}
	if s.clientID != sigClientID || s.requestTime != sigTime {
		t.Errorf("Client-Id %q Request-Time %q", s.clientID, s.requestTime)
	}
	if !strings.HasPrefix(s.signature, "algorithm=RSA256,keyVersion=1,signature=") {
		t.Errorf("Signature = %q", s.signature)
	}
	pub, err := alipayplus.LoadPublicKeyFile(f.pub())
	if err != nil {
		t.Fatal(err)
	}
	if err := alipayplus.VerifyHeader(pub, s.signature, "POST", sigURI, sigClientID, sigTime, []byte(sigBody)); err != nil {
		t.Errorf("the printed header does not verify: %v", err)
	}
	stdout, _, _ := runCLI(t, "", "sig", "sign", "--data", f.data, "--uri", sigURI, "--client-id", sigClientID,
		"--time", sigTime, "--private-key", f.priv(), "--body", f.body)
	if !strings.Contains(stdout, "Content signed (") || !strings.Contains(stdout, "bytes") {
		t.Errorf("output does not give the content length:\n%s", stdout)
	}
	if n := len(want); !strings.Contains(stdout, "("+strconv.Itoa(n)+" bytes") {
		t.Errorf("output does not say %d bytes:\n%s", n, stdout)
	}

	t.Run("method and key version", func(t *testing.T) {
		s := f.sign(t, "", "--method", "GET", "--key-version", "3")
		if !strings.HasPrefix(s.content, "GET "+sigURI+"\n") || !strings.Contains(s.signature, "keyVersion=3") {
			t.Errorf("content %q header %q", s.content, s.signature)
		}
	})
	t.Run("body from stdin", func(t *testing.T) {
		stdin := `{"from":"stdin"}`
		stdout, stderr, code := runCLI(t, stdin, "sig", "sign", "--data", f.data, "--uri", sigURI, "--client-id", sigClientID,
			"--time", sigTime, "--private-key", f.priv(), "--body", "-")
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		if got := cliParseSignOutput(t, stdout).content; got != "POST "+sigURI+"\n"+sigClientID+"."+sigTime+"."+stdin {
			t.Errorf("content = %q", got)
		}
	})
	t.Run("defaults: data dir client id and now", func(t *testing.T) {
		stdout, stderr, code := runCLI(t, "", "sig", "sign", "--data", f.data, "--uri", sigURI,
			"--private-key", f.priv(), "--body", f.body)
		if code != 0 {
			t.Fatalf("exit %d, stderr %q", code, stderr)
		}
		s := cliParseSignOutput(t, stdout)
		if s.clientID != defaultClientID {
			t.Errorf("Client-Id %q, want the data dir's %q", s.clientID, defaultClientID)
		}
		if _, err := alipayplus.ParseTime(s.requestTime); err != nil {
			t.Errorf("Request-Time: %v", err)
		}
		if s.content != "POST "+sigURI+"\n"+s.clientID+"."+s.requestTime+"."+sigBody {
			t.Errorf("content %q does not use the printed defaults", s.content)
		}
	})
	t.Run("client id from the environment", func(t *testing.T) {
		t.Setenv("MPPWALLET_CLIENT_ID", "ENV_CLIENT")
		stdout, _, code := runCLI(t, "", "sig", "sign", "--data", f.data, "--uri", sigURI, "--time", sigTime,
			"--private-key", f.priv(), "--body", f.body)
		if s := cliParseSignOutput(t, stdout); code != 0 || s.clientID != "ENV_CLIENT" {
			t.Errorf("exit %d Client-Id %q, want ENV_CLIENT", code, s.clientID)
		}
	})
}

func TestSigVerify(t *testing.T) {
	f := newSigFixture(t)
	s := f.sign(t, "")
	changed := []byte(sigBody)
	changed[len(changed)-3] = '9' // "1250" -> "1290"
	tests := []struct {
		name     string
		body     string // file content; "" means the signed body file
		stdin    string
		override []string // replaces flag values
		code     int
		want     []string // in stdout
	}{
		{name: "same body", code: 0, want: []string{"signature OK"}},
		{name: "one byte changed", body: string(changed), code: 1, want: []string{"signature INVALID"}},
		{name: "extra trailing newline", body: sigBody + "\n", code: 1, want: []string{"signature INVALID", "hint:", "trailing"}},
		{name: "body from stdin", stdin: sigBody, override: []string{"--body", "-"}, code: 0, want: []string{"signature OK"}},
		{name: "other time", override: []string{"--time", "2026-01-02T03:04:06+08:00"}, code: 1, want: []string{"signature INVALID", "hint:"}},
		{name: "other client id", override: []string{"--client-id", "OTHER"}, code: 1, want: []string{"signature INVALID"}},
		{name: "path without query", override: []string{"--uri", "/aps/api/v1/payments/pay"}, code: 1, want: []string{"signature INVALID"}},
		{name: "garbage header", override: []string{"--signature", "hello"}, code: 1, want: []string{"signature INVALID", "does not parse"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := f.body
			if tt.body != "" {
				body = cliWriteTemp(t, "body.json", tt.body)
			}
			flags := map[string]string{"--data": f.data, "--uri": sigURI, "--client-id": sigClientID, "--time": sigTime,
				"--signature": s.signature, "--public-key": f.pub(), "--body": body}
			for i := 0; i+1 < len(tt.override); i += 2 {
				flags[tt.override[i]] = tt.override[i+1]
			}
			args := []string{"sig", "verify"}
			for k, v := range flags {
				args = append(args, k, v)
			}
			stdout, stderr, code := runCLI(t, tt.stdin, args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d", code, tt.code)
			}
			if stderr != "" {
				t.Errorf("stderr = %q, want nothing (the verdict is on stdout)", stderr)
			}
			for _, w := range tt.want {
				if !strings.Contains(stdout, w) {
					t.Errorf("stdout lacks %q:\n%s", w, stdout)
				}
			}
			if tt.code == 0 && strings.Contains(stdout, "INVALID") || tt.code != 0 && strings.Contains(stdout, "signature OK") {
				t.Errorf("contradictory verdict:\n%s", stdout)
			}
			if !strings.Contains(stdout, "Content checked (") {
				t.Errorf("stdout does not show the content checked:\n%s", stdout)
			}
		})
	}
}

func TestSigJSON(t *testing.T) {
	f := newSigFixture(t)
	stdout, stderr, code := runCLI(t, "", "sig", "sign", "--data", f.data, "--uri", sigURI, "--client-id", sigClientID,
		"--time", sigTime, "--private-key", f.priv(), "--body", f.body, "--json")
	if code != 0 || stderr != "" {
		t.Fatalf("sig sign --json: exit %d, stderr %q", code, stderr)
	}
	var signed map[string]string
	if err := json.Unmarshal([]byte(stdout), &signed); err != nil {
		t.Fatalf("sig sign --json: %v\n%s", err, stdout)
	}
	wantContent := "POST " + sigURI + "\n" + sigClientID + "." + sigTime + "." + sigBody
	if signed["content"] != wantContent || signed["clientId"] != sigClientID || signed["requestTime"] != sigTime ||
		!strings.HasPrefix(signed["signature"], "algorithm=RSA256,") {
		t.Errorf("sig sign --json = %v", signed)
	}
	// The JSON signature equals the text one (PKCS#1 v1.5 is deterministic).
	if text := f.sign(t, ""); text.signature != signed["signature"] {
		t.Errorf("--json signature %q differs from the text one %q", signed["signature"], text.signature)
	}

	type verdict struct {
		Valid   *bool  `json:"valid"`
		Content string `json:"content"`
		Error   string `json:"error"`
		Hint    string `json:"hint"`
	}
	verify := func(t *testing.T, body string) (verdict, int) {
		t.Helper()
		stdout, stderr, code := runCLI(t, "", "sig", "verify", "--data", f.data, "--uri", sigURI, "--client-id", sigClientID,
			"--time", sigTime, "--signature", signed["signature"], "--public-key", f.pub(), "--body", body, "--json")
		if stderr != "" {
			t.Errorf("stderr = %q", stderr)
		}
		var v verdict
		if err := json.Unmarshal([]byte(stdout), &v); err != nil || v.Valid == nil {
			t.Fatalf("sig verify --json: %v\n%s", err, stdout)
		}
		return v, code
	}
	t.Run("valid", func(t *testing.T) {
		v, code := verify(t, f.body)
		if code != 0 || !*v.Valid || v.Content != wantContent || v.Error != "" || v.Hint != "" {
			t.Errorf("exit %d verdict %+v", code, v)
		}
	})
	t.Run("trailing newline", func(t *testing.T) {
		v, code := verify(t, cliWriteTemp(t, "b", sigBody+"\n"))
		if code != 1 || *v.Valid || v.Content != wantContent+"\n" || v.Error == "" || !strings.Contains(v.Hint, "trailing") {
			t.Errorf("exit %d verdict %+v", code, v)
		}
	})
	t.Run("changed", func(t *testing.T) {
		v, code := verify(t, cliWriteTemp(t, "b", strings.Replace(sigBody, "pr-1", "pr-2", 1)))
		if code != 1 || *v.Valid || v.Error == "" {
			t.Errorf("exit %d verdict %+v", code, v)
		}
	})
}

func TestSigPrivateKeyFromEnvironment(t *testing.T) {
	f := newSigFixture(t)
	files := cliReadFiles(t, f.keys, []string{"private.pem", "private.b64"})
	pub, err := alipayplus.LoadPublicKeyFile(f.pub())
	if err != nil {
		t.Fatal(err)
	}
	// secrets are pieces of the key that must never be shown.
	secrets := func(key string) []string {
		var out []string
		for _, line := range strings.Split(key, "\n") {
			if len(line) >= 32 && !strings.HasPrefix(line, "-----") {
				out = append(out, line[:32])
			}
		}
		return out
	}
	tests := []struct {
		name string
		env  map[string]string
	}{
		{"PEM in MPPWALLET_PRIVATE_KEY", map[string]string{"MPPWALLET_PRIVATE_KEY": string(files["private.pem"])}},
		{"base64 in MPPWALLET_PRIVATE_KEY", map[string]string{"MPPWALLET_PRIVATE_KEY": string(files["private.b64"])}},
		{"file in MPPWALLET_PRIVATE_KEY_FILE", map[string]string{"MPPWALLET_PRIVATE_KEY_FILE": f.priv()}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			for _, asJSON := range []bool{false, true} {
				args := []string{"sig", "sign", "--data", f.data, "--uri", sigURI, "--client-id", sigClientID,
					"--time", sigTime, "--body", f.body}
				if asJSON {
					args = append(args, "--json")
				}
				stdout, stderr, code := runCLI(t, "", args...)
				if code != 0 || stderr != "" {
					t.Fatalf("exit %d, stderr %q", code, stderr)
				}
				for _, s := range append(secrets(string(files["private.pem"])), secrets(string(files["private.b64"]))...) {
					if strings.Contains(stdout, s) || strings.Contains(stderr, s) {
						t.Fatalf("the private key shows in the output")
					}
				}
				header := ""
				if asJSON {
					var m map[string]string
					_ = json.Unmarshal([]byte(stdout), &m)
					header = m["signature"]
				} else {
					header = cliParseSignOutput(t, stdout).signature
				}
				if err := alipayplus.VerifyHeader(pub, header, "POST", sigURI, sigClientID, sigTime, []byte(sigBody)); err != nil {
					t.Errorf("signature from the env key does not verify: %v", err)
				}
			}
		})
	}
	t.Run("flag wins over environment", func(t *testing.T) {
		t.Setenv("MPPWALLET_PRIVATE_KEY", "not a key")
		s := f.sign(t, "")
		if err := alipayplus.VerifyHeader(pub, s.signature, "POST", sigURI, sigClientID, sigTime, []byte(sigBody)); err != nil {
			t.Errorf("--private-key was not used: %v", err)
		}
	})
	t.Run("bad key in the environment is not echoed", func(t *testing.T) {
		pubPEM := cliReadFiles(t, f.keys, []string{"public.pem"})["public.pem"]
		for _, v := range []string{"SECRET-GARBAGE-4f9a1c0e77d2b3a8SECRET", string(pubPEM)} {
			t.Setenv("MPPWALLET_PRIVATE_KEY", v)
			stdout, stderr, code := runCLI(t, "", "sig", "sign", "--data", f.data, "--uri", sigURI,
				"--client-id", sigClientID, "--time", sigTime, "--body", f.body)
			if code != 1 || stdout != "" {
				t.Errorf("exit %d stdout %q, want 1 and nothing", code, stdout)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, "MPPWALLET_PRIVATE_KEY") {
				t.Errorf("stderr %q does not name the variable", stderr)
			}
			for _, s := range append(secrets(v), "SECRET-GARBAGE") {
				if strings.Contains(stderr, s) {
					t.Errorf("stderr %q echoes the variable's value", stderr)
				}
			}
		}
	})
}

func TestSigPrivateKeyProblems(t *testing.T) {
	f := newSigFixture(t)
	signArgs := func(key string) []string {
		return []string{"sig", "sign", "--data", f.data, "--uri", sigURI, "--client-id", sigClientID,
			"--time", sigTime, "--body", f.body, "--private-key", key}
	}
	t.Run("public key as private key", func(t *testing.T) {
		stdout, stderr, code := runCLI(t, "", signArgs(f.pub())...)
		if code != 1 || stdout != "" {
			t.Errorf("exit %d stdout %q, want 1 and nothing", code, stdout)
		}
		assertOneErrorLine(t, stderr)
		if !strings.Contains(stderr, "public key") {
			t.Errorf("stderr %q does not say it is a public key", stderr)
		}
		if strings.Contains(stderr, "alipayplus:") {
			t.Errorf("stderr %q shows the library prefix", stderr)
		}
	})
	t.Run("missing key file", func(t *testing.T) {
		_, stderr, code := runCLI(t, "", signArgs(filepath.Join(t.TempDir(), "none.pem"))...)
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		assertOneErrorLine(t, stderr)
	})
	t.Run("no key in the data dir", func(t *testing.T) {
		stdout, stderr, code := runCLI(t, "", "sig", "sign", "--data", f.data, "--uri", sigURI, "--body", f.body)
		if code != 1 || stdout != "" {
			t.Errorf("exit %d stdout %q, want 1 and nothing", code, stdout)
		}
		assertOneErrorLine(t, stderr)
	})
	t.Run("world-readable key warns", func(t *testing.T) {
		if err := os.Chmod(f.priv(), 0o644); err != nil {
			t.Fatal(err)
		}
		stdout, stderr, code := runCLI(t, "", signArgs(f.priv())...)
		if code != 0 {
			t.Fatalf("exit %d, want 0 (a warning, not an error); stderr %q", code, stderr)
		}
		if !strings.Contains(stderr, "chmod 600") || !strings.HasPrefix(stderr, "warning:") || strings.Count(stderr, "\n") != 1 {
			t.Errorf("stderr = %q, want one warning line with chmod 600", stderr)
		}
		if !strings.Contains(stdout, "Signature: ") {
			t.Errorf("no signature printed:\n%s", stdout)
		}
		if err := os.Chmod(f.priv(), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, stderr, _ := runCLI(t, "", signArgs(f.priv())...); stderr != "" {
			t.Errorf("0600 key: stderr = %q, want nothing", stderr)
		}
	})
}

func TestSigUsage(t *testing.T) {
	f := newSigFixture(t)
	sig := f.sign(t, "").signature
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"sign without uri", []string{"sig", "sign", "--body", f.body}, "--uri"},
		{"sign without body", []string{"sig", "sign", "--uri", sigURI}, "--body"},
		{"verify without signature", []string{"sig", "verify", "--uri", sigURI, "--body", f.body, "--time", sigTime}, "--signature"},
		{"verify without time", []string{"sig", "verify", "--uri", sigURI, "--body", f.body, "--signature", sig}, "--time"},
		{"verify without uri", []string{"sig", "verify", "--body", f.body, "--time", sigTime, "--signature", sig}, "--uri"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, code := runCLI(t, "", append(tt.args, "--data", f.data)...)
			if code != 2 || stdout != "" {
				t.Errorf("exit %d stdout %q, want 2 and nothing", code, stdout)
			}
			assertOneErrorLine(t, stderr)
			if !strings.Contains(stderr, tt.want) {
				t.Errorf("stderr %q lacks %q", stderr, tt.want)
			}
		})
	}
	t.Run("body file missing", func(t *testing.T) {
		_, stderr, code := runCLI(t, "", "sig", "sign", "--data", f.data, "--uri", sigURI, "--client-id", sigClientID,
			"--private-key", f.priv(), "--body", filepath.Join(t.TempDir(), "nope.json"))
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		assertOneErrorLine(t, stderr)
		if !strings.Contains(stderr, "body") {
			t.Errorf("stderr %q does not mention the body", stderr)
		}
	})
	t.Run("verify with a private key as public key", func(t *testing.T) {
		_, stderr, code := runCLI(t, "", "sig", "verify", "--data", f.data, "--uri", sigURI, "--client-id", sigClientID,
			"--time", sigTime, "--signature", sig, "--body", f.body, "--public-key", f.priv())
		if code != 1 {
			t.Errorf("exit %d, want 1", code)
		}
		assertOneErrorLine(t, stderr)
		if !strings.Contains(stderr, "private key") {
			t.Errorf("stderr %q does not say it is a private key", stderr)
		}
	})
}
