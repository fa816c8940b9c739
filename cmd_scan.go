package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg" // scan JPEG photos of codes
	_ "image/png"
	"os"
	"strings"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/assets"
	"github.com/mppwallet/mppwallet/ui/render"
	"github.com/mppwallet/mppwallet/wallet"
)

func scanCmd() *command {
	return &command{
		name:      "scan",
		summary:   "pay a merchant's code (Merchant-presented Mode), headless: identify, userInitiatedPay, confirm, debit, notifyPayment",
		usage:     "scan CODE | --image FILE [--user ID] [--yes | --decline] [--gateway URL] [--json]",
		takesArgs: true,
		examples: []string{
			"mppwallet scan --image /tmp/order.png --user alice --yes",
			"mppwallet scan 'https://qr.mppwallet.test/2819990400011234567890123456' --user alice",
			"mppwallet scan --image photo.jpg --user alice --yes --json",
		},
		setup: func(fs *flag.FlagSet, env *cliEnv) func(context.Context, []string) error {
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
	_, st, svc, err := openWallet(o.data)
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
	out := scanJSON{Code: code}
	print := func() error {
		if o.json {
			return json.NewEncoder(env.stdout).Encode(out)
		}
		return nil
	}

	// Identify with the network's rules, else the embedded sandbox set.
	rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	rules, rerr := client.InquiryCodeRules(rctx, &alipayplus.InquiryCodeRulesRequest{})
	cancel()
	var ruleSet []alipayplus.CodeRule
	if rerr == nil {
		ruleSet = rules.CodeRules
	} else {
		var emb alipayplus.InquiryCodeRulesResponse
		if _, err := alipayplus.Decode(assets.SandboxCodeRules, &emb); err != nil {
			return err
		}
		ruleSet = emb.CodeRules
		fmt.Fprintf(env.stderr, "note: the code rules could not be fetched (%v); using the embedded sandbox set\n", rerr)
	}
	m, _ := coderules.New(ruleSet)
	d := m.Identify(code)
	out.Supported, out.Action, out.URL, out.Reason = d.Supported, string(d.Action), d.URL, d.Reason
	if !o.json {
		fmt.Fprintf(env.stdout, "scanned  %s\n", code)
	}
	switch {
	case !d.Supported:
		if !o.json {
			fmt.Fprintf(env.stdout, "NOT SUPPORTED  %s\n", d.Reason)
		}
		if err := print(); err != nil {
			return err
		}
		return errSilentFailure
	case d.Action == coderules.OpenURL:
		if !o.json {
			fmt.Fprintf(env.stdout, "OPEN URL  %s\n", d.URL)
		}
		return print()
	}

	// DECODE: ask Alipay+ for the payment.
	uctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	uip, err := client.UserInitiatedPay(uctx, &alipayplus.UserInitiatedPayRequest{CodeValue: code, CustomerID: o.user})
	cancel()
	if err != nil {
		var apErr *alipayplus.Error
		if errors.As(err, &apErr) {
			out.Status, out.ResultCode, out.Reason = "REFUSED", apErr.Code, apErr.Message
			if !o.json {
				fmt.Fprintf(env.stdout, "REFUSED  %s: %s\n", apErr.Code, apErr.Message)
			}
			if err := print(); err != nil {
				return err
			}
			return errSilentFailure
		}
		return cleanErr(err)
	}
	payTo, err1 := uip.PayToAmount.Money()
	amount, err2 := uip.PaymentAmount.Money()
	if err1 != nil || err2 != nil {
		return fmt.Errorf("Alipay+ sent an unusable amount: %v %v", err1, err2)
	}
	merchant := wallet.Merchant{}
	if uip.Order != nil && uip.Order.Merchant != nil {
		mm := uip.Order.Merchant
		merchant.ID, merchant.Name, merchant.MCC = mm.ReferenceMerchantID, mm.MerchantName, mm.MerchantMCC
		if mm.Store != nil {
			merchant.StoreID, merchant.StoreName = mm.Store.ReferenceStoreID, mm.Store.StoreName
		}
	}
	out.PaymentRequestID, out.PaymentAmount, out.PayToAmount, out.Merchant = uip.PaymentRequestID, uip.PaymentAmount, uip.PayToAmount, merchant.Name
	if !o.json {
		fmt.Fprintf(env.stdout, "pay      %s to %s (%s)\n", amount, merchant.Name, merchant.StoreName)
		if uip.PaymentQuote != nil && payTo.Currency != amount.Currency {
			fmt.Fprintf(env.stdout, "charged  %s at %s %s\n", payTo, uip.PaymentQuote.QuotePrice, uip.PaymentQuote.QuoteCurrencyPair)
		}
	}
	approve := o.yes
	if !o.yes && !o.decline {
		if !isTerminal(env.stdout) {
			return usagef("scan", "not a terminal: pass --yes to pay or --decline")
		}
		fmt.Fprint(env.stdout, "Pay? [y/N] ")
		line, _ := bufio.NewReader(env.stdin).ReadString('\n')
		approve = strings.EqualFold(strings.TrimSpace(line), "y")
	}
	expires, _ := alipayplus.ParseTime(uip.PaymentExpiryTime)
	order := wallet.PayOrder{RequestID: uip.PaymentRequestID, CustomerID: o.user, Mode: wallet.ModeMPM, CodeValue: code,
		Amount: payTo, PaymentAmount: amount, Merchant: merchant, AcquirerID: uip.AcquirerID, PSPID: uip.PSPID, ExpiresAt: expires}
	if q := uip.PaymentQuote; q != nil {
		order.Quote = wallet.Quote{ID: q.QuoteID, CurrencyPair: q.QuoteCurrencyPair, Price: q.QuotePrice}
	}
	if uip.Order != nil {
		order.OrderID, order.OrderDescription = uip.Order.ReferenceOrderID, uip.Order.OrderDescription
	}
	if !approve {
		order.Decline = wallet.CodeVerificationFailed
	}
	p, err := svc.Pay(ctx, order)
	if err != nil {
		return userErr(err)
	}
	out.Status, out.ResultCode, out.PaymentID = string(p.Status), string(p.ResultCode), p.PaymentID
	nctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	_, nerr := client.NotifyPayment(nctx, alipayplus.NotifyRequestFor(p))
	cancel()
	out.Notified = nerr == nil
	if !o.json {
		switch p.Status {
		case wallet.StatusSucceeded:
			fmt.Fprintf(env.stdout, "PAID     %s (paymentId %s)\n", p.Amount, p.PaymentID)
		default:
			fmt.Fprintf(env.stdout, "DECLINED %s: %s\n", p.ResultCode, p.ResultCode.Message())
		}
		if nerr != nil {
			fmt.Fprintf(env.stdout, "warning: notifyPayment was not acknowledged (%v); Alipay+ will learn the result by inquiry\n", nerr)
		}
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
