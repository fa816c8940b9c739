package bench

import (
	"bytes"
	"runtime/pprof"
	"strings"

	"github.com/google/pprof/profile"
)

// Part is one kind of work and its share of the CPU time of a maximum
// pass, from a CPU profile of the pass.
type Part struct {
	Name string `json:"part"`
	// Share is the part's fraction of the process's CPU time in the pass.
	Share float64 `json:"share"`
	// MsPerPayment is Share × the CPU time per payment.
	MsPerPayment float64 `json:"msPerPayment"`
}

// mod is the prefix of this module's function names.
const mod = "github.com/mppwallet/mppwallet/"

// parts classify a profile sample by its stack. The first five take a
// sample when any function on its stack starts with one of their
// prefixes, in this order: signing done inside an HTTP handler is signing,
// a JSON decode inside the simulator is JSON, everything the load
// generator's goroutines do is the load generator's. The rest take a
// sample by the innermost function that starts with one of their
// prefixes: a handler's own code is the wallet's, the response it writes
// through net/http is HTTP.
var parts = []struct {
	name     string
	prefixes []string
}{
	{"signing", []string{"crypto/rsa.SignPKCS1v15"}},
	{"verifying", []string{"crypto/rsa.VerifyPKCS1v15"}},
	{"ledger (SQLite)", []string{mod + "wallet/sqlite.", "modernc.org/"}},
	{"load generator", []string{mod + "internal/bench."}},
	{"transcript", []string{mod + "alipayplus/simulator.(*Transcript)."}},
	{"JSON", []string{"encoding/json.", mod + "alipayplus.Decode"}},
	// Innermost first from here on.
	{"HTTP", []string{"net/http.", "net.", "internal/poll.", "bufio.", "net/textproto.", "syscall."}},
	{"simulator", []string{mod + "alipayplus/simulator."}},
	{"wallet and protocol", []string{mod}},
	{"allocation, GC, scheduler", []string{"runtime.gcBgMarkWorker", "runtime.bgsweep", "runtime.bgscavenge", "runtime.mcall", "runtime.schedule",
		"runtime.findRunnable", "runtime.morestack", "runtime.gcAssist", "runtime.mallocgc"}},
}

// byStack is how many of parts take a sample whatever the depth of the
// matching function.
const byStack = 6

// otherPart takes what no part claims: the rest of the Go runtime.
const otherPart = "other"

// cpuProfile is a CPU profile being taken into memory.
type cpuProfile struct{ buf *bytes.Buffer }

// startProfile starts a CPU profile; ok is false when one is already
// running (go test -cpuprofile, say).
func startProfile() (cpuProfile, bool) {
	p := cpuProfile{buf: new(bytes.Buffer)}
	if err := pprof.StartCPUProfile(p.buf); err != nil {
		return p, false
	}
	return p, true
}

// stop ends the profile and returns it, encoded.
func (p cpuProfile) stop() []byte {
	pprof.StopCPUProfile()
	return p.buf.Bytes()
}

// Breakdown sorts the CPU time of an encoded profile into parts (in the
// order of parts, then "other"), leaving out the samples labelled
// bench=ceiling (the signing-rate measures between rounds). cpuMsPerPayment
// turns the shares into milliseconds per payment.
func Breakdown(data []byte, cpuMsPerPayment float64) ([]Part, error) {
	prof, err := profile.ParseData(data)
	if err != nil {
		return nil, err
	}
	value := len(prof.SampleType) - 1 // cpu nanoseconds, after the sample count
	sums := make([]int64, len(parts)+1)
	var total int64
	for _, s := range prof.Sample {
		if l := s.Label["bench"]; len(l) > 0 && l[0] == CeilingLabel {
			continue
		}
		v := s.Value[value]
		total += v
		sums[classify(s)] += v
	}
	out := make([]Part, 0, len(sums))
	for i, v := range sums {
		name := otherPart
		if i < len(parts) {
			name = parts[i].name
		}
		p := Part{Name: name}
		if total > 0 {
			p.Share = float64(v) / float64(total)
			p.MsPerPayment = p.Share * cpuMsPerPayment
		}
		out = append(out, p)
	}
	return out, nil
}

// classify returns the index in parts of the part that takes s, or
// len(parts) for other.
func classify(s *profile.Sample) int {
	best := byStack
	for _, loc := range s.Location {
		for _, line := range loc.Line {
			if line.Function == nil {
				continue
			}
			for i := range best {
				if hasPrefix(line.Function.Name, parts[i].prefixes) {
					best = i
					break
				}
			}
		}
	}
	if best < byStack {
		return best
	}
	// Location[0] is the innermost frame; a location's inlined calls are
	// listed innermost first too.
	for _, loc := range s.Location {
		for _, line := range loc.Line {
			if line.Function == nil {
				continue
			}
			for i := byStack; i < len(parts); i++ {
				if hasPrefix(line.Function.Name, parts[i].prefixes) {
					return i
				}
			}
		}
	}
	return len(parts)
}

func hasPrefix(fn string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(fn, p) {
			return true
		}
	}
	return false
}
