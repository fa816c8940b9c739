// Package render draws payment and order codes so that real scanners read
// them at the first try on any terminal theme.
//
// A code is first a module matrix ([Grid]) with its quiet zone: [QR] (level
// Q, 4-module quiet zone) or [Barcode] (Code 128, set C for digits, 10-module
// quiet zones). A layout then turns the grid into terminal [Cells], each a
// glyph with an explicit black or white foreground and background:
//
//   - [QRCells]: half blocks, two module rows per text row ("▀", fg = top
//     module, bg = bottom module); the default for QR codes.
//   - [QRFullCells]: two background-only columns per module and one text row
//     per module; the fallback for terminals whose line spacing shows between
//     half blocks.
//   - [BarcodeCells]: Code 128 at two modules per column ("▌" where the two
//     modules differ) or one module per column (background only).
//
// The same Cells feed the TUI and the CLI: [Cells.ANSI] and [Cells.Lines]
// print them for a [Profile] (truecolor by default, 256 colours, or no colour
// at all with glyphs chosen for the theme's polarity), and [Fit] says when a
// layout does not fit the window instead of letting it be clipped:
//
//	g, err := render.QR(code)
//	if err != nil {
//		return err
//	}
//	cells := render.QRCells(g)
//	if err := render.Fit(cells, width, height); err != nil {
//		return err // a *FitError with the size needed
//	}
//	fmt.Print(cells.ANSI(render.TrueColor))
//
// The scannability harness draws Cells the way a terminal would
// ([Rasterize], for a [Geometry]: cell size, line gap, page background) and
// reads them back with gozxing ([Decode]). [SelfTest] runs every layout at
// every [DefaultGeometries] entry, with an inverted control that must not
// decode, and [Report] prints the verdict table used by "mppwallet selftest".
package render
