package xshot

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// A terminal is an X terminal emulator the test runs the app in.
type terminal struct {
	name    string
	bins    []string // binary names, the first found is used
	pkg     string   // Debian package
	extra   string   // how it adds line height, "" when it cannot at run time
	argv    func(font string, extra bool, cols, rows int) []string
	fontArg func(font string) string
}

var terminals = []terminal{
	{name: "xterm", bins: []string{"xterm"}, pkg: "xterm", extra: "scaleHeight 1.2",
		argv: func(font string, extra bool, cols, rows int) []string {
			a := []string{"-geometry", fmt.Sprintf("%dx%d+0+0", cols, rows), "-fa", font, "-fs", "14",
				"-bg", "black", "-fg", "white", "-tn", "xterm-256color", "+sb", "-bw", "0"}
			if extra {
				a = append(a, "-xrm", "XTerm*scaleHeight: 1.2")
			}
			return append(a, "-e")
		}},
	// st has no run-time line-height option (it is chscale in config.h).
	{name: "st", bins: []string{"st", "stterm"}, pkg: "stterm",
		argv: func(font string, extra bool, cols, rows int) []string {
			return []string{"-g", fmt.Sprintf("%dx%d+0+0", cols, rows), "-f", font + ":pixelsize=14", "-e"}
		}},
	{name: "urxvt", bins: []string{"urxvt", "rxvt-unicode"}, pkg: "rxvt-unicode", extra: "-lsp 2",
		argv: func(font string, extra bool, cols, rows int) []string {
			a := []string{"-geometry", fmt.Sprintf("%dx%d+0+0", cols, rows), "-fn", "xft:" + font + ":pixelsize=14",
				"-bg", "black", "-fg", "white", "+sb", "-b", "0"}
			if extra {
				a = append(a, "-lsp", "2")
			}
			return append(a, "-e")
		}},
}

var fonts = []string{"DejaVu Sans Mono", "Noto Sans Mono"}

// A mode is one way the app draws the code.
type mode struct {
	name       string
	qr         bool
	flags      []string
	cols, rows int
}

// The compact QR is drawn at one column and half a row per module only when
// the window is too small for the doubled size, so it gets 100x30; the
// seamless one needs 29 rows for the code.
var modes = []mode{
	{name: "compact QR", qr: true, flags: []string{"--qr", "compact"}, cols: 100, rows: 30},
	{name: "seamless QR", qr: true, flags: []string{"--qr", "seamless"}, cols: 100, rows: 40},
	{name: "Code 128", flags: []string{"--barcode"}, cols: 100, rows: 30},
	// No --qr: what a tester gets at first, seamless where the terminal is
	// known to leave seams (xterm, st), compact elsewhere.
	{name: "default", qr: true, cols: 100, rows: 40},
}

// compactScans says where the compact (half-block) QR is expected to scan,
// by "terminal/font/line height", as measured: it does not where the font's
// half blocks do not split the cell at its middle or extra line height leaves
// seams between rows. A case not listed is expected to scan.
var compactFails = map[string]bool{
	"xterm/DejaVu Sans Mono/normal":          true,
	"xterm/DejaVu Sans Mono/scaleHeight 1.2": true,
	"xterm/Noto Sans Mono/normal":            true,
	"xterm/Noto Sans Mono/scaleHeight 1.2":   true,
	"st/Noto Sans Mono/normal":               true,
}

// result is one screenshot's verdict.
type result struct {
	term, font, height, mode string
	gozxing, zbar            string // "ok", "FAIL", "-" (not run)
	gozxingScale             string // "1/2", "1/3": read only on the image scaled down
	want                     bool   // expected to decode
	png, err                 string
}

