package render

import "fmt"

// FitError says that a layout does not fit the space given, and how much it
// needs, so the UI can say so instead of drawing a clipped code.
type FitError struct {
	NeedWidth, NeedHeight int // the layout's size in cells
	Width, Height         int // the space available
}

// Error implements error.
func (e *FitError) Error() string {
	return fmt.Sprintf("code needs %d×%d cells but only %d×%d are available", e.NeedWidth, e.NeedHeight, e.Width, e.Height)
}

// Fit returns a *FitError when c is wider than width or taller than height.
func Fit(c Cells, width, height int) error {
	if c.Width() > width || c.Height() > height {
		return &FitError{NeedWidth: c.Width(), NeedHeight: c.Height(), Width: width, Height: height}
	}
	return nil
}
