package ui

import (
	"time"

	"github.com/mppwallet/mppwallet/ui/render"
	"github.com/mppwallet/mppwallet/wallet"
)

// Shown is what the app shows of the payment code right now: the code drawn
// on the Pay screen, or which screen is open instead. A test rig compares
// it with what a scanner reads off the screen (Config.OnShown).
type Shown struct {
	// CustomerID is the user whose app it is.
	CustomerID string
	// Screen names the screen open: "pay", "confirm", "result", "home",
	// "history", "users", "inspector", "overrides", "calibration", "scan".
	Screen string
	// Code is the payment code drawn; its Value is empty when none is (on
	// another screen, before the first codes arrive, offline, or in a
	// window too small to draw it).
	Code wallet.PaymentCode
	// Format is how the Pay screen draws the code: "qr" or "barcode".
	Format string
	// Note says why the Pay screen draws no code; empty otherwise.
	Note string
	// Since is when the app began to show this.
	Since time.Time
}

// The formats of Shown.
const (
	FormatQR      = "qr"
	FormatBarcode = "barcode"
)

// screenNames are the pages as Shown names them.
var screenNames = map[page]string{pageCode: "pay", pageConfirm: "confirm", pageResult: "result", pageHistory: "history",
	pageUsers: "users", pageInspector: "inspector", pageOverrides: "overrides", pageHome: "home",
	pageCalibrate: "calibration", pageScan: "scan"}

// same reports whether two reports show the same thing, whenever they
// began.
func (s Shown) same(o Shown) bool {
	s.Since = o.Since
	return s == o
}

// Shown is what the app shows now (Since: now).
func (m App) Shown() Shown {
	s := Shown{CustomerID: m.cfg.CustomerID, Screen: screenNames[m.page], Format: FormatQR, Since: m.cfg.Now()}
	if m.code.barcode {
		s.Format = FormatBarcode
	}
	if m.page == pageCode {
		s.Code, s.Note = m.code.onScreen()
	}
	return s
}

// reportShown tells Config.OnShown what the app shows when that changed
// with the last update. It runs after every update, so the report follows
// the screen within the same frame.
func (m App) reportShown() App {
	if m.cfg.OnShown == nil {
		return m
	}
	s := m.Shown()
	if s.same(m.shown) {
		return m
	}
	m.shown = s
	m.cfg.OnShown(s)
	return m
}

// onScreen is the code the screen draws, or why it draws none: what View
// decides, without the text.
func (s payCodeScreen) onScreen() (wallet.PaymentCode, string) {
	c, ok := s.current()
	switch {
	case ok:
	case s.fetchErr != nil:
		return wallet.PaymentCode{}, "no valid code: " + s.fetchErr.Error()
	case s.fetching || !s.everFetched:
		return wallet.PaymentCode{}, "fetching payment codes"
	default:
		return wallet.PaymentCode{}, "no valid code right now; fetching new ones"
	}
	_, drawn := s.draw(c.Value)
	if drawn.err != nil {
		return wallet.PaymentCode{}, drawn.err.Error()
	}
	if render.Fit(drawn.cells, s.width, s.room()) != nil {
		return wallet.PaymentCode{}, "the window is too small for the code"
	}
	return c, ""
}
