// Package ui is the wallet app: a Bubble Tea v2 program that shows the
// user's rotating payment code (QR or Code 128, drawn so scanners read it
// whatever the theme) and the payment result page the moment the wallet
// server's pay callback lands. It talks to the rest of the program through
// the small Backend interface and a channel of wallet events.
package ui
