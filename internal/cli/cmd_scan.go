package cli

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/jpeg" // scan JPEG photos of codes
	_ "image/png"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/internal/mpm"
	"github.com/mppwallet/mppwallet/ui/render"
	"github.com/mppwallet/mppwallet/wallet"
)

func scanCmd() *command {
	return &command{
		name:      "scan",
		summary:   "pay a merchant's code (Merchant-presented Mode), headless: identify, userInitiatedPay, confirm, debit, notifyPayment",
		use:       "(CODE | --image FILE) [flags]",
		takesArgs: true,
		examples: []string{
			"mppwallet scan --image /tmp/order.png --user alice --yes",
			"mppwallet scan 'https://qr.mppwallet.test/2819990400011234567890123456' --user alice",
			"mppwallet scan --image photo.jpg --user alice --yes --json",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			imagePath := fs.String("image", "", "read the code from a PNG or JPEG `FILE`")
			user := fs.String("user", env.getenv("MPPWALLET_USER"), "customerId who pays (env MPPWALLET_USER; default: the first user)")
			yes := fs.Bool("yes", false, "pay without asking")
			decline := fs.Bool("decline", false, "decline without asking (Alipay+ is told F)")
			gateway := fs.String("gateway", env.getenv("MPPWALLET_GATEWAY"), "Alipay+ base `URL` (default: the simulator running on the data dir)")
			asJSON := fs.Bool("json", false, "print one JSON object")
			return func(ctx context.Context, args []string) error {
				return runScan(ctx, env, scanOptions{data: *data, image: *imagePath, user: *user, yes: *yes, decline: *decline,
					gateway: *gateway, json: *asJSON, args: args})
			}
		},
	}
}

type scanOptions struct {
	data, image, user, gateway string
	yes, decline, json         bool
	args                       []string
}

// scanJSON is the documented JSON form of a scan's outcome.
type scanJSON struct {
	Code             string             `json:"codeValue"`
	Rules            string             `json:"rules"`
	Supported        bool               `json:"supported"`
	Action           string             `json:"action,omitempty"`
	URL              string             `json:"url,omitempty"`
	PaymentRequestID string             `json:"paymentRequestId,omitempty"`
	Status           string             `json:"status,omitempty"`
	ResultCode       string             `json:"resultCode,omitempty"`
	PaymentID        string             `json:"paymentId,omitempty"`
	PaymentAmount    *alipayplus.Amount `json:"paymentAmount,omitempty"`
	PayToAmount      *alipayplus.Amount `json:"payToAmount,omitempty"`
	Merchant         string             `json:"merchantName,omitempty"`
	Store            string             `json:"storeName,omitempty"`
	Repeat           bool               `json:"repeat,omitempty"`
	Notified         bool               `json:"notified"`
	Reason           string             `json:"reason,omitempty"`
}

// runScan is the scan command: read the code, identify it with the code
// rules, then for a DECODE code open the order with Alipay+, ask the user
// (or take --yes/--decline) and finish it.
func runScan(ctx context.Context, env *cliEnv, o scanOptions) error {
	code, err := o.code()
	if err != nil {
		return err
	}
	d, st, svc, err := openWallet(o.data)
	if err != nil {
		return err
	}
	defer st.Close()
	if o.user, err = pickUser(ctx, svc, o.user); err != nil {
		return err
	}
	client, done, err := walletClient(env, o.data, o.gateway)
	if err != nil {
		return err
	}
	defer done()
	payer := &mpm.Payer{Wallet: svc, Client: client, Rules: ruleCache(d, rulesFrom(client)), NotifyFor: 30 * time.Second}
	refreshRules(ctx, env.stderr, payer.Rules)
	r := &scanReport{env: env, asJSON: o.json}
	if pay, err := r.identified(payer.Identify(code)); !pay {
		return err
	}
	uctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	order, err := payer.Open(uctx, o.user, code)
	cancel()
	if err != nil {
		return r.refused(err)
	}
	r.order(order)
	approve, err := o.approve(env, order)
	if err != nil {
		return err
	}
	res, err := payer.Finish(ctx, order, approve)
	if err != nil {
		return userErr(err)
	}
	return r.finished(res)
}

// code is the code to pay: the one argument, or the one read from --image.
func (o scanOptions) code() (string, error) {
	if o.yes && o.decline {
		return "", usagef("scan", "--yes and --decline exclude each other")
	}
	if err := checkURL("scan", "gateway", o.gateway); err != nil {
		return "", err
	}
	if (o.image == "") == (len(o.args) != 1) {
		return "", usagef("scan", "give exactly one code, or --image FILE")
	}
	if o.image != "" {
		return decodeImageFile(o.image)
	}
	return o.args[0], nil
}

// approve is the user's answer to the order: --yes, --decline, or asked in
// the terminal. A code paid before is not asked about: its result is only
// resent.
func (o scanOptions) approve(env *cliEnv, order mpm.Order) (bool, error) {
	switch {
	case order.Previous != nil, o.yes, o.decline:
		return o.yes, nil
	case !isTerminal(env.stdout):
		return false, usagef("scan", "not a terminal: pass --yes to pay or --decline")
	}
	fmt.Fprint(env.stdout, "Pay? [y/N] ")
	line, _ := bufio.NewReader(env.stdin).ReadString('\n')
	return strings.EqualFold(strings.TrimSpace(line), "y"), nil
}

