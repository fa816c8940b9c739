package cli

import (
	"crypto/rsa"
	"fmt"
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// keyFlags are the ways a command can be given its private key: a file
// flag, or the environment (the key itself, or a file). Secrets never come
// from argv.
type keyFlags struct {
	file    *string
	envKey  string // variable holding the key itself
	envFile string // variable holding a file path
}

// privateKey resolves the key: --flag file, then $envKey, then $envFile,
// then fallback (a file path, "" for none). Warnings (such as a key file
// readable by others) go to the caller.
func (k keyFlags) privateKey(env *cliEnv, fallback string) (*rsa.PrivateKey, []string, error) {
	if *k.file != "" {
		return alipayplus.LoadPrivateKeyFile(*k.file)
	}
	if v := env.getenv(k.envKey); v != "" {
		key, err := alipayplus.ParsePrivateKey([]byte(v))
		if err != nil {
			return nil, nil, fmt.Errorf("$%s: %w", k.envKey, err)
		}
		return key, nil, nil
	}
	if f := env.getenv(k.envFile); f != "" {
		return alipayplus.LoadPrivateKeyFile(f)
	}
	if fallback == "" {
		return nil, nil, fmt.Errorf("no private key: pass a key file flag or set $%s", k.envKey)
	}
	return alipayplus.LoadPrivateKeyFile(fallback)
}

// publicKey resolves a public key the same way.
func (k keyFlags) publicKey(env *cliEnv, fallback string) (*rsa.PublicKey, error) {
	if *k.file != "" {
		return alipayplus.LoadPublicKeyFile(*k.file)
	}
	if v := env.getenv(k.envKey); v != "" {
		key, err := alipayplus.ParsePublicKey([]byte(v))
		if err != nil {
			return nil, fmt.Errorf("$%s: %w", k.envKey, err)
		}
		return key, nil
	}
	if f := env.getenv(k.envFile); f != "" {
		return alipayplus.LoadPublicKeyFile(f)
	}
	if fallback == "" {
		return nil, fmt.Errorf("no public key: pass a key file flag or set $%s", k.envKey)
	}
	return alipayplus.LoadPublicKeyFile(fallback)
}

// given reports whether the key was named explicitly.
func (k keyFlags) given(env *cliEnv) bool {
	return *k.file != "" || env.getenv(k.envKey) != "" || env.getenv(k.envFile) != ""
}

// cleanErr drops the package prefix from library errors for one-line output.
func cleanErr(err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s", strings.ReplaceAll(err.Error(), "alipayplus: ", ""))
}
