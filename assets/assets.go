// Package assets holds the files mppwallet embeds so it runs offline with
// nothing beside the binary.
package assets

import _ "embed"

// SandboxCodeRules is a real inquiryCodeRules response body from the
// Alipay+ sandbox (version c_16_ignet_25, 73 rules): the default code rules.
//
//go:embed sandbox-code-rules.json
var SandboxCodeRules []byte

// FXRates is the simulator's FX table: units of every ISO 4217 currency
// the ledger accepts per 1 USD, approximate (for demos, not market data).
//
//go:embed fx-rates.json
var FXRates []byte
