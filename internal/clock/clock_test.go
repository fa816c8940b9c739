package clock_test

import (
	"sync"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/internal/clock"
)

// TestManualMovesOnlyWhenTold: the clock stands still until Add, and
// concurrent moves all count.
func TestManualMovesOnlyWhenTold(t *testing.T) {
	start := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	c := clock.New(start)
	if !c.Now().Equal(start) || !c.Now().Equal(start) {
		t.Fatalf("Now() = %v, want %v until moved", c.Now(), start)
	}
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() { c.Add(time.Second); _ = c.Now() })
	}
	wg.Wait()
	if want := start.Add(100 * time.Second); !c.Now().Equal(want) {
		t.Errorf("after 100 concurrent one-second moves Now() = %v, want %v", c.Now(), want)
	}
	c.Set(start)
	if !c.Now().Equal(start) {
		t.Errorf("after Set Now() = %v, want %v", c.Now(), start)
	}
}
