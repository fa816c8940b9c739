package render

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"

	qrcode "github.com/skip2/go-qrcode"
)

// QuietZone is the number of light modules around a QR code.
const QuietZone = 4

// Grid is a matrix of modules, quiet zone included; true is dark. A QR grid
// is square; a barcode grid has a single row.
type Grid struct {
	Modules [][]bool
}

// QR encodes text at error-correction level Q (Alipay+'s guidance), with a
// 4-module quiet zone. A 24-digit payment code is a version 1 symbol (21×21
// modules, 29×29 with the quiet zone).
func QR(text string) (Grid, error) {
	q, err := qrcode.New(text, qrcode.High) // skip2's High is level Q (25%)
	if err != nil {
		return Grid{}, fmt.Errorf("cannot encode a QR code: %w", err)
	}
	q.DisableBorder = true
	bm := q.Bitmap()
	n := len(bm) + 2*QuietZone
	g := Grid{Modules: make([][]bool, n)}
	for y := range g.Modules {
		g.Modules[y] = make([]bool, n)
	}
	for y, row := range bm {
		for x, dark := range row {
			g.Modules[y+QuietZone][x+QuietZone] = dark
		}
	}
	return g, nil
}

// Size is the grid's width and height in modules.
func (g Grid) Size() (w, h int) {
	if len(g.Modules) == 0 {
		return 0, 0
	}
	return len(g.Modules[0]), len(g.Modules)
}

// dark reports whether the module at (x, y) is dark; modules outside the
// grid are light, like the quiet zone.
func (g Grid) dark(x, y int) bool {
	if y < 0 || y >= len(g.Modules) || x < 0 || x >= len(g.Modules[y]) {
		return false
	}
	return g.Modules[y][x]
}

// HalfBlocks draws two module rows per terminal row with "▀": the upper
// module is the foreground, the lower the background, both explicit
// truecolor black or white. It is w columns by ceil(h/2) rows; every line
// ends with a reset and a newline. It is QRCells(g).ANSI(TrueColor).
func (g Grid) HalfBlocks() string {
	return QRCells(g).ANSI(TrueColor)
}

// Image draws the grid with scale pixels per module.
func (g Grid) Image(scale int) image.Image {
	if scale < 1 {
		scale = 1
	}
	w, h := g.Size()
	img := image.NewGray(image.Rect(0, 0, w*scale, h*scale))
	for y := 0; y < h*scale; y++ {
		for x := 0; x < w*scale; x++ {
			c := color.Gray{Y: 255}
			if g.Modules[y/scale][x/scale] {
				c = color.Gray{Y: 0}
			}
			img.SetGray(x, y, c)
		}
	}
	return img
}

// PNG encodes Image(scale) as PNG.
func (g Grid) PNG(scale int) ([]byte, error) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, g.Image(scale)); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
