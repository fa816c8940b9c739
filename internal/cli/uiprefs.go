package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mppwallet/mppwallet/internal/atomicfile"
	"github.com/mppwallet/mppwallet/ui"
)

// uiPrefsFile is where a data dir remembers how its app draws the QR code.
const uiPrefsFile = "ui-prefs.json"

// The QR styles of ui --qr and selftest --show.
const (
	qrCompact  = "compact"
	qrSeamless = "seamless"
)

// uiPrefs is what the app remembers for a data dir: the QR style the user
// last chose (g in the app, ui --qr, or selftest --show).
type uiPrefs struct {
	QR string `json:"qr,omitempty"`
}

// checkQRStyle refuses a --qr value that is neither style.
func checkQRStyle(cmd, v string) error {
	switch v {
	case "", qrCompact, qrSeamless:
		return nil
	}
	return usagef(cmd, "--qr %q: want compact or seamless", v)
}

// loadUIPrefs reads DATA/ui-prefs.json; a missing or unreadable file is
// the defaults (the file only remembers a choice, it holds no data).
func loadUIPrefs(root string) uiPrefs {
	var p uiPrefs
	b, err := os.ReadFile(filepath.Join(root, uiPrefsFile))
	if err != nil || json.Unmarshal(b, &p) != nil || checkQRStyle("", p.QR) != nil {
		return uiPrefs{}
	}
	return p
}

// saveUIPrefs writes DATA/ui-prefs.json atomically.
func saveUIPrefs(root string, p uiPrefs) error {
	b, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(root, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := atomicfile.Write(filepath.Join(root, uiPrefsFile), append(b, '\n'), 0o600); err != nil {
		return fmt.Errorf("cannot remember the QR style: %w", err)
	}
	return nil
}

// uiDisplay is how the app draws: the QR style given (--qr), else the one
// the data dir remembers, else seamless where the terminal is known to
// leave seams (seams says why), else compact; and it remembers what the
// user switches to with g.
func uiDisplay(root, qr string, present bool, seams string) ui.Display {
	if qr == "" {
		qr = loadUIPrefs(root).QR
	}
	d := ui.Display{Seamless: qr == qrSeamless, Present: present, OnSeamless: func(seamless bool) {
		style := qrCompact
		if seamless {
			style = qrSeamless
		}
		_ = saveUIPrefs(root, uiPrefs{QR: style}) // a choice not remembered loses nothing shown
	}}
	if qr == "" && seams != "" {
		d.Seamless, d.SeamsNote = true, seams
	}
	return d
}

// terminalSeams says why the terminal the app runs in draws the compact
// QR with seams, from what the terminal puts in the environment, or ""
// when it is not known to. Measured under Xvfb (internal/xshot): xterm
// draws half blocks from its font and leaves seams with DejaVu and Noto
// Sans Mono at 14 px, with or without extra line height; st does with
// Noto Sans Mono; urxvt draws them itself and never does.
func terminalSeams(getenv func(string) string) string {
	term := getenv("TERM")
	switch {
	case getenv("XTERM_VERSION") != "":
		return "xterm's half blocks leave seams"
	case term == "st" || strings.HasPrefix(term, "st-"):
		return "st's half blocks leave seams in some fonts"
	}
	return ""
}
