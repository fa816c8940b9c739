package alipayplus

import (
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func mustPrivate(t *testing.T, name string) *rsa.PrivateKey {
	t.Helper()
	k, err := ParsePrivateKey(readSignTestdata(t, name))
	if err != nil {
		t.Fatalf("ParsePrivateKey(%s): %v", name, err)
	}
	return k
}

func mustPublic(t *testing.T, name string) *rsa.PublicKey {
	t.Helper()
	k, err := ParsePublicKey(readSignTestdata(t, name))
	if err != nil {
		t.Fatalf("ParsePublicKey(%s): %v", name, err)
	}
	return k
}

// wrap64 wraps s at 64 columns, the way keys are often pasted.
func wrap64(s string) string {
	var b strings.Builder
	for len(s) > 64 {
		b.WriteString(s[:64])
		b.WriteString("\r\n")
		s = s[64:]
	}
	b.WriteString(s)
	return b.String()
}

func TestParsePrivateKeyForms(t *testing.T) {
	ref := mustPrivate(t, "private.pem")
	b64 := strings.TrimSpace(string(readSignTestdata(t, "private.b64")))
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"PKCS#8 PEM", readSignTestdata(t, "private.pem")},
		{"PKCS#1 PEM", readSignTestdata(t, "private_pkcs1.pem")},
		{"bare base64 (Developer Center)", []byte(b64)},
		{"bare base64 with whitespace", []byte("\n  " + b64 + "\n\n")},
		{"bare base64 wrapped", []byte(wrap64(b64) + "\n")},
		{"raw DER", der},
		{"PEM with leading text", append([]byte("my key:\n"), readSignTestdata(t, "private.pem")...)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParsePrivateKey(tt.data)
			if err != nil {
				t.Fatalf("ParsePrivateKey: %v", err)
			}
			if !k.Equal(ref) {
				t.Fatal("parsed key differs from private.pem")
			}
		})
	}
}

func TestParsePublicKeyForms(t *testing.T) {
	ref := mustPublic(t, "public.pem")
	if !ref.Equal(mustPrivate(t, "private.pem").Public()) {
		t.Fatal("public.pem does not match private.pem")
	}
	b64 := strings.TrimSpace(string(readSignTestdata(t, "public.b64")))
	der, err := base64.StdEncoding.DecodeString(b64)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		data []byte
	}{
		{"SPKI PEM", readSignTestdata(t, "public.pem")},
		{"PKCS#1 PEM", readSignTestdata(t, "public_pkcs1.pem")},
		{"bare base64 (Developer Center)", []byte(b64)},
		{"bare base64 with whitespace", []byte("\t" + b64 + " \n")},
		{"bare base64 wrapped", []byte(wrap64(b64))},
		{"raw DER", der},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParsePublicKey(tt.data)
			if err != nil {
				t.Fatalf("ParsePublicKey: %v", err)
			}
			if !k.Equal(ref) {
				t.Fatal("parsed key differs from public.pem")
			}
		})
	}
}

func TestKeyEncodingsMatchOpenSSL(t *testing.T) {
	priv := mustPrivate(t, "private.pem")
	if got, want := PrivateKeyBase64(priv), strings.TrimSpace(string(readSignTestdata(t, "private.b64"))); got != want {
		t.Errorf("PrivateKeyBase64 differs from openssl's private.b64")
	}
	if got, want := PublicKeyBase64(&priv.PublicKey), strings.TrimSpace(string(readSignTestdata(t, "public.b64"))); got != want {
		t.Errorf("PublicKeyBase64 = %q, want %q", got, want)
	}
	if got, want := string(PublicKeyPEM(&priv.PublicKey)), string(readSignTestdata(t, "public.pem")); got != want {
		t.Errorf("PublicKeyPEM = %q, want %q", got, want)
	}
	if got, want := string(PrivateKeyPEM(priv)), string(readSignTestdata(t, "private.pem")); got != want {
		t.Errorf("PrivateKeyPEM differs from openssl's private.pem")
	}
}

func TestKeyEncodingRoundTrip(t *testing.T) {
	k, err := GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	privPEM := PrivateKeyPEM(k)
	if !strings.HasPrefix(string(privPEM), "-----BEGIN PRIVATE KEY-----\n") {
		t.Fatalf("PrivateKeyPEM header: %.30q", privPEM)
	}
	pubPEM := PublicKeyPEM(&k.PublicKey)
	if !strings.HasPrefix(string(pubPEM), "-----BEGIN PUBLIC KEY-----\n") {
		t.Fatalf("PublicKeyPEM header: %.30q", pubPEM)
	}
	privB64, pubB64 := PrivateKeyBase64(k), PublicKeyBase64(&k.PublicKey)
	if strings.ContainsAny(privB64+pubB64, "\r\n -") {
		t.Fatal("base64 forms must be a single bare line")
	}
	for _, data := range [][]byte{privPEM, []byte(privB64)} {
		got, err := ParsePrivateKey(data)
		if err != nil || !got.Equal(k) {
			t.Fatalf("private round trip failed: %v", err)
		}
	}
	for _, data := range [][]byte{pubPEM, []byte(pubB64)} {
		got, err := ParsePublicKey(data)
		if err != nil || !got.Equal(&k.PublicKey) {
			t.Fatalf("public round trip failed: %v", err)
		}
	}
}

