package cli

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/atomicfile"
)

// defaultClientID is the Client-Id a new data dir gets for offline use.
const defaultClientID = "SANDBOX_MPPWALLET_LOCAL"

// dataDir is the folder a wallet keeps everything in:
//
//	wallet.db                      the ledger (SQLite, WAL)
//	config.json                    client id and gateway chosen at first use
//	coderules.json                 the Alipay+ code rules and their version (inquiryCodeRules)
//	keys/mpp_private.pem           the wallet's key (0600), also .b64
//	keys/mpp_public.pem            upload this to the Alipay+ Developer Center
//	keys/alipayplus_public.pem     verifies Alipay+'s requests
//	keys/sim/alipayplus_private.pem  the local simulator's key (offline mode)
//	keys/sim/admin.token           the simulators' admin API token (0600)
//	run/serve.json                 where a running wallet server listens
//	run/sim.json                   where a running simulator listens
//	run/ui.json                    the payment code the running app shows
type dataDir struct{ root string }

// dataFlag registers --data with its environment default.
func dataFlag(fs *pflag.FlagSet, env *cliEnv) *string {
	return fs.String("data", env.envDefault("MPPWALLET_DATA", defaultDataDir(env.getenv)),
		"data `DIR` (env MPPWALLET_DATA)")
}

// defaultDataDir follows the XDG base directory spec.
func defaultDataDir(getenv func(string) string) string {
	if x := getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "mppwallet")
	}
	if h := getenv("HOME"); h != "" {
		return filepath.Join(h, ".local", "share", "mppwallet")
	}
	return "mppwallet-data"
}

// openDataDir creates the folder (0700) if needed and checks it is writable.
func openDataDir(path string) (dataDir, error) {
	if path == "" {
		return dataDir{}, errors.New("no data dir: set --data or MPPWALLET_DATA")
	}
	if err := os.MkdirAll(path, 0o700); err != nil {
		return dataDir{}, fmt.Errorf("cannot create data dir %s: %w", path, unwrapPathError(err))
	}
	probe, err := os.CreateTemp(path, ".write-test-*")
	if err != nil {
		return dataDir{}, fmt.Errorf("data dir %s is not writable: %w", path, unwrapPathError(err))
	}
	probe.Close()
	os.Remove(probe.Name())
	return dataDir{root: path}, nil
}

func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func (d dataDir) dbPath() string         { return filepath.Join(d.root, "wallet.db") }
func (d dataDir) configPath() string     { return filepath.Join(d.root, "config.json") }
func (d dataDir) codeRulesPath() string  { return filepath.Join(d.root, "coderules.json") }
func (d dataDir) mppPrivatePath() string { return filepath.Join(d.root, "keys", "mpp_private.pem") }
func (d dataDir) mppPublicPath() string  { return filepath.Join(d.root, "keys", "mpp_public.pem") }
func (d dataDir) alipayPublicPath() string {
	return filepath.Join(d.root, "keys", "alipayplus_public.pem")
}
func (d dataDir) simAlipayPrivatePath() string {
	return filepath.Join(d.root, "keys", "sim", "alipayplus_private.pem")
}

// simAcquirerPrivatePath is the embedded simulator's acquirer key, kept so
// that starting the app does not make a new RSA key every time.
func (d dataDir) simAcquirerPrivatePath() string {
	return filepath.Join(d.root, "keys", "sim", "acquirer_private.pem")
}
func (d dataDir) simAcquirerPublicPath() string {
	return filepath.Join(d.root, "keys", "sim", "acquirer_public.pem")
}
func (d dataDir) serveStatePath() string { return d.runPath("serve") }

// runPath is where a running server or simulator publishes itself.
func (d dataDir) runPath(name string) string { return filepath.Join(d.root, "run", name+".json") }

// config is what a data dir remembers between processes.
type config struct {
	ClientID string `json:"clientId"`
	Gateway  string `json:"gateway,omitempty"`
}

