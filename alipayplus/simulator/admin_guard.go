package simulator

import (
	"crypto/sha256"
	"crypto/subtle"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
)

// adminRealm names the simulator in WWW-Authenticate.
const adminRealm = `Bearer realm="mppwallet simulator"`

// guardAdmin keeps browsers and strangers out of the admin API. A request
// passes, in this order:
//
//  1. it is no CORS preflight (OPTIONS is refused with 403, and no answer
//     ever carries Access-Control-Allow-* headers);
//  2. its Host is a loopback name (localhost, 127.0.0.0/8, [::1]), the
//     host of the simulator's URL or one of Config.AdminHosts, else 421:
//     a DNS-rebinding page's requests name the attacker's domain;
//  3. it carries no Origin, or the simulator's own, and no Sec-Fetch-Site
//     saying another site sent it, else 403: a web page's requests do;
//  4. GET /sim/health passes from here; every other request carries
//     Authorization: Bearer with the admin token (compared in constant
//     time), else 401. Without a configured token, the peer must be on
//     loopback instead (else 403).
func (s *Simulator) guardAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodOptions:
			writeError(w, http.StatusForbidden, "the admin API refuses cross-origin requests (a CORS preflight)")
		case !s.adminHostAllowed(r.Host):
			writeError(w, http.StatusMisdirectedRequest,
				"the admin API answers requests to a loopback host or to the simulator's own address, not to Host %q", r.Host)
		case !s.adminOriginAllowed(r.Header):
			writeError(w, http.StatusForbidden, "the admin API refuses requests from web pages (Origin %q)", r.Header.Get("Origin"))
		case (r.Method == http.MethodGet || r.Method == http.MethodHead) && r.URL.Path == "/sim/health":
			next.ServeHTTP(w, r)
		default:
			if s.adminAuthorized(w, r) {
				next.ServeHTTP(w, r)
			}
		}
	})
}

// adminAuthorized checks the request's token (or, with no token
// configured, that the peer is on loopback) and answers the request when
// it fails.
func (s *Simulator) adminAuthorized(w http.ResponseWriter, r *http.Request) bool {
	want := s.cfg.AdminToken
	if want == "" {
		if ap, err := netip.ParseAddrPort(r.RemoteAddr); err == nil && ap.Addr().IsLoopback() {
			return true
		}
		writeError(w, http.StatusForbidden, "the admin API has no token set and answers this machine only")
		return false
	}
	where := "the token the simulator was started with"
	if s.cfg.AdminTokenHint != "" {
		where = "the token in " + s.cfg.AdminTokenHint
	}
	got, ok := bearer(r.Header.Get("Authorization"))
	if !ok {
		w.Header().Set("WWW-Authenticate", adminRealm)
		writeError(w, http.StatusUnauthorized, "the admin API needs a token: send Authorization: Bearer with %s", where)
		return false
	}
	// Hashing first makes the comparison's time independent of the
	// lengths too.
	g, x := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	if subtle.ConstantTimeCompare(g[:], x[:]) != 1 {
		w.Header().Set("WWW-Authenticate", adminRealm+`, error="invalid_token"`)
		writeError(w, http.StatusUnauthorized, "the admin token is wrong: send Authorization: Bearer with %s", where)
		return false
	}
	return true
}

// bearer is the token of an Authorization: Bearer header (the scheme is
// case-insensitive).
func bearer(h string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// adminHostAllowed reports whether an admin request's Host names this
// simulator: a loopback name on any port, the host:port of its URL, or one
// of Config.AdminHosts.
func (s *Simulator) adminHostAllowed(host string) bool {
	if host == "" {
		return false
	}
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	name = strings.Trim(name, "[]")
	if strings.EqualFold(name, "localhost") {
		return true
	}
	if ip, err := netip.ParseAddr(name); err == nil && ip.Unmap().IsLoopback() {
		return true
	}
	if u, err := url.Parse(s.URL()); err == nil && u.Host != "" && strings.EqualFold(u.Host, host) {
		return true
	}
	for _, h := range s.cfg.AdminHosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// adminOriginAllowed reports whether the request comes from no web page
// but the simulator's own origin: any Origin header (even "null") must be
// the origin of its URL, and Sec-Fetch-Site, when a browser sends it, must
// not say another site.
func (s *Simulator) adminOriginAllowed(h http.Header) bool {
	switch h.Get("Sec-Fetch-Site") {
	case "cross-site", "same-site":
		return false
	}
	origins, present := h["Origin"]
	if !present {
		return true
	}
	own, ok := origin(s.URL())
	if !ok {
		return false
	}
	for _, o := range origins {
		if got, ok := origin(o); !ok || got != own {
			return false
		}
	}
	return true
}

// origin is the scheme://host[:port] of a URL, lower-cased, without the
// scheme's default port.
func origin(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return "", false
	}
	host := strings.ToLower(u.Host)
	if port := u.Port(); (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		host = strings.TrimSuffix(host, ":"+port)
	}
	return u.Scheme + "://" + host, true
}
