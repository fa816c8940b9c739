package cli

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/ui"
)

// The app's peers: the gateway it calls may go away (a simulator killed)
// and come back, on the same data dir, at the same address or another.
// Every call to it goes through a gatewayRoute, which follows the data
// dir's run/sim.json to where the simulator is now.

// gatewayRoute is where the app's calls to Alipay+ go, as an
// http.RoundTripper under the Alipay+ client (so getPaymentCode,
// notifyPayment, the Scan screen's calls and the code rules all follow
// it), and the admin client of the simulator there.
type gatewayRoute struct {
	d dataDir
	// follow: the gateway is the data dir's simulator (embedded or
	// 'mppwallet sim'), found again through run/sim.json after a failure;
	// false for --gateway, which stays where it was given.
	follow bool
	// peer names the gateway for the Pay screen.
	peer string
	base http.RoundTripper

	mu    sync.Mutex
	url   string
	token string // the run/sim.json instance the route follows
	admin *simclient.Client
}

// newGatewayRoute routes to gateway; follow says it is the data dir's
// simulator.
func newGatewayRoute(d dataDir, gateway string, follow bool) *gatewayRoute {
	g := &gatewayRoute{d: d, follow: follow, peer: "the Alipay+ gateway", base: http.DefaultTransport}
	if follow {
		g.peer = "the Alipay+ simulator"
	}
	token := ""
	if s, ok := running(d, "sim"); ok && sameServer(s.URL, gateway) {
		token = s.Token
	}
	g.set(gateway, token)
	return g
}

// set points the route at url (the run file's token tells its instance).
func (g *gatewayRoute) set(u, token string) {
	admin := simclient.New(u, simclient.WithToken(dataDirToken(g.d, u)))
	admin.Timeout = 3 * time.Second
	g.mu.Lock()
	defer g.mu.Unlock()
	g.url, g.token, g.admin = u, token, admin
}

// current is the gateway's URL now.
func (g *gatewayRoute) current() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.url
}

// adminClient is the admin API of the simulator the route goes to.
func (g *gatewayRoute) adminClient() *simclient.Client {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.admin
}

// RoundTrip implements http.RoundTripper: the request goes to the gateway
// as it is now; a request that reaches nobody makes the route look for
// the simulator again, so the client's next attempt goes there.
func (g *gatewayRoute) RoundTrip(r *http.Request) (*http.Response, error) {
	u, err := url.Parse(g.current())
	if err != nil {
		return nil, err
	}
	out := r.Clone(r.Context())
	out.URL.Scheme, out.URL.Host, out.Host = u.Scheme, u.Host, ""
	resp, err := g.base.RoundTrip(out)
	if err != nil {
		g.refresh()
	}
	return resp, err
}

// refresh follows run/sim.json: when a live simulator published there is
// another instance than the one routed to (restarted, maybe elsewhere),
// the route goes to it. It reports whether the route changed.
func (g *gatewayRoute) refresh() bool {
	if !g.follow {
		return false
	}
	s, ok := running(g.d, "sim")
	if !ok {
		return false
	}
	g.mu.Lock()
	same := s.Token == g.token && sameServer(s.URL, g.url)
	g.mu.Unlock()
	if same {
		return false
	}
	g.set(s.URL, s.Token)
	return true
}

// PeersMoved implements ui.PeerWatcher: a simulator was published again
// on the data dir since the route last went to it.
func (b *uiBackend) PeersMoved(context.Context) bool {
	return b.route != nil && b.route.refresh()
}

// admin is the simulator's admin client: the route's, else the fixed one.
func (b *uiBackend) admin() *simclient.Client {
	if b.route != nil {
		return b.route.adminClient()
	}
	return b.sim
}

// peerDown says plainly that the gateway does not answer, when err is
// that (no answer at all); other errors are returned as they are.
func (b *uiBackend) peerDown(err error) error {
	if b.route == nil || !unreachable(err) {
		return err
	}
	e := &ui.PeerError{Peer: b.route.peer, Where: b.route.current(), Err: errors.New(shortReason(err))}
	if b.route.follow {
		e.Doing = fmt.Sprintf("watching %s for a simulator on this data dir ('mppwallet sim --data %s' starts one)",
			b.route.d.runPath("sim"), b.route.d.root)
	}
	return e
}

// unreachable reports whether err is a call that reached nobody: no
// answer after the client's attempts, or the admin API unreachable.
func unreachable(err error) bool {
	var apErr *alipayplus.Error
	if errors.As(err, &apErr) {
		return apErr.Status == alipayplus.StatusUnknown && strings.Contains(apErr.Message, "no answer after")
	}
	return errors.Is(err, simclient.ErrUnreachable)
}

// shortReason is why a call reached nobody, in a few words.
func shortReason(err error) string {
	s := err.Error()
	switch {
	case strings.Contains(s, "connection refused"):
		return "connection refused"
	case strings.Contains(s, "deadline exceeded"), strings.Contains(s, "timeout"):
		return "no answer in time"
	case strings.Contains(s, "EOF"), strings.Contains(s, "connection reset"):
		return "the connection dropped"
	case strings.Contains(s, "no such host"):
		return "no such host"
	}
	return s
}
