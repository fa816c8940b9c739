package alipayplus

import (
	"bytes"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// Key parsing errors. They are wrapped with more detail by the parse
// functions; use errors.Is to test for them. None of the messages ever
// contains key material.
var (
	errPublicNotPrivate = errors.New("this is a public key; a private key is expected")
	errPrivateNotPublic = errors.New("this is a private key; a public key is expected")
	errNotRSA           = errors.New("not an RSA key; Alipay+ RSA256 signing needs an RSA key")
	errEncryptedKey     = errors.New("encrypted private keys are not supported; decrypt it first (openssl pkey -in KEY -out PLAIN)")
	errKeyFormat        = errors.New("unrecognised key format")
)

// keyBitsDefault is the size of keys made by GenerateKey.
const keyBitsDefault = 2048

// ParsePrivateKey parses an RSA private key in any of the forms met in
// Alipay+ integrations:
//
//   - PEM "PRIVATE KEY" (PKCS#8),
//   - PEM "RSA PRIVATE KEY" (PKCS#1),
//   - bare base64 of the PKCS#8 DER, as given by the Alipay+ Developer Center
//     (surrounding and embedded whitespace/newlines are ignored),
//   - raw DER (PKCS#8 or PKCS#1).
//
// A public key, a non-RSA key or an encrypted key is rejected with an error
// that says so. Errors never contain key material.
func ParsePrivateKey(data []byte) (*rsa.PrivateKey, error) {
	key, err := parsePrivateKey(data)
	if err != nil {
		return nil, fmt.Errorf("alipayplus: parse private key: %w", err)
	}
	return key, nil
}

func parsePrivateKey(data []byte) (*rsa.PrivateKey, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: empty input", errKeyFormat)
	}
	if isPEM(trimmed) {
		return parsePrivatePEM(trimmed)
	}
	der, err := decodeBareKey(trimmed)
	if err != nil {
		return nil, err
	}
	return parsePrivateDER(der)
}

func parsePrivatePEM(data []byte) (*rsa.PrivateKey, error) {
	rest := data
	var seen []string
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		seen = append(seen, block.Type)
		switch block.Type {
		case "PRIVATE KEY":
			return privateFromPKCS8(block.Bytes)
		case "RSA PRIVATE KEY":
			if strings.Contains(block.Headers["Proc-Type"], "ENCRYPTED") {
				return nil, errEncryptedKey
			}
			k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%w: invalid PKCS#1 RSA private key", errKeyFormat)
			}
			return k, nil
		case "ENCRYPTED PRIVATE KEY":
			return nil, errEncryptedKey
		case "EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY":
			return nil, fmt.Errorf("%w (PEM block %q)", errNotRSA, block.Type)
		case "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE":
			return nil, fmt.Errorf("%w (PEM block %q)", errPublicNotPrivate, block.Type)
		case "EC PARAMETERS":
			// openssl ecparam -genkey puts this before the key; keep looking.
		}
	}
	if len(seen) == 0 {
		return nil, fmt.Errorf("%w: malformed PEM", errKeyFormat)
	}
	return nil, fmt.Errorf("%w: no private key PEM block (found %s)", errKeyFormat, strings.Join(seen, ", "))
}

func parsePrivateDER(der []byte) (*rsa.PrivateKey, error) {
	if k, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return rsaPrivate(k)
	}
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if _, err := x509.ParsePKIXPublicKey(der); err == nil {
		return nil, errPublicNotPrivate
	}
	if _, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return nil, errPublicNotPrivate
	}
	if _, err := x509.ParseECPrivateKey(der); err == nil {
		return nil, errNotRSA
	}
	return nil, fmt.Errorf("%w: not a PKCS#8 or PKCS#1 private key", errKeyFormat)
}

func privateFromPKCS8(der []byte) (*rsa.PrivateKey, error) {
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, fmt.Errorf("%w: invalid PKCS#8 private key", errKeyFormat)
	}
	return rsaPrivate(k)
}

func rsaPrivate(k any) (*rsa.PrivateKey, error) {
	if rk, ok := k.(*rsa.PrivateKey); ok {
		return rk, nil
	}
	return nil, fmt.Errorf("%w (found %s)", errNotRSA, keyKind(k))
}

// ParsePublicKey parses an RSA public key in any of the forms met in
// Alipay+ integrations:
//
//   - PEM "PUBLIC KEY" (X.509 SubjectPublicKeyInfo),
//   - PEM "RSA PUBLIC KEY" (PKCS#1),
//   - bare base64 of the SPKI DER, as given by the Alipay+ Developer Center
//     (surrounding and embedded whitespace/newlines are ignored),
//   - raw DER (SPKI or PKCS#1).
//
// A private key, a non-RSA key or a certificate is rejected with an error
// that says so. Errors never contain key material.
func ParsePublicKey(data []byte) (*rsa.PublicKey, error) {
	key, err := parsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("alipayplus: parse public key: %w", err)
	}
	return key, nil
}

