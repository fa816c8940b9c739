package xshot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"image"
	_ "image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/oned"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// debianPackages are what the test needs on Debian.
const debianPackages = "xvfb xterm stterm rxvt-unicode fonts-dejavu-core fonts-noto-mono imagemagick x11-apps zbar-tools xdotool"

// required is true under MPPWALLET_XSHOT=require: a missing tool fails.
func required() bool { return os.Getenv("MPPWALLET_XSHOT") == "require" }

// lookTool finds the first of names on PATH, or "".
func lookTool(names ...string) string {
	for _, n := range names {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	return ""
}

// pngFile reads a PNG.
func pngFile(path string) (image.Image, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	return img, err
}

// gozxingDecode reads a QR (qr true) or a Code 128 from img with TRY_HARDER
// and the hybrid binarizer.
func gozxingDecode(img image.Image, qr bool) (string, error) {
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		return "", err
	}
	hints := map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_TRY_HARDER: true}
	var r gozxing.Reader = oned.NewCode128Reader()
	if qr {
		r = qrcode.NewQRCodeReader()
	}
	res, err := r.Decode(bmp, hints)
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// zbarDecode runs zbarimg on a PNG and returns the texts it read.
func zbarDecode(ctx context.Context, zbar, path string, qr bool) ([]string, error) {
	sym := "-Scode128.enable"
	if qr {
		sym = "-Sqrcode.enable"
	}
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, zbar, "--raw", "-q", "-Sdisable", sym, path).Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) && ee.ExitCode() == 4 {
		return nil, nil // no code found
	}
	if err != nil {
		return nil, err
	}
	return strings.Fields(string(out)), nil
}

// shown is what the app says it draws (DATA/run/ui.json).
type shown struct {
	PID         int    `json:"pid"`
	PaymentCode string `json:"paymentCode"`
	Format      string `json:"format"`
	Screen      string `json:"screen"`
}

func readShown(dataDir string) (shown, bool) {
	var s shown
	b, err := os.ReadFile(filepath.Join(dataDir, "run", "ui.json"))
	if err != nil || json.Unmarshal(b, &s) != nil || s.PaymentCode == "" {
		return s, false
	}
	return s, true
}

// xvfbStart serialises the X servers' choice of display; nextDisplay is
// the next number to try: numbers are never reused within a run, so a
// server killed a moment ago (whose socket may linger) is never in the way.
var (
	xvfbStart   sync.Mutex
	nextDisplay = 100
)

// startXvfb starts an X server on a display no other server holds and
// waits for it to listen; log is what the server has said.
func startXvfb(ctx context.Context, xvfb string) (display string, stop func(), log func() string, err error) {
	xvfbStart.Lock()
	defer xvfbStart.Unlock()
	var last string
	for try := 0; try < 20; try++ {
		n := nextDisplay
		nextDisplay++
		if exists(fmt.Sprintf("/tmp/.X%d-lock", n)) || exists(fmt.Sprintf("/tmp/.X11-unix/X%d", n)) {
			continue
		}
		display = fmt.Sprintf(":%d", n)
		cmd := exec.CommandContext(ctx, xvfb, display, "-screen", "0", "1400x1100x24", "-nolisten", "tcp")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		stderr := &lockedBuffer{}
		cmd.Stderr = stderr
		if err := cmd.Start(); err != nil {
			return "", nil, nil, fmt.Errorf("Xvfb: %v", err)
		}
		exited := make(chan struct{})
		go func() { _ = cmd.Wait(); close(exited) }()
		stop = func() {
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-exited:
			case <-time.After(3 * time.Second):
				_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
				<-exited
			}
		}
		socket := fmt.Sprintf("/tmp/.X11-unix/X%d", n)
		deadline := time.After(20 * time.Second)
	wait:
		for !exists(socket) {
			select {
			case <-exited:
				last = stderr.String()
				break wait
			case <-deadline:
				stop()
				return "", nil, nil, fmt.Errorf("Xvfb %s did not listen in 20 s: %s", display, stderr.String())
			case <-time.After(20 * time.Millisecond):
			}
		}
		select {
		case <-exited: // lost the display to another server: the next one
			last = stderr.String()
			continue
		default:
		}
		return display, stop, stderr.String, nil
	}
	return "", nil, nil, fmt.Errorf("Xvfb found no free display: %s", last)
}

// exists reports whether path exists.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}

// killGroup ends a process started with Setpgid and its group, then reaps it.
func killGroup(cmd *exec.Cmd) {
	if cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// halve box-filters img down by k in both directions (a camera further
// away): gozxing misreads some screenshots at full resolution whose modules
// are a pixel taller than wide, and reads them at a lower one.
func halve(img image.Image, k int) image.Image {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx()/k, b.Dy()/k))
	for y := 0; y < out.Rect.Dy(); y++ {
		for x := 0; x < out.Rect.Dx(); x++ {
			var sum uint32
			for dy := 0; dy < k; dy++ {
				for dx := 0; dx < k; dx++ {
					r, g, bl, _ := img.At(b.Min.X+x*k+dx, b.Min.Y+y*k+dy).RGBA()
					sum += (299*r + 587*g + 114*bl) / 1000 >> 8
				}
			}
			out.Pix[y*out.Stride+x] = uint8(sum / uint32(k*k))
		}
	}
	return out
}

// waitDisplay waits until display accepts clients (xdotool, else xset,
// else a short pause).
func waitDisplay(ctx context.Context, display string) error {
	probe := lookTool("xdotool")
	args := []string{"getdisplaygeometry"}
	if probe == "" {
		probe, args = lookTool("xset"), []string{"q"}
	}
	if probe == "" {
		time.Sleep(time.Second)
		return nil
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		cmd := exec.CommandContext(ctx, probe, args...)
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		err := cmd.Run()
		if err == nil {
			return nil
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return fmt.Errorf("X display %s does not answer after 15 s: %v", display, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// parallel is how many cases run at once: MPPWALLET_XSHOT_PARALLEL, else
// one per core (each case is an X server, a terminal and the app with its
// embedded simulator).
func parallel() int {
	if n, err := strconv.Atoi(os.Getenv("MPPWALLET_XSHOT_PARALLEL")); err == nil && n > 0 {
		return n
	}
	return max(runtime.NumCPU(), 1)
}

// shownCodes collects every payment code a data dir's app says it showed.
type shownCodes struct {
	mu   sync.Mutex
	seen []string
	stop func()
}

// watchShown reads DATA/run/ui.json every 50 ms until stop.
func watchShown(ctx context.Context, dataDir string) *shownCodes {
	ctx, cancel := context.WithCancel(ctx)
	w := &shownCodes{}
	done := make(chan struct{})
	w.stop = func() { cancel(); <-done }
	go func() {
		defer close(done)
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if s, ok := readShown(dataDir); ok {
				w.mu.Lock()
				if !slices.Contains(w.seen, s.PaymentCode) {
					w.seen = append(w.seen, s.PaymentCode)
				}
				w.mu.Unlock()
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return w
}

// codes is every code seen so far.
func (w *shownCodes) codes() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.seen)
}

// lockedBuffer is a bytes.Buffer a process writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
