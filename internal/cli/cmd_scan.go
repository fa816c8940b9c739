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

func runScan(ctx context.Context, env *cliEnv, o scanOptions) error {
	if o.yes && o.decline {
		return usagef("scan", "--yes and --decline exclude each other")
	}
	if (o.image == "") == (len(o.args) != 1) {
		return usagef("scan", "give exactly one code, or --image FILE")
	}
	code := ""
	if o.image != "" {
		var err error
		if code, err = decodeImageFile(o.image); err != nil {
			return err
		}
	} else {
		code = o.args[0]
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
	scan := payer.Identify(code)
	out := scanJSON{Code: code, Rules: scan.Rules}
	say := func(format string, args ...any) {
		if !o.json {
			fmt.Fprintf(env.stdout, format, args...)
		}
	}
	print := func() error {
		if o.json {
			return json.NewEncoder(env.stdout).Encode(out)
		}
		return nil
	}
	dec := scan.Decision
	out.Supported, out.Action, out.URL, out.Reason = dec.Supported, string(dec.Action), dec.URL, dec.Reason
	say("scanned  %s\nrules    %s\n", code, scan.Rules)
	switch {
	case !dec.Supported:
		say("NOT SUPPORTED  %s\n", dec.Reason)
		if err := print(); err != nil {
			return err
		}
		return errSilentFailure
	case dec.Action == coderules.OpenURL:
		say("OPEN URL  %s\n", dec.URL)
		return print()
	}

	// DECODE: ask Alipay+ for the order.
	uctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	order, err := payer.Open(uctx, o.user, code)
	cancel()
	if err != nil {
		var apErr *alipayplus.Error
		if errors.As(err, &apErr) && apErr.Status == alipayplus.StatusFail {
			out.Status, out.ResultCode, out.Reason = "REFUSED", apErr.Code, apErr.Message
			say("REFUSED  %s: %s\n", apErr.Code, apErr.Message)
			if err := print(); err != nil {
				return err
			}
			return errSilentFailure
		}
		if errors.Is(err, alipayplus.ErrUnknown) {
			return fmt.Errorf("Alipay+ did not answer userInitiatedPay; nothing was paid, scan the code again")
		}
		return cleanErr(err)
	}
	out.PaymentRequestID, out.Merchant, out.Store = order.RequestID, order.Merchant.Name, order.Merchant.StoreName
	out.PaymentAmount, out.PayToAmount = alipayplus.AmountOf(order.PaymentAmount), alipayplus.AmountOf(order.Amount)
	say("pay      %s to %s (%s)\n", order.PaymentAmount, order.Merchant.Name, order.Merchant.StoreName)
	if order.Converted() {
		say("charged  %s at %s %s\n", order.Amount, order.Quote.Price, order.Quote.CurrencyPair)
	}
	approve := o.yes
	switch {
	case order.Previous != nil:
		// Scanned before: the same payment; its result is only resent.
		say("again    scanned before: the same payment (%s), nothing is debited again\n", order.Previous.Status)
	case !o.yes && !o.decline:
		if !isTerminal(env.stdout) {
			return usagef("scan", "not a terminal: pass --yes to pay or --decline")
		}
		fmt.Fprint(env.stdout, "Pay? [y/N] ")
		line, _ := bufio.NewReader(env.stdin).ReadString('\n')
		approve = strings.EqualFold(strings.TrimSpace(line), "y")
	}
	res, err := payer.Finish(ctx, order, approve)
	if err != nil {
		return userErr(err)
	}
	p := res.Payment
	out.Status, out.ResultCode, out.PaymentID, out.Repeat, out.Notified = string(p.Status), string(p.ResultCode), p.PaymentID, res.Repeat, res.Notified
	if res.Reason != "" {
		out.Reason = res.Reason
	}
	switch p.Status {
	case wallet.StatusSucceeded:
		say("PAID     %s (paymentId %s)\n", p.Amount, p.PaymentID)
	default:
		say("DECLINED %s: %s\n", p.ResultCode, p.ResultCode.Message())
		if res.Reason != "" {
			say("         %s\n", res.Reason)
		}
	}
	if res.NotifyErr != nil {
		say("warning: %v\n         the payment stands; Alipay+ learns it by inquiryPayment, and scanning the code again resends it\n", cleanErr(res.NotifyErr))
	}
	if err := print(); err != nil {
		return err
	}
	if p.Status != wallet.StatusSucceeded {
		return errSilentFailure
	}
	return nil
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