func TestParsePrivateKeyErrors(t *testing.T) {
	pubB64 := strings.TrimSpace(string(readSignTestdata(t, "public.b64")))
	tests := []struct {
		name    string
		data    []byte
		wantErr error
		wantMsg string
	}{
		{"SPKI PEM public key", readSignTestdata(t, "public.pem"), errPublicNotPrivate, "this is a public key; a private key is expected"},
		{"PKCS#1 PEM public key", readSignTestdata(t, "public_pkcs1.pem"), errPublicNotPrivate, "this is a public key; a private key is expected"},
		{"bare base64 public key", []byte(pubB64), errPublicNotPrivate, "this is a public key; a private key is expected"},
		{"EC private key", readSignTestdata(t, "ec_private.pem"), errNotRSA, "not an RSA key"},
		{"EC public key", readSignTestdata(t, "ec_public.pem"), errPublicNotPrivate, "a private key is expected"},
		{"encrypted key", readSignTestdata(t, "private_encrypted.pem"), errEncryptedKey, "encrypted"},
		{"garbage", []byte("this is not a key at all"), errKeyFormat, "unrecognised key format"},
		{"garbage base64", []byte("QUJDREVGR0g="), errKeyFormat, "unrecognised key format"},
		{"empty", []byte("  \n"), errKeyFormat, "empty"},
		{"broken PEM", []byte("-----BEGIN PRIVATE KEY-----\nQUJD\n"), errKeyFormat, "malformed PEM"},
		{"PEM with bad body", []byte("-----BEGIN PRIVATE KEY-----\nQUJD\n-----END PRIVATE KEY-----\n"), errKeyFormat, "invalid PKCS#8"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParsePrivateKey(tt.data)
			if err == nil {
				t.Fatalf("ParsePrivateKey = %v, nil; want error", k != nil)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %q is not %q", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
			assertNoKeyMaterial(t, err, tt.data)
		})
	}
}

func TestParsePublicKeyErrors(t *testing.T) {
	privB64 := strings.TrimSpace(string(readSignTestdata(t, "private.b64")))
	tests := []struct {
		name    string
		data    []byte
		wantErr error
		wantMsg string
	}{
		{"PKCS#8 PEM private key", readSignTestdata(t, "private.pem"), errPrivateNotPublic, "this is a private key; a public key is expected"},
		{"PKCS#1 PEM private key", readSignTestdata(t, "private_pkcs1.pem"), errPrivateNotPublic, "this is a private key; a public key is expected"},
		{"bare base64 private key", []byte(privB64), errPrivateNotPublic, "this is a private key; a public key is expected"},
		{"EC public key", readSignTestdata(t, "ec_public.pem"), errNotRSA, "not an RSA key"},
		{"EC private key", readSignTestdata(t, "ec_private.pem"), errPrivateNotPublic, "a public key is expected"},
		{"garbage", []byte("garbage!"), errKeyFormat, "unrecognised key format"},
		{"empty", nil, errKeyFormat, "empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParsePublicKey(tt.data)
			if err == nil {
				t.Fatalf("ParsePublicKey = %v, nil; want error", k != nil)
			}
			if !errors.Is(err, tt.wantErr) {
				t.Errorf("error %q is not %q", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.wantMsg) {
				t.Errorf("error %q does not mention %q", err, tt.wantMsg)
			}
			assertNoKeyMaterial(t, err, tt.data)
		})
	}
}

// assertNoKeyMaterial fails if any 16-character run of the input's
// base64/PEM text appears in the error message.
func assertNoKeyMaterial(t *testing.T, err error, data []byte) {
	t.Helper()
	msg := err.Error()
	for _, line := range strings.Fields(string(data)) {
		if strings.HasPrefix(line, "-----") || len(line) < 16 {
			continue
		}
		for i := 0; i+16 <= len(line); i += 8 {
			if strings.Contains(msg, line[i:i+16]) {
				t.Fatalf("error message contains input material %q", line[i:i+16])
			}
		}
	}
}

func skipModesOnWindows(t *testing.T) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("Unix file modes")
	}
}

