package cli

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/mppwallet/mppwallet/ui/render"
)

// showStyle is one QR style selftest --show draws for the scanner.
type showStyle struct {
	name, about string
	cells       func(render.Grid) render.Cells
}

var showStyles = []showStyle{
	{qrCompact, "compact: half blocks, two module rows a text row", render.QRCells},
	{qrSeamless, "seamless: background colour only, two columns and one row a module", render.QRFullCells},
}

// selftestShow draws code in this terminal in each QR style in turn and
// asks whether the scanner read it; the first style that scanned is
// remembered for the data dir, which the app then draws (ui --qr).
func selftestShow(env *cliEnv, root, code string) error {
	g, err := render.QR(code)
	if err != nil {
		return err
	}
	in := bufio.NewReader(env.stdin)
	for _, st := range showStyles {
		fmt.Fprintf(env.stdout, "\nQR code, %s (%s):\n\n", st.name, st.about)
		fmt.Fprint(env.stdout, st.cells(g).ANSI(render.TrueColor))
		fmt.Fprintf(env.stdout, "\nThe code is %s. Did your scanner read it? [y/n] ", code)
		ok, err := askYes(in)
		if err != nil {
			return fmt.Errorf("selftest --show: no answer: %w", err)
		}
		if ok {
			if err := saveUIPrefs(root, uiPrefs{QR: st.name}); err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "Remembered: the app draws the %s QR code for %s (ui --qr or g changes it).\n", st.name, root)
			return nil
		}
	}
	fmt.Fprintln(env.stdout, "Neither QR style scanned. Try the barcode (ui --barcode), a larger window or font, "+
		"full screen brightness, and see docs/app.md on scanning.")
	return errSilentFailure
}

// askYes reads a y or n answer; anything else asks again.
func askYes(in *bufio.Reader) (bool, error) {
	for {
		line, err := in.ReadString('\n')
		switch strings.ToLower(strings.TrimSpace(line)) {
		case "y", "yes":
			return true, nil
		case "n", "no":
			return false, nil
		}
		if err != nil {
			if err == io.EOF {
				return false, io.ErrUnexpectedEOF
			}
			return false, err
		}
	}
}