func TestScreenshotsDecode(t *testing.T) {
	xvfb := lookTool("Xvfb")
	shot := lookTool("import")
	if xvfb == "" || shot == "" {
		msg := "no Xvfb or ImageMagick import: install the Debian packages " + debianPackages
		if required() {
			t.Fatal(msg + " (MPPWALLET_XSHOT=require)")
		}
		t.Skip(msg)
	}
	zbar := lookTool("zbarimg")
	if zbar == "" && required() {
		t.Fatal("no zbarimg: install zbar-tools (MPPWALLET_XSHOT=require)")
	}
	type found struct {
		terminal
		bin string
	}
	var terms []found
	for _, tm := range terminals {
		if bin := lookTool(tm.bins...); bin != "" {
			terms = append(terms, found{tm, bin})
		} else if required() {
			t.Errorf("no %s: install the Debian package %s (MPPWALLET_XSHOT=require)", tm.name, tm.pkg)
		} else {
			t.Logf("skipping %s: not installed (Debian package %s)", tm.name, tm.pkg)
		}
	}
	if len(terms) == 0 {
		t.Skip("no X terminal installed: install the Debian packages " + debianPackages)
	}
	if out, err := exec.Command("fc-list").Output(); err == nil {
		for _, f := range fonts {
			if !strings.Contains(string(out), f) {
				if required() {
					t.Errorf("font %s missing: install fonts-dejavu-core fonts-noto-mono", f)
				} else {
					t.Logf("font %s missing: the terminal will fall back to another", f)
				}
			}
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 150*time.Second)
	defer cancel()
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "mppwallet")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "github.com/mppwallet/mppwallet")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	keep := os.Getenv("MPPWALLET_XSHOT_DIR")

	var (
		mu      sync.Mutex
		results []result
		wg      sync.WaitGroup
		sem     = make(chan struct{}, parallel())
	)
	for _, tm := range terms {
		for _, font := range fonts {
			heights := []bool{false}
			if tm.extra != "" {
				heights = append(heights, true)
			}
			for _, extra := range heights {
				height := "normal"
				if extra {
					height = tm.extra
				}
				for _, m := range modes {
					r := result{term: tm.name, font: font, height: height, mode: m.name, want: true}
					if m.name == "compact QR" && compactFails[tm.name+"/"+font+"/"+height] {
						r.want = false
					}
					dir := filepath.Join(tmp, strings.NewReplacer(" ", "_", "/", "_").Replace(
						tm.name+"-"+font+"-"+height+"-"+m.name))
					argv := append(tm.argv(font, extra, m.cols, m.rows), bin, "ui", "--data", filepath.Join(dir, "data"))
					argv = append(argv, m.flags...)
					wg.Add(1)
					go func() {
						defer wg.Done()
						sem <- struct{}{}
						defer func() { <-sem }()
						shotOne(t, ctx, xvfb, shot, zbar, tm.bin, argv, dir, m.qr, &r)
						if keep != "" || r.scans() != r.want || r.err != "" {
							r.png = savePNG(t, r, dir, keep)
						}
						mu.Lock()
						results = append(results, r)
						mu.Unlock()
					}()
				}
			}
		}
	}
	wg.Wait()
	slices.SortFunc(results, func(a, b result) int {
		return strings.Compare(a.term+a.font+a.height+a.mode, b.term+b.font+b.height+b.mode)
	})
	var tab strings.Builder
	fmt.Fprintf(&tab, "\n%-6s %-17s %-16s %-12s %-8s %-5s %s\n", "term", "font", "line height", "mode", "gozxing", "zbar", "expected")
	for _, r := range results {
		want := "scans"
		if !r.want {
			want = "seams: no scan"
		}
		fmt.Fprintf(&tab, "%-6s %-17s %-16s %-12s %-8s %-5s %s\n", r.term, r.font, r.height, r.mode, r.gozxing+" "+r.gozxingScale, r.zbar, want)
	}
	t.Log(tab.String())
	for _, r := range results {
		name := r.term + " / " + r.font + " / " + r.height + " / " + r.mode
		switch {
		case r.err != "":
			t.Errorf("%s: %s (screenshot %s)", name, r.err, r.png)
		case r.want && !r.scans():
			t.Errorf("%s: does not decode (gozxing %s, zbar %s); screenshot %s", name, r.gozxing, r.zbar, r.png)
		case !r.want && r.scans():
			t.Errorf("%s: expected not to scan (seams), now both decoders read it: update compactFails; screenshot %s", name, r.png)
		}
	}
}

// scans is the verdict: gozxing read the code (at full size or scaled
// down) and so did zbar where it is installed. A code only one decoder
// reads is not one a tester can count on.
func (r result) scans() bool { return r.gozxing == "ok" && r.zbar != "FAIL" }

// savePNG copies a case's screenshot where it will be kept: keepDir, or a
// dir under the test's temp dir that is logged.
func savePNG(t *testing.T, r result, dir, keepDir string) string {
	src := filepath.Join(dir, "shot.png")
	if keepDir == "" {
		return src + " (removed with the test's temp dir; set MPPWALLET_XSHOT_DIR to keep it)"
	}
	_ = os.MkdirAll(keepDir, 0o755)
	dst := filepath.Join(keepDir, filepath.Base(dir)+".png")
	b, err := os.ReadFile(src)
	if err != nil || os.WriteFile(dst, b, 0o644) != nil {
		return src
	}
	return dst
}

