package simulator

import (
	"fmt"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Magic is one row of the magic-amount table: the last two digits of an
// amount's minor-unit value pick an outcome, so that a tester with nothing
// but a POS terminal can force one.
type Magic struct {
	// Suffix is the last two digits of the minor-unit amount, 0-99.
	Suffix int `json:"suffix"`
	// Mode is "UPM" (a merchant charges a payment code) or "MPM" (an order
	// code the wallet scans).
	Mode string `json:"mode"`
	// Outcome is one sentence for the docs and the faults magic table.
	Outcome string `json:"outcome"`
	// Decline, when set, is answered by Alipay+ itself (UPM, before calling
	// the wallet) or by the acquirer (MPM).
	Decline *alipayplus.Result `json:"decline,omitempty"`
	// Effects are per-API effects (keyed by the short names from APIs())
	// for this payment only.
	Effects map[string]Effect `json:"-"`
}

// magicUnknownMessage is Alipay+'s usual message for UNKNOWN_EXCEPTION.
const magicUnknownMessage = "An API calling is failed, which is caused by unknown reasons."

// MagicTable returns the whole magic-amount table, sorted by Mode ("MPM"
// before "UPM") then Suffix. Each call returns a fresh copy.
func MagicTable() []Magic {
	fail := func(code, msg string) *alipayplus.Result {
		r := alipayplus.Failure(code, msg)
		return &r
	}
	unknown := func() *alipayplus.Result {
		r := alipayplus.Unknown(alipayplus.CodeUnknownException, magicUnknownMessage)
		return &r
	}
	return []Magic{
		{Suffix: 81, Mode: "MPM", Decline: fail(alipayplus.CodeExpiredCode, "The order code has expired."),
			Outcome: "The acquirer answers F EXPIRED_CODE."},
		{Suffix: 82, Mode: "MPM", Decline: fail(alipayplus.CodeOrderIsClosed, "The order is closed."),
			Outcome: "The acquirer answers F ORDER_IS_CLOSED."},
		{Suffix: 83, Mode: "MPM", Decline: fail("PAYMENT_AMOUNT_INVALID", "The payment amount is invalid."),
			Outcome: "The acquirer answers F PAYMENT_AMOUNT_INVALID."},
		{Suffix: 84, Mode: "MPM", Decline: fail("MERCHANT_NOT_REGISTERED", "The merchant is not registered."),
			Outcome: "The acquirer answers F MERCHANT_NOT_REGISTERED."},
		{Suffix: 85, Mode: "MPM", Decline: fail("CURRENCY_NOT_SUPPORT", "The currency is not supported."),
			Outcome: "The acquirer answers F CURRENCY_NOT_SUPPORT."},
		{Suffix: 86, Mode: "MPM", Decline: unknown(),
			Outcome: "The acquirer answers every userInitiatedPay U UNKNOWN_EXCEPTION, so by design the order can never be paid: " +
				"the wallet's retries all get U, and it must tell the user the outcome is unknown and nothing was paid."},
		{Suffix: 87, Mode: "MPM", Effects: map[string]Effect{APINotifyPayment: {Result: unknown()}},
			Outcome: "The wallet's first notifyPayment is answered U UNKNOWN_EXCEPTION, and the wallet must retry."},
		{Suffix: 88, Mode: "MPM", Effects: map[string]Effect{APINotifyPayment: {Drop: true}},
			Outcome: "The answer to the wallet's first notifyPayment is lost, and the wallet must retry."},

		{Suffix: 51, Mode: "UPM", Decline: fail("RISK_REJECT", "The payment is declined due to risk control."),
			Outcome: "Alipay+ declines with F RISK_REJECT before calling the wallet."},
		{Suffix: 52, Mode: "UPM", Decline: fail("PAYMENT_AMOUNT_EXCEED_LIMIT", "The payment amount exceeds the limit."),
			Outcome: "Alipay+ declines with F PAYMENT_AMOUNT_EXCEED_LIMIT before calling the wallet."},
		{Suffix: 61, Mode: "UPM", Effects: map[string]Effect{APIPay: {Duplicate: true}},
			Outcome: "The pay request is sent twice, and the wallet must debit the user once."},
		{Suffix: 62, Mode: "UPM", Effects: map[string]Effect{APIPay: {Drop: true}},
			Outcome: "The wallet's pay answer is lost, so Alipay+ inquires and settles on the inquiry result."},
		{Suffix: 63, Mode: "UPM", Effects: map[string]Effect{APIPay: {CorruptSignature: true}},
			Outcome: "The pay request carries a corrupt signature, and the wallet must answer INVALID_SIGNATURE and change nothing."},
		{Suffix: 64, Mode: "UPM", Effects: map[string]Effect{APIPay: {Drop: true}, APIInquiryPayment: {Drop: true}},
			Outcome: "The pay answer and every inquiry answer are lost, so Alipay+ cancels at the payment's expiry and the wallet must return the money."},
		{Suffix: 65, Mode: "UPM", Effects: map[string]Effect{APIPay: {Delay: 3 * time.Second}},
			Outcome: "The pay request is held back 3 s before it reaches the wallet."},
	}
}

// MagicFor returns the row for an amount of minor units (1261 for 12.61
// USD, 1061 for 1061 JPY: both end in 61) in mode "UPM" or "MPM"
// (case-insensitive). Amounts of zero or less, and suffixes without a row,
// have no magic.
func MagicFor(mode string, minor int64) (Magic, bool) {
	if minor <= 0 {
		return Magic{}, false
	}
	suffix := int(minor % 100)
	for _, m := range MagicTable() {
		if m.Suffix == suffix && strings.EqualFold(m.Mode, mode) {
			return m, true
		}
	}
	return Magic{}, false
}

// MagicMarkdown returns the magic-amount table as Markdown for the docs,
// in MagicTable's order.
func MagicMarkdown() string {
	var b strings.Builder
	b.WriteString("| amount ends in | mode | what happens |\n")
	b.WriteString("|---:|---|---|\n")
	for _, m := range MagicTable() {
		fmt.Fprintf(&b, "| %02d | %s | %s |\n", m.Suffix, m.Mode, strings.ReplaceAll(m.Outcome, "|", `\|`))
	}
	return b.String()
}
