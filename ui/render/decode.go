package render

import (
	"fmt"
	"image"
	"sync"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Kind is a symbology the harness decodes.
type Kind int

// The symbologies.
const (
	KindQR      Kind = iota // QR code
	KindBarcode             // Code 128
)

// String is "QR" or "Code 128".
func (k Kind) String() string {
	switch k {
	case KindQR:
		return "QR"
	case KindBarcode:
		return "Code 128"
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// readers are the gozxing readers, reused across calls; a reader is used by
// one goroutine at a time.
type readers struct {
	qr, code128 gozxing.Reader
}

var readerPool = sync.Pool{New: func() any {
	return &readers{qr: qrcode.NewQRCodeReader(), code128: oned.NewCode128Reader()}
}}

// decodeHints ask gozxing to try harder. ALSO_INVERTED would be ignored by
// gozxing v0.1.1, so inverted codes do not decode, as the harness wants.
var decodeHints = map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}

// Decode reads a code of the given kind from img with gozxing (QR reader or
// Code 128 reader, TRY_HARDER) and returns its text. gozxing only reads dark
// codes on a light ground.
func Decode(img image.Image, kind Kind) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	r := readerPool.Get().(*readers)
	defer readerPool.Put(r)
	var reader gozxing.Reader
	switch kind {
	case KindQR:
		reader = r.qr
	case KindBarcode:
		reader = r.code128
	default:
		return "", fmt.Errorf("cannot decode %v", kind)
	}
	res, err := reader.Decode(bmp, decodeHints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}
