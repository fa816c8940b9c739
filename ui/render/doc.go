// Package render draws payment and order codes so real scanners read them:
// a module matrix (QR now; Code 128 with the TUI) with its quiet zone, as
// terminal cells in explicit black on white whatever the theme, or as an
// image. The TUI, the merchant tools and the self-test share it.
package render
