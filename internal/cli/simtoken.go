package cli

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/mppwallet/mppwallet/internal/atomicfile"
)

// simAdminTokenPath is the data dir's simulator admin token (0600): every
// simulator on the data dir ('mppwallet sim', the app's embedded one)
// requires it on its admin API, and the commands that call that API send
// it. It is never printed.
func (d dataDir) simAdminTokenPath() string {
	return filepath.Join(d.root, "keys", "sim", "admin.token")
}

// minTokenLen is the shortest admin token accepted from a file or the
// environment.
const minTokenLen = 16

// ensureSimAdminToken returns the data dir's admin token, making it (32
// random bytes, base64url) on first use. Processes starting together take
// turns, so only one token is made. The warnings are for the operator: the
// file is readable by others.
func ensureSimAdminToken(d dataDir) (string, []string, error) {
	path := d.simAdminTokenPath()
	unlock, err := lockFile(filepath.Join(filepath.Dir(path), ".keys.lock"))
	if err != nil {
		return "", nil, err
	}
	defer unlock()
	tok, warnings, err := readTokenFile(path)
	switch {
	case errors.Is(err, errNotAToken):
		return "", nil, fmt.Errorf("%w (delete it, and the next simulator makes a new one)", err)
	case !errors.Is(err, os.ErrNotExist):
		return tok, warnings, err
	}
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", nil, err
	}
	tok = base64.RawURLEncoding.EncodeToString(b)
	if err := atomicfile.Write(path, []byte(tok+"\n"), 0o600); err != nil {
		return "", nil, fmt.Errorf("cannot write the simulator's admin token %s: %w", path, unwrapPathError(err))
	}
	return tok, nil, nil
}

// readTokenFile reads an admin token file: one line, the token. An error
// wraps os.ErrNotExist when there is no file; what the file holds never
// appears in an error.
func readTokenFile(path string) (string, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return "", nil, fmt.Errorf("cannot read the simulator's admin token %s: %w", path, unwrapPathError(err))
	}
	tok, err := checkToken(string(b))
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", path, err)
	}
	var warnings []string
	if fi, err := os.Stat(path); err == nil && runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		warnings = append(warnings, fmt.Sprintf("the admin token file %s is accessible by others (mode %04o); chmod 600 %s",
			path, fi.Mode().Perm(), path))
	}
	return tok, warnings, nil
}

// errNotAToken is what checkToken refuses.
var errNotAToken = fmt.Errorf("not an admin token: want one line of at least %d printable characters", minTokenLen)

// checkToken trims an admin token and checks it looks like one.
func checkToken(s string) (string, error) {
	tok := strings.TrimSpace(s)
	if len(tok) < minTokenLen || strings.ContainsFunc(tok, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return "", errNotAToken
	}
	return tok, nil
}

// sameServer reports whether two base URLs name the same server: the same
// scheme and port, and the same host or both this machine (localhost,
// loopback or unspecified addresses).
func sameServer(a, b string) bool {
	ua, errA := url.Parse(a)
	ub, errB := url.Parse(b)
	if errA != nil || errB != nil || ua.Host == "" || ua.Scheme != ub.Scheme || ua.Port() != ub.Port() {
		return false
	}
	return strings.EqualFold(ua.Hostname(), ub.Hostname()) || (isLocalHost(ua.Hostname()) && isLocalHost(ub.Hostname()))
}

// isLocalHost reports whether a host name or address means this machine.
func isLocalHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && (ip.Unmap().IsLoopback() || ip.IsUnspecified())
}

// listenHost is the host:port an admin request may name for a simulator
// told to listen on listen and listening at addr: the host given (with the
// port it got), or "" for none but loopback (no host, or all interfaces).
func listenHost(listen string, addr net.Addr) string {
	host, _, err := net.SplitHostPort(listen)
	tcp, ok := addr.(*net.TCPAddr)
	if err != nil || host == "" || !ok {
		return ""
	}
	if ip, err := netip.ParseAddr(host); err == nil && ip.IsUnspecified() {
		return ""
	}
	return net.JoinHostPort(host, fmt.Sprint(tcp.Port))
}
