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
	// PerSec is signatures per second of CPU time of the signing thread
	// (the wall clock's where thread CPU time is unknown): what a core
	// does when it runs the loop, whoever else wants the machine.
	PerSec float64
	// WallPerSec is signatures per second of wall-clock time, lower than
	// PerSec when other programs took the core from the loop.
	WallPerSec float64
}

// signSamples is how many slices MeasureSignRate cuts its time into.
const signSamples = 5

// MeasureSignRate signs SHA256withRSA (PKCS#1 v1.5) with key, one signature
// after the other on one goroutine locked to its thread, for about d, in
// signSamples slices. PerSec is the fastest slice by the thread's CPU
// time: other programs can only slow the loop down (a busy sibling
// hyperthread or cache makes even its CPU time slower), so the fastest
// slice is the nearest to what the core can do. WallPerSec is the whole
// run by the clock. It bypasses alipayplus.Sign, so these signatures are
// not counted as the network's.
func MeasureSignRate(key *rsa.PrivateKey, d time.Duration) (SignRate, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	body := make([]byte, 900) // about a pay request
	var r SignRate
	total, start := 0, time.Now()
	for range signSamples {
		n := 0
		cpu0, t0 := threadCPU(), time.Now()
		for n < 3 || time.Since(t0) < d/signSamples {
			body[n%len(body)]++
			digest := sha256.Sum256(body)
			if _, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:]); err != nil {
				return SignRate{}, err
			}
			n++
		}
		rate := float64(n) / time.Since(t0).Seconds()
		if cpu := threadCPU() - cpu0; cpu0 >= 0 && cpu > 0 {
			rate = float64(n) / cpu.Seconds()
		}
		r.PerSec = max(r.PerSec, rate)
		total += n
	}
	r.WallPerSec = float64(total) / time.Since(start).Seconds()
	return r, nil
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
