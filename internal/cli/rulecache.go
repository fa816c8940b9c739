package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/assets"
)

// ruleCache is the data dir's code-rule cache (coderules.json), falling
// back to the embedded sandbox set; with a nil fetch it never fetches.
func ruleCache(d dataDir, fetch coderules.Fetcher) *coderules.Cache {
	return coderules.NewCache(coderules.CacheConfig{Path: d.codeRulesPath(), Embedded: assets.SandboxCodeRules, Fetch: fetch})
}

// rulesFrom fetches the code rules with client (inquiryCodeRules); nil for
// a nil client.
func rulesFrom(client *alipayplus.Client) coderules.Fetcher {
	if client == nil {
		return nil
	}
	return func(ctx context.Context) (*alipayplus.InquiryCodeRulesResponse, error) {
		return client.InquiryCodeRules(ctx, &alipayplus.InquiryCodeRulesRequest{})
	}
}

// keepRulesFresh refreshes the cache now and every few hours in the
// background (serve, the app), passing each outcome to report (may be
// nil). stop ends it and waits, so nothing writes into the data dir after
// the caller has returned.
func keepRulesFresh(cache *coderules.Cache, report func(*coderules.Set, error)) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		cache.Run(ctx, coderules.RefreshInterval, coderules.RetryInterval, report)
	}()
	return func() { cancel(); <-done }
}

// refreshRules asks the network for the code rules (10 s at most) and says
// on w what went wrong and which rules are used instead.
func refreshRules(ctx context.Context, w io.Writer, cache *coderules.Cache) *coderules.Set {
	for _, warn := range cache.Warnings() {
		fmt.Fprintln(w, "warning:", warn)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	set, err := cache.Refresh(ctx)
	if err != nil {
		fmt.Fprintf(w, "note: %v; using the %s rules\n", cleanErr(err), set.Source())
	}
	return set
}

// knownGateway is the Alipay+ gateway a command may ask without starting
// anything: the flag (or env), the data dir's config, or the simulator
// running on the data dir; "" when there is none.
func knownGateway(d dataDir, gateway string) string {
	if gateway != "" {
		return gateway
	}
	var cfg config // read, never created: identify writes nothing unasked
	if b, err := os.ReadFile(d.configPath()); err == nil && json.Unmarshal(b, &cfg) == nil && cfg.Gateway != "" {
		return cfg.Gateway
	}
	if s, ok := running(d, "sim"); ok {
		return s.URL
	}
	return ""
}
