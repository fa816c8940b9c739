package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/internal/mpm"
	"github.com/mppwallet/mppwallet/ui"
)

// The app's Scan screen, on the same Merchant-presented Mode flow as the
// scan command (internal/mpm).

// ReadCode reads what the user pasted or typed: the path of a PNG or JPEG
// holding a code (quotes, "\ " and a leading ~/ as a terminal's drag and
// drop gives them), else the code's own text; then identifies it.
func (b *uiBackend) ReadCode(_ context.Context, input string) (ui.ScanRead, error) {
	code, image := input, ""
	if path, ok := imagePath(input); ok {
		c, err := decodeImageFile(path)
		if err != nil {
			return ui.ScanRead{}, err
		}
		code, image = c, path
	}
	s := b.payer.Identify(code)
	d := s.Decision
	r := ui.ScanRead{Code: code, Image: image, Supported: d.Supported, Action: string(d.Action), URL: d.URL,
		Reason: d.Reason, Rules: s.Rules}
	if d.Supported {
		r.Rule = ruleText(d)
	}
	return r, nil
}

// imagePath reports whether input names an image file rather than being a
// code: an existing file, or a name ending in .png, .jpg or .jpeg.
func imagePath(input string) (string, bool) {
	p := strings.TrimSpace(input)
	if len(p) >= 2 && (p[0] == '\'' || p[0] == '"') && p[len(p)-1] == p[0] {
		p = p[1 : len(p)-1]
	}
	p = strings.ReplaceAll(p, `\ `, " ")
	if rest, ok := strings.CutPrefix(p, "~/"); ok {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, rest)
		}
	}
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
		return p, true
	}
	switch strings.ToLower(filepath.Ext(p)) {
	case ".png", ".jpg", ".jpeg":
		return p, true
	}
	return "", false
}

// ruleText describes the rule that decided, as identify prints it.
func ruleText(d coderules.Decision) string {
	s := d.Method
	if d.Prefix != "" {
		s += fmt.Sprintf(" %q", d.Prefix)
	}
	return fmt.Sprintf("%s, priority %d", s, d.Priority)
}

// OpenOrder asks Alipay+ for the order behind a DECODE code; a refusal
// comes back as one sentence with the acquirer's reason.
func (b *uiBackend) OpenOrder(ctx context.Context, customerID, code string) (ui.ScanOrder, error) {
	o, err := b.payer.Open(ctx, customerID, code)
	if err != nil {
		var apErr *alipayplus.Error
		switch {
		case errors.As(err, &apErr) && apErr.Status == alipayplus.StatusFail:
			return ui.ScanOrder{}, fmt.Errorf("Alipay+ refused the code: %s: %s", apErr.Code, apErr.Message)
		case errors.Is(err, alipayplus.ErrUnknown):
			return ui.ScanOrder{}, errors.New("Alipay+ did not answer; nothing was paid, try again")
		}
		return ui.ScanOrder{}, cleanErr(err)
	}
	return ui.ScanOrder{PayOrder: o.PayOrder, Previous: o.Previous}, nil
}

// PayOrder answers the order and tells Alipay+; the note says what the user
// should know beyond the payment itself.
func (b *uiBackend) PayOrder(ctx context.Context, o ui.ScanOrder, approve bool) (ui.ScanResult, error) {
	res, err := b.payer.Finish(ctx, mpm.Order{PayOrder: o.PayOrder, Previous: o.Previous}, approve)
	if err != nil {
		return ui.ScanResult{}, cleanErr(err)
	}
	var notes []string
	if res.Repeat {
		notes = append(notes, "This code was scanned before: the same payment, nothing was debited again.")
	}
	if res.Reason != "" {
		notes = append(notes, strings.ToUpper(res.Reason[:1])+res.Reason[1:]+".")
	}
	if res.NotifyErr != nil {
		notes = append(notes, "Alipay+ has not acknowledged the result yet; it learns it by inquiryPayment, and scanning the code again resends it.")
	}
	return ui.ScanResult{Payment: res.Payment, Note: strings.Join(notes, " ")}, nil
}
