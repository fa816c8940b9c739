package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// fxRatesPath is where a data dir may keep FX rates that override the
// simulator's built-in table, for every simulator on the data dir (the
// app's embedded one included).
func (d dataDir) fxRatesPath() string { return filepath.Join(d.root, "fx-rates.json") }

// loadFX is the simulator's FX table: the built-in one, then the data
// dir's fx-rates.json when there is one, then the file given with
// --fx-rates ("" for none).
func loadFX(d dataDir, flagFile string) (*simulator.FX, error) {
	fx := simulator.DefaultFX()
	for _, path := range []string{d.fxRatesPath(), flagFile} {
		if path == "" {
			continue
		}
		raw, err := os.ReadFile(path)
		if errors.Is(err, os.ErrNotExist) && path == d.fxRatesPath() {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("cannot read the FX rates: %w", err)
		}
		if fx, err = fx.With(raw); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
	}
	return fx, nil
}

// checkFXFile reads an --fx-rates file before anything else is done, so a
// bad one is a usage error that changes nothing.
func checkFXFile(path string) error {
	if path == "" {
		return nil
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		return usagef("sim", "--fx-rates: %v", unwrapPathError(err))
	}
	if _, err := simulator.DefaultFX().With(raw); err != nil {
		return usagef("sim", "--fx-rates %s: %v", path, err)
	}
	return nil
}