func parsePublicKey(data []byte) (*rsa.PublicKey, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: empty input", errKeyFormat)
	}
	if isPEM(trimmed) {
		return parsePublicPEM(trimmed)
	}
	der, err := decodeBareKey(trimmed)
	if err != nil {
		return nil, err
	}
	return parsePublicDER(der)
}

func parsePublicPEM(data []byte) (*rsa.PublicKey, error) {
	rest := data
	var seen []string
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		seen = append(seen, block.Type)
		switch block.Type {
		case "PUBLIC KEY":
			k, err := x509.ParsePKIXPublicKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%w: invalid X.509 SubjectPublicKeyInfo", errKeyFormat)
			}
			return rsaPublic(k)
		case "RSA PUBLIC KEY":
			k, err := x509.ParsePKCS1PublicKey(block.Bytes)
			if err != nil {
				return nil, fmt.Errorf("%w: invalid PKCS#1 RSA public key", errKeyFormat)
			}
			return k, nil
		case "PRIVATE KEY", "RSA PRIVATE KEY", "ENCRYPTED PRIVATE KEY",
			"EC PRIVATE KEY", "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY":
			return nil, fmt.Errorf("%w (PEM block %q)", errPrivateNotPublic, block.Type)
		case "CERTIFICATE":
			return nil, fmt.Errorf("%w: this is a certificate; a bare public key (PEM \"PUBLIC KEY\") is expected", errKeyFormat)
		}
	}
	if len(seen) == 0 {
		return nil, fmt.Errorf("%w: malformed PEM", errKeyFormat)
	}
	return nil, fmt.Errorf("%w: no public key PEM block (found %s)", errKeyFormat, strings.Join(seen, ", "))
}

func parsePublicDER(der []byte) (*rsa.PublicKey, error) {
	if k, err := x509.ParsePKIXPublicKey(der); err == nil {
		return rsaPublic(k)
	}
	if k, err := x509.ParsePKCS1PublicKey(der); err == nil {
		return k, nil
	}
	if _, err := x509.ParsePKCS8PrivateKey(der); err == nil {
		return nil, errPrivateNotPublic
	}
	if _, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return nil, errPrivateNotPublic
	}
	if _, err := x509.ParseECPrivateKey(der); err == nil {
		return nil, errPrivateNotPublic
	}
	return nil, fmt.Errorf("%w: not an X.509 SubjectPublicKeyInfo or PKCS#1 public key", errKeyFormat)
}

func rsaPublic(k any) (*rsa.PublicKey, error) {
	if rk, ok := k.(*rsa.PublicKey); ok {
		return rk, nil
	}
	return nil, fmt.Errorf("%w (found %s)", errNotRSA, keyKind(k))
}

// keyKind names a key's algorithm for error messages (never its content).
func keyKind(k any) string {
	switch k.(type) {
	case *ecdsa.PrivateKey, *ecdsa.PublicKey:
		return "an ECDSA key"
	case ed25519.PrivateKey, ed25519.PublicKey:
		return "an Ed25519 key"
	case *ecdh.PrivateKey, *ecdh.PublicKey:
		return "an X25519/ECDH key"
	default:
		return fmt.Sprintf("a %T", k)
	}
}

func isPEM(data []byte) bool {
	return bytes.Contains(data, []byte("-----BEGIN "))
}

// decodeBareKey decodes the Developer Center form (base64 of DER, possibly
// wrapped over several lines). Input that is not base64 but looks like DER
// (an ASN.1 SEQUENCE) is returned as is.
func decodeBareKey(data []byte) ([]byte, error) {
	compact := strings.Join(strings.Fields(string(data)), "")
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
		if der, err := enc.DecodeString(compact); err == nil && len(der) > 0 {
			return der, nil
		}
	}
	if len(data) > 0 && data[0] == 0x30 {
		return data, nil
	}
	return nil, fmt.Errorf("%w: neither PEM nor base64-encoded DER", errKeyFormat)
}

// GenerateKey generates a new RSA-2048 key pair suitable for Alipay+ RSA256
// signing.
func GenerateKey() (*rsa.PrivateKey, error) {
	k, err := rsa.GenerateKey(rand.Reader, keyBitsDefault)
	if err != nil {
		return nil, fmt.Errorf("alipayplus: generate RSA key: %w", err)
	}
	return k, nil
}

// PrivateKeyPEM encodes k as a PEM "PRIVATE KEY" block (PKCS#8).
// It panics if k is nil or invalid.
func PrivateKeyPEM(k *rsa.PrivateKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privateDER(k)})
}

// PublicKeyPEM encodes k as a PEM "PUBLIC KEY" block (X.509
// SubjectPublicKeyInfo). It panics if k is nil or invalid.
func PublicKeyPEM(k *rsa.PublicKey) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: publicDER(k)})
}

