package main

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
// back to the embedded sandbox set; with a nil client it never fetches.
func ruleCache(d dataDir, client *alipayplus.Client) *coderules.Cache {
	cfg := coderules.CacheConfig{Path: d.codeRulesPath(), Embedded: assets.SandboxCodeRules}
	if client != nil {
		cfg.Fetch = func(ctx context.Context) (*alipayplus.InquiryCodeRulesResponse, error) {
			return client.InquiryCodeRules(ctx, &alipayplus.InquiryCodeRulesRequest{})
		}
	}
	return coderules.NewCache(cfg)
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
	if s, ok := serving(d, "sim"); ok {
		return s.URL
	}
	return ""
}