// shotOne runs one terminal with the app on its own X server, waits for the
// code, screenshots the screen and decodes it, filling r.
func shotOne(t *testing.T, ctx context.Context, xvfb, shot, zbar, termBin string, argv []string, dir string, qr bool, r *result) {
	r.gozxing, r.zbar = "FAIL", "-"
	if err := os.MkdirAll(filepath.Join(dir, "data"), 0o755); err != nil {
		r.err = err.Error()
		return
	}
	dataDir := filepath.Join(dir, "data")
	display, stopX, xlog, err := startXvfb(ctx, xvfb)
	if err != nil {
		r.err = err.Error()
		return
	}
	defer stopX()
	if err := waitDisplay(ctx, display); err != nil {
		r.err = err.Error() + "; Xvfb said: " + xlog()
		return
	}
	term := exec.CommandContext(ctx, termBin, argv...)
	term.Env = append(os.Environ(), "DISPLAY="+display, "MPPWALLET_DATA="+dataDir)
	term.Env = slices.DeleteFunc(term.Env, func(s string) bool {
		return strings.HasPrefix(s, "NO_COLOR=") || strings.HasPrefix(s, "MPPWALLET_QR=") ||
			strings.HasPrefix(s, "MPPWALLET_BARCODE=") || strings.HasPrefix(s, "MPPWALLET_PRESENT=") ||
			strings.HasPrefix(s, "XTERM_VERSION=")
	})
	term.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	logf, _ := os.Create(filepath.Join(dir, "terminal.log"))
	term.Stdout, term.Stderr = logf, logf
	if err := term.Start(); err != nil {
		r.err = "start " + termBin + ": " + err.Error()
		return
	}
	defer func() {
		killGroup(term)
		logf.Close()
		// The app runs in the terminal's own session: it ends with the
		// terminal's hangup; this makes sure.
		if s, ok := readShown(dataDir); ok && s.PID > 0 {
			_ = syscall.Kill(s.PID, syscall.SIGKILL)
		}
	}()

	wantFormat := "QR"
	if !qr {
		wantFormat = "BARCODE"
	}
	// Every code the app says it showed: the terminal may paint a code a
	// moment after the app moves on to the next (codes rotate every 30 s).
	seen := watchShown(ctx, dataDir)
	defer seen.stop()
	deadline := time.Now().Add(40 * time.Second)
	var s shown
	for {
		var ok bool
		if s, ok = readShown(dataDir); ok && strings.EqualFold(s.Format, wantFormat) {
			break
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			log, _ := os.ReadFile(filepath.Join(dir, "terminal.log"))
			r.err = fmt.Sprintf("no %s code in run/ui.json after 40 s (shown %+v); terminal log: %s", wantFormat, s, log)
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	png := filepath.Join(dir, "shot.png")
	// The terminal paints after the app writes run/ui.json: try a few
	// screenshots before calling it a failure.
	for try := 0; try < 4; try++ {
		time.Sleep(400 * time.Millisecond)
		sctx, cancel := context.WithTimeout(ctx, 15*time.Second)
		out, err := exec.CommandContext(sctx, shot, "-display", display, "-window", "root", "png:"+png).CombinedOutput()
		cancel()
		if err != nil {
			r.err = fmt.Sprintf("screenshot: %v: %s", err, out)
			return
		}
		codes := seen.codes()
		img, err := pngFile(png)
		if err != nil {
			r.err = "read screenshot: " + err.Error()
			return
		}
		// Full size, then a half and a third (a camera further away).
		for k := 1; k <= 3 && r.gozxing != "ok"; k++ {
			in := img
			if k > 1 {
				in = halve(img, k)
			}
			if text, err := gozxingDecode(in, qr); err == nil {
				if !slices.Contains(codes, text) {
					r.err = fmt.Sprintf("gozxing read %q, the app shows %v", text, codes)
					return
				}
				r.gozxing = "ok"
				if k > 1 {
					r.gozxingScale = fmt.Sprintf("1/%d", k)
				}
			}
		}
		if zbar != "" {
			r.zbar = "FAIL"
			texts, err := zbarDecode(ctx, zbar, png, qr)
			if err != nil {
				r.err = "zbarimg: " + err.Error()
				return
			}
			for _, text := range texts {
				if !slices.Contains(codes, text) {
					r.err = fmt.Sprintf("zbar read %q, the app shows %v", text, codes)
					return
				}
				r.zbar = "ok"
			}
		}
		if r.gozxing == "ok" && r.zbar != "FAIL" {
			return
		}
	}
}
