// Package testkit holds what the protocol tests share:
// the test keys under alipayplus/testdata/sign (see its README for how they
// were made), a clock that runs in real time from an offset the test
// moves, a way to fire requests all at once, and hand-made signed requests
// (Raw). It is imported by tests only.
package testkit

import (
	"crypto/rsa"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Key reads the private key named name ("private.pem", "other_private.pem",
// ...) from alipayplus/testdata/sign, failing the test if it cannot.
func Key(t testing.TB, name string) *rsa.PrivateKey {
	t.Helper()
	_, here, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("testkit: cannot locate alipayplus/testdata")
	}
	b, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "alipayplus", "testdata", "sign", name))
	if err != nil {
		t.Fatal(err)
	}
	k, err := alipayplus.ParsePrivateKey(b)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// OffsetClock is real time moved by an offset: the network's timers run in
// real time, the offset jumps validity windows. The zero value is the wall
// clock; it is safe for concurrent use.
type OffsetClock struct {
	mu     sync.Mutex
	offset time.Duration
}

// Now is the wall clock plus the offset.
func (c *OffsetClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return time.Now().Add(c.offset)
}

// Add moves the clock by d.
func (c *OffsetClock) Add(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// Parallel runs fn(i) for i in [0, n) all at once (released together, not
// in launch order) and waits for every one.
func Parallel(n int, fn func(i int)) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			fn(i)
		})
	}
	close(start)
	wg.Wait()
}
