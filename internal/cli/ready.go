package cli

import (
	"encoding/json"
	"io"
)

// readyEvent is the first line 'serve --json' and 'sim --json' print on
// stdout, once the listener accepts connections and the run file
// (run/serve.json, run/sim.json) is written: a script waits for it
// instead of polling. The fields after Command are the server's own.
type readyEvent struct {
	// Event is always "ready".
	Event string `json:"event"`
	// Command is "serve" or "sim".
	Command string `json:"command"`
	// URL is where the server listens: the wallet server's base URL (serve),
	// or the simulator's, which is the wallet's --gateway and the merchant
	// systems' gateway base URL (sim).
	URL      string `json:"url"`
	PID      int    `json:"pid"`
	DataDir  string `json:"dataDir"`
	ClientID string `json:"clientId"`

	// PayURL is the wallet's pay endpoint (serve).
	PayURL string `json:"payUrl,omitempty"`
	// Gateway is the Alipay+ serve sends notifyPayment to, when known at
	// start: the flag, the config or the simulator running on the data dir.
	Gateway string `json:"gateway,omitempty"`

	// GatewayURL is the acquiring gateway's pay URL for merchant systems
	// (sim).
	GatewayURL string `json:"gatewayUrl,omitempty"`
	// AdminURL is the simulator's admin API (sim).
	AdminURL string `json:"adminUrl,omitempty"`
	// Wallet is the wallet server the simulator drives: --mpp-url, or ""
	// for the 'serve' on the data dir, looked up at each call (sim).
	Wallet string `json:"wallet,omitempty"`
	// Magic says whether magic amounts are on (sim).
	Magic *bool `json:"magic,omitempty"`
	// Transcript is the --transcript file (sim).
	Transcript string `json:"transcript,omitempty"`
}

// printReady writes e as one JSON line.
func printReady(w io.Writer, e readyEvent) error {
	e.Event = "ready"
	return json.NewEncoder(w).Encode(e)
}
