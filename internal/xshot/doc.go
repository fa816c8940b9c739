// Package xshot holds the end-to-end screenshot test: the real binary's app
// runs in real X terminals (xterm, st, urxvt) under Xvfb, with DejaVu Sans
// Mono and Noto Sans Mono, with and without extra line height; each screen
// is captured as a PNG and decoded with gozxing and zbar (where installed),
// for the compact QR, the seamless QR and Code 128, and the decoded text is
// compared with the code the app says it shows (run/ui.json).
//
// The test skips, naming the Debian packages, where Xvfb or no terminal is
// installed, unless MPPWALLET_XSHOT=require (set by .ci/run), where a missing
// tool fails it. MPPWALLET_XSHOT_DIR keeps every screenshot in that dir.
// See docs/development.md, "The screenshot test".
package xshot