// loadConfig reads config.json, creating it with defaults on first use.
func (d dataDir) loadConfig() (config, error) {
	var c config
	b, err := os.ReadFile(d.configPath())
	switch {
	case errors.Is(err, os.ErrNotExist):
		c = config{ClientID: defaultClientID}
		return c, d.saveConfig(c)
	case err != nil:
		return c, fmt.Errorf("read %s: %w", d.configPath(), unwrapPathError(err))
	}
	if err := json.Unmarshal(b, &c); err != nil {
		return c, fmt.Errorf("%s is not valid JSON: %v", d.configPath(), err)
	}
	if c.ClientID == "" {
		c.ClientID = defaultClientID
	}
	return c, nil
}

func (d dataDir) saveConfig(c config) error {
	b, _ := json.MarshalIndent(c, "", "  ")
	return atomicfile.Write(d.configPath(), append(b, '\n'), 0o600)
}

// serveState is what a running server (serve or sim) publishes for other
// processes in run/NAME.json.
type serveState struct {
	PID       int       `json:"pid"`
	URL       string    `json:"url"`
	ClientID  string    `json:"clientId"`
	StartedAt time.Time `json:"startedAt"`
	// Token tells this server's file from a later one's.
	Token string `json:"token"`
}

// ensureKeyPair creates a private key file (and its public and base64
// forms) at privPath unless it exists. It reports whether it created one.
// When the private key exists but some of the other files do not (the
// process that wrote them died half way), they are derived from it.
// Processes starting together on one data dir take turns (a lock file), so
// only one of them makes the pair and the others use it.
func ensureKeyPair(privPath, pubPath string) (bool, error) {
	unlock, err := lockFile(filepath.Join(filepath.Dir(pubPath), ".keys.lock"))
	if err != nil {
		return false, err
	}
	defer unlock()
	if _, err := os.Stat(privPath); err == nil {
		return false, completeKeyPair(privPath, pubPath)
	}
	k, err := alipayplus.GenerateKey()
	if err != nil {
		return false, err
	}
	if err := writeKeyPair(k, privPath, pubPath, false); err != nil {
		return false, err
	}
	return true, nil
}

// completeKeyPair writes whichever of the public and base64 files of an
// existing private key are missing.
func completeKeyPair(privPath, pubPath string) error {
	for _, f := range keyPairFiles(privPath, pubPath) {
		if _, err := os.Lstat(f); errors.Is(err, os.ErrNotExist) {
			k, _, err := alipayplus.LoadPrivateKeyFile(privPath)
			if err != nil {
				return err
			}
			return writeKeyPair(k, privPath, pubPath, true)
		}
	}
	return nil
}

// keyPairFiles are the private PEM, private base64, public PEM and public
// base64 files of a pair.
func keyPairFiles(privPath, pubPath string) [4]string {
	b64 := func(p string) string { return p[:len(p)-len(filepath.Ext(p))] + ".b64" }
	return [4]string{privPath, b64(privPath), pubPath, b64(pubPath)}
}

// writeKeyPair writes PEM and Developer Center base64 forms of a key pair;
// with onlyMissing it skips files that exist.
func writeKeyPair(k *rsa.PrivateKey, privPath, pubPath string, onlyMissing bool) error {
	paths := keyPairFiles(privPath, pubPath)
	files := []struct {
		path    string
		data    []byte
		private bool
	}{
		{paths[0], alipayplus.PrivateKeyPEM(k), true},
		{paths[1], []byte(alipayplus.PrivateKeyBase64(k) + "\n"), true},
		{paths[2], alipayplus.PublicKeyPEM(&k.PublicKey), false},
		{paths[3], []byte(alipayplus.PublicKeyBase64(&k.PublicKey) + "\n"), false},
	}
	for _, f := range files {
		if onlyMissing {
			if _, err := os.Lstat(f.path); err == nil {
				continue
			}
		}
		if err := alipayplus.WriteKeyFile(f.path, f.data, f.private); err != nil {
			return err
		}
	}
	return nil
}

// lockFile takes an exclusive advisory lock on path (created 0600) and
// returns the function that releases it.
func lockFile(path string) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}
