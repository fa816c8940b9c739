package bench

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"runtime"
	"time"
)

// SignRate is one core's raw RSA-2048 signing rate.
type SignRate struct {
	// PerSec is signatures per second of CPU time of the signing thread:
	// what a core does when it runs the loop, whoever else wants the
	// machine. It is the wall-clock rate where thread CPU time is unknown.
	PerSec float64
	// WallPerSec is signatures per second of wall-clock time, lower than
	// PerSec when other programs took the core from the loop.
	WallPerSec float64
}

// MeasureSignRate signs SHA256withRSA (PKCS#1 v1.5) with key, one signature
// after the other on one goroutine locked to its thread, for about d. It
// bypasses alipayplus.Sign, so the signatures are not counted as the
// network's.
func MeasureSignRate(key *rsa.PrivateKey, d time.Duration) (SignRate, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	body := make([]byte, 900) // about a pay request
	n := 0
	cpu0, start := threadCPU(), time.Now()
	for {
		body[n%len(body)]++
		digest := sha256.Sum256(body)
		if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
			return SignRate{}, err
		}
		n++
		if el := time.Since(start); el >= d && n >= 10 {
			r := SignRate{WallPerSec: float64(n) / el.Seconds()}
			r.PerSec = r.WallPerSec
			if cpu := threadCPU() - cpu0; cpu0 >= 0 && cpu > 0 {
				r.PerSec = float64(n) / cpu.Seconds()
			}
			return r, nil
		}
	}
}

// ParallelSignRate runs the same loop on workers goroutines at once and
// returns their summed wall-clock rate: what the machine gives while the
// benchmark runs (less than workers × PerSec when others use the cores).
func ParallelSignRate(key *rsa.PrivateKey, workers int, d time.Duration) (perSec float64, err error) {
	type res struct {
		rate SignRate
		err  error
	}
	ch := make(chan res, workers)
	for range workers {
		go func() {
			r, err := MeasureSignRate(key, d)
			ch <- res{r, err}
		}()
	}
	for range workers {
		r := <-ch
		if r.err != nil {
			err = r.err
		}
		perSec += r.rate.WallPerSec
	}
	return perSec, err
}