// scanReport tells the user each step of a scan, in lines or, with --json,
// as one object at the end.
type scanReport struct {
	env    *cliEnv
	asJSON bool
	out    scanJSON
}

func (r *scanReport) say(format string, args ...any) {
	if !r.asJSON {
		fmt.Fprintf(r.env.stdout, format, args...)
	}
}

// done prints the JSON object (with --json) and returns err.
func (r *scanReport) done(err error) error {
	if r.asJSON {
		if jerr := json.NewEncoder(r.env.stdout).Encode(r.out); jerr != nil {
			return jerr
		}
	}
	return err
}

// identified reports the code rules' decision; pay is true for a DECODE
// code, else err is how the command ends.
func (r *scanReport) identified(scan mpm.Scan) (pay bool, err error) {
	dec := scan.Decision
	r.out = scanJSON{Code: scan.Code, Rules: scan.Rules, Supported: dec.Supported, Action: string(dec.Action), URL: dec.URL, Reason: dec.Reason}
	r.say("scanned  %s\nrules    %s\n", scan.Code, scan.Rules)
	switch {
	case !dec.Supported:
		r.say("NOT SUPPORTED  %s\n", dec.Reason)
		return false, r.done(errSilentFailure)
	case dec.Action == coderules.OpenURL:
		r.say("OPEN URL  %s\n", dec.URL)
		return false, r.done(nil)
	}
	return true, nil
}

// refused reports why userInitiatedPay gave no order.
func (r *scanReport) refused(err error) error {
	var apErr *alipayplus.Error
	if errors.As(err, &apErr) && apErr.Status == alipayplus.StatusFail {
		r.out.Status, r.out.ResultCode, r.out.Reason = "REFUSED", apErr.Code, apErr.Message
		r.say("REFUSED  %s: %s\n", apErr.Code, apErr.Message)
		return r.done(errSilentFailure)
	}
	if errors.As(err, &apErr) && errors.Is(err, alipayplus.ErrUnknown) {
		// Alipay+ answered U (or, after the retries, gave no answer): the message says which.
		return fmt.Errorf("the outcome of userInitiatedPay stayed unknown after retries (U %s: %s); nothing was paid, scan the code again",
			apErr.Code, apErr.Message)
	}
	if errors.Is(err, alipayplus.ErrUnknown) {
		return fmt.Errorf("Alipay+ did not answer userInitiatedPay; nothing was paid, scan the code again")
	}
	return cleanErr(err)
}

// order reports the order to confirm.
func (r *scanReport) order(order mpm.Order) {
	r.out.PaymentRequestID, r.out.Merchant, r.out.Store = order.RequestID, order.Merchant.Name, order.Merchant.StoreName
	r.out.PaymentAmount, r.out.PayToAmount = alipayplus.AmountOf(order.PaymentAmount), alipayplus.AmountOf(order.Amount)
	r.say("pay      %s to %s (%s)\n", order.PaymentAmount, order.Merchant.Name, order.Merchant.StoreName)
	if order.Converted() {
		r.say("charged  %s at %s %s\n", order.Amount, order.Quote.Price, order.Quote.CurrencyPair)
	}
	if order.Previous != nil {
		r.say("again    scanned before: the same payment (%s), nothing is debited again\n", order.Previous.Status)
	}
}

// finished reports how the payment ended; a payment that did not succeed
// exits 1.
func (r *scanReport) finished(res mpm.Result) error {
	p := res.Payment
	r.out.Status, r.out.ResultCode, r.out.PaymentID, r.out.Repeat, r.out.Notified = string(p.Status), string(p.ResultCode), p.PaymentID, res.Repeat, res.Notified
	if res.Reason != "" {
		r.out.Reason = res.Reason
	}
	if p.Status == wallet.StatusSucceeded {
		r.say("PAID     %s (paymentId %s)\n", p.Amount, p.PaymentID)
	} else {
		r.say("DECLINED %s: %s\n", p.ResultCode, p.ResultCode.Message())
		if res.Reason != "" {
			r.say("         %s\n", res.Reason)
		}
	}
	if res.NotifyErr != nil {
		r.say("warning: %v\n         the payment stands; Alipay+ learns it by inquiryPayment, and scanning the code again resends it\n", cleanErr(res.NotifyErr))
	}
	if p.Status != wallet.StatusSucceeded {
		return r.done(errSilentFailure)
	}
	return r.done(nil)
}

// decodeImageFile reads a QR code or barcode from a PNG or JPEG.
func decodeImageFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", &exitError{2, fmt.Errorf("cannot read the image: %w", unwrapPathError(err))}
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		return "", &exitError{2, fmt.Errorf("%s is not a PNG or JPEG image: %v", path, err)}
	}
	if text, err := render.Decode(img, render.KindQR); err == nil {
		return text, nil
	}
	// gozxing's finder search misses some clean codes; a screenshot or PNG
	// of just the code reads as a pure barcode.
	if bmp, err := gozxing.NewBinaryBitmapFromImage(img); err == nil {
		hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true}
		if res, err := qrcode.NewQRCodeReader().Decode(bmp, hints); err == nil {
			return res.GetText(), nil
		}
	}
	if text, err := render.Decode(img, render.KindBarcode); err == nil {
		return text, nil
	}
	return "", fmt.Errorf("no QR code or barcode found in %s", path)
}