// PrivateKeyBase64 encodes k as bare standard base64 of its PKCS#8 DER on a
// single line, the form used by the Alipay+ Developer Center and SDKs.
// It panics if k is nil or invalid.
func PrivateKeyBase64(k *rsa.PrivateKey) string {
	return base64.StdEncoding.EncodeToString(privateDER(k))
}

// PublicKeyBase64 encodes k as bare standard base64 of its X.509
// SubjectPublicKeyInfo DER on a single line, the form uploaded to and
// downloaded from the Alipay+ Developer Center. It panics if k is nil or
// invalid.
func PublicKeyBase64(k *rsa.PublicKey) string {
	return base64.StdEncoding.EncodeToString(publicDER(k))
}

func privateDER(k *rsa.PrivateKey) []byte {
	if k == nil {
		panic("alipayplus: nil RSA private key")
	}
	der, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		panic("alipayplus: cannot encode RSA private key: " + err.Error())
	}
	return der
}

func publicDER(k *rsa.PublicKey) []byte {
	if k == nil || k.N == nil {
		panic("alipayplus: nil RSA public key")
	}
	der, err := x509.MarshalPKIXPublicKey(k)
	if err != nil {
		panic("alipayplus: cannot encode RSA public key: " + err.Error())
	}
	return der
}

// WriteKeyFile writes data to path for a key file. It creates missing parent
// directories with mode 0700 and writes atomically (a temporary file in the
// same directory, then a link/rename into place), so a reader never sees a
// partial file. The file gets mode 0600 if private, else 0644. It refuses to
// overwrite an existing file; the error then names the path.
func WriteKeyFile(path string, data []byte, private bool) (err error) {
	mode := os.FileMode(0o644)
	if private {
		mode = 0o600
	}
	if _, err := os.Lstat(path); err == nil {
		return fmt.Errorf("alipayplus: refusing to overwrite existing file %s", path)
	} else if !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("alipayplus: key file %s: %w", path, err)
	}
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("alipayplus: create directory for key file %s: %w", path, err)
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("alipayplus: write key file %s: %w", path, err)
	}
	tmpName := tmp.Name()
	defer func() {
		if tmp != nil {
			tmp.Close()
		}
		os.Remove(tmpName) // harmless after a successful rename
	}()
	// CreateTemp makes the file 0600; set the final mode explicitly (Chmod
	// is not subject to the umask) before any data is written.
	if err := tmp.Chmod(mode); err != nil && runtime.GOOS != "windows" {
		return fmt.Errorf("alipayplus: write key file %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return fmt.Errorf("alipayplus: write key file %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("alipayplus: write key file %s: %w", path, err)
	}
	closeErr := tmp.Close()
	tmp = nil
	if closeErr != nil {
		return fmt.Errorf("alipayplus: write key file %s: %w", path, closeErr)
	}
	// os.Link fails if path exists, so a file created since the check above
	// is never clobbered. Fall back to rename where hard links are not
	// supported.
	if err := os.Link(tmpName, path); err != nil {
		if _, statErr := os.Lstat(path); statErr == nil {
			return fmt.Errorf("alipayplus: refusing to overwrite existing file %s", path)
		}
		if err := os.Rename(tmpName, path); err != nil {
			return fmt.Errorf("alipayplus: write key file %s: %w", path, err)
		}
	}
	syncDir(dir)
	return nil
}

// syncDir makes a new directory entry durable where the OS allows it.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		_ = d.Sync()
		d.Close()
	}
}

// LoadPrivateKeyFile reads and parses an RSA private key file (any form
// accepted by ParsePrivateKey). The returned warnings are for the operator,
// e.g. when the file is readable by users other than its owner.
func LoadPrivateKeyFile(path string) (*rsa.PrivateKey, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("alipayplus: read private key file: %w", err)
	}
	key, err := parsePrivateKey(data)
	if err != nil {
		return nil, nil, fmt.Errorf("alipayplus: private key file %s: %w", path, err)
	}
	var warnings []string
	if runtime.GOOS != "windows" {
		if fi, err := os.Stat(path); err == nil {
			perm := fi.Mode().Perm()
			switch {
			case perm&0o044 != 0:
				warnings = append(warnings, fmt.Sprintf(
					"private key file %s is readable by others (mode %04o); chmod 600 %s", path, perm, path))
			case perm&0o033 != 0:
				warnings = append(warnings, fmt.Sprintf(
					"private key file %s is accessible by others (mode %04o); chmod 600 %s", path, perm, path))
			}
		}
	}
	return key, warnings, nil
}

// LoadPublicKeyFile reads and parses an RSA public key file (any form
// accepted by ParsePublicKey).
func LoadPublicKeyFile(path string) (*rsa.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("alipayplus: read public key file: %w", err)
	}
	key, err := parsePublicKey(data)
	if err != nil {
		return nil, fmt.Errorf("alipayplus: public key file %s: %w", path, err)
	}
	return key, nil
}
