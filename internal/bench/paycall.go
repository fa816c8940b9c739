package bench

import (
	"net/http"
	"slices"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// Latency is a spread of latencies.
type Latency struct {
	Count int     `json:"count"`
	P50Ms float64 `json:"p50Ms"`
	P95Ms float64 `json:"p95Ms"`
	P99Ms float64 `json:"p99Ms"`
}

// latencyOf summarises lat (sorted here).
func latencyOf(lat []time.Duration) *Latency {
	slices.Sort(lat)
	return &Latency{Count: len(lat), P50Ms: Percentile(lat, 50), P95Ms: Percentile(lat, 95), P99Ms: Percentile(lat, 99)}
}

// payCalls times the pay calls inside end-to-end payments: the simulator
// records each call it makes, with the time from sending the signed
// request to having the wallet's answer (the wallet's verification,
// ledger commit and signature, and the HTTP round trip; not the
// simulator's own signing before it nor its verification after).
type payCalls struct {
	ch   <-chan simulator.Entry
	stop func()
}

// timePayCalls subscribes to the simulator's transcript, with room for
// the entries of n payments between two takes.
func timePayCalls(sim *simulator.Simulator, n int) *payCalls {
	ch, stop := sim.Transcript().Subscribe(2*n + 64)
	return &payCalls{ch: ch, stop: stop}
}

// take returns the latencies of the successful pay calls recorded since
// the last take (all of them: Record delivers before the charge that made
// the call returns, and the buffer holds a pass); nil when p is nil.
func (p *payCalls) take() *Latency {
	if p == nil {
		return nil
	}
	var lat []time.Duration
	for {
		select {
		case e, ok := <-p.ch:
			if !ok {
				return latencyOf(lat)
			}
			if e.API == simulator.APIPay && e.Direction == string(alipayplus.Outgoing) && e.HTTPStatus == http.StatusOK && e.Error == "" {
				lat = append(lat, time.Duration(e.LatencyMs*float64(time.Millisecond)))
			}
		default:
			return latencyOf(lat)
		}
	}
}

// close ends the subscription.
func (p *payCalls) close() {
	if p != nil {
		p.stop()
	}
}