func TestWriteKeyFile(t *testing.T) {
	skipModesOnWindows(t)
	k := mustPrivate(t, "private.pem")
	dir := t.TempDir()
	tests := []struct {
		name    string
		path    string
		data    []byte
		private bool
		mode    os.FileMode
	}{
		{"private in new dirs", filepath.Join(dir, "a", "b", "private.pem"), PrivateKeyPEM(k), true, 0o600},
		{"public", filepath.Join(dir, "pub", "public.pem"), PublicKeyPEM(&k.PublicKey), false, 0o644},
		{"private base64", filepath.Join(dir, "private.b64"), []byte(PrivateKeyBase64(k)), true, 0o600},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := WriteKeyFile(tt.path, tt.data, tt.private); err != nil {
				t.Fatalf("WriteKeyFile: %v", err)
			}
			fi, err := os.Stat(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			if got := fi.Mode().Perm(); got != tt.mode {
				t.Errorf("mode = %04o, want %04o", got, tt.mode)
			}
			got, err := os.ReadFile(tt.path)
			if err != nil || string(got) != string(tt.data) {
				t.Fatalf("content differs (err %v)", err)
			}
			// Refuses to overwrite, and leaves the file alone.
			err = WriteKeyFile(tt.path, []byte("other"), tt.private)
			if err == nil {
				t.Fatal("second WriteKeyFile succeeded; want refusal")
			}
			if !strings.Contains(err.Error(), tt.path) {
				t.Errorf("error %q does not mention the path", err)
			}
			if got, _ := os.ReadFile(tt.path); string(got) != string(tt.data) {
				t.Fatal("existing file was modified")
			}
			// No temporary files left behind.
			entries, err := os.ReadDir(filepath.Dir(tt.path))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range entries {
				if strings.Contains(e.Name(), ".tmp-") {
					t.Errorf("leftover temp file %s", e.Name())
				}
			}
		})
	}
	// Newly created parent directories are 0700.
	for _, d := range []string{filepath.Join(dir, "a"), filepath.Join(dir, "a", "b"), filepath.Join(dir, "pub")} {
		fi, err := os.Stat(d)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != 0o700 {
			t.Errorf("dir %s mode = %04o, want 0700", d, got)
		}
	}
}

func TestLoadKeyFiles(t *testing.T) {
	skipModesOnWindows(t)
	k := mustPrivate(t, "private.pem")
	dir := t.TempDir()
	privPath := filepath.Join(dir, "private.pem")
	pubPath := filepath.Join(dir, "public.b64")
	if err := WriteKeyFile(privPath, PrivateKeyPEM(k), true); err != nil {
		t.Fatal(err)
	}
	if err := WriteKeyFile(pubPath, []byte(PublicKeyBase64(&k.PublicKey)+"\n"), false); err != nil {
		t.Fatal(err)
	}

	pub, err := LoadPublicKeyFile(pubPath)
	if err != nil || !pub.Equal(&k.PublicKey) {
		t.Fatalf("LoadPublicKeyFile: %v", err)
	}

	tests := []struct {
		mode     os.FileMode
		wantWarn string
	}{
		{0o600, ""},
		{0o400, ""},
		{0o644, fmt.Sprintf("private key file %s is readable by others (mode 0644); chmod 600 %s", privPath, privPath)},
		{0o640, fmt.Sprintf("private key file %s is readable by others (mode 0640); chmod 600 %s", privPath, privPath)},
		{0o620, fmt.Sprintf("private key file %s is accessible by others (mode 0620); chmod 600 %s", privPath, privPath)},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%04o", tt.mode), func(t *testing.T) {
			if err := os.Chmod(privPath, tt.mode); err != nil {
				t.Fatal(err)
			}
			got, warnings, err := LoadPrivateKeyFile(privPath)
			if err != nil {
				t.Fatalf("LoadPrivateKeyFile: %v", err)
			}
			if !got.Equal(k) {
				t.Fatal("loaded key differs")
			}
			if tt.wantWarn == "" {
				if len(warnings) != 0 {
					t.Fatalf("warnings = %q, want none", warnings)
				}
				return
			}
			if len(warnings) != 1 || warnings[0] != tt.wantWarn {
				t.Fatalf("warnings = %q, want [%q]", warnings, tt.wantWarn)
			}
		})
	}

	// Errors name the file but never its content.
	if _, _, err := LoadPrivateKeyFile(pubPath); err == nil || !strings.Contains(err.Error(), pubPath) ||
		!errors.Is(err, errPublicNotPrivate) {
		t.Errorf("LoadPrivateKeyFile(public) = %v", err)
	}
	if _, err := LoadPublicKeyFile(privPath); err == nil || !strings.Contains(err.Error(), privPath) ||
		!errors.Is(err, errPrivateNotPublic) {
		t.Errorf("LoadPublicKeyFile(private) = %v", err)
	}
	missing := filepath.Join(dir, "nope.pem")
	if _, _, err := LoadPrivateKeyFile(missing); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadPrivateKeyFile(missing) = %v", err)
	}
	if _, err := LoadPublicKeyFile(missing); err == nil || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("LoadPublicKeyFile(missing) = %v", err)
	}
}
