package bench

import (
	"bytes"
	"math"
	"testing"

	"github.com/google/pprof/profile"
)

// encodeProfile makes an encoded CPU profile with one sample of cpu
// nanoseconds per stack (function names, innermost first), labelled when
// label is not empty.
func encodeProfile(t *testing.T, stacks []sampleStack) []byte {
	t.Helper()
	p := &profile.Profile{
		SampleType: []*profile.ValueType{{Type: "samples", Unit: "count"}, {Type: "cpu", Unit: "nanoseconds"}},
		PeriodType: &profile.ValueType{Type: "cpu", Unit: "nanoseconds"},
		Period:     10_000_000,
	}
	funcs := map[string]*profile.Function{}
	for _, st := range stacks {
		s := &profile.Sample{Value: []int64{1, st.ns}}
		if st.label != "" {
			s.Label = map[string][]string{"bench": {st.label}}
		}
		for _, name := range st.funcs {
			f := funcs[name]
			if f == nil {
				f = &profile.Function{ID: uint64(len(funcs) + 1), Name: name}
				funcs[name] = f
				p.Function = append(p.Function, f)
			}
			loc := &profile.Location{ID: uint64(len(p.Location) + 1), Line: []profile.Line{{Function: f}}}
			p.Location = append(p.Location, loc)
			s.Location = append(s.Location, loc)
		}
		p.Sample = append(p.Sample, s)
	}
	var buf bytes.Buffer
	if err := p.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type sampleStack struct {
	funcs []string
	ns    int64
	label string
}

// TestBreakdownSortsTheWork: each sample goes to the part a reader of the
// profile would give it, the signing-rate measures are left out, and the
// shares turn into milliseconds per payment.
func TestBreakdownSortsTheWork(t *testing.T) {
	const m = "github.com/mppwallet/mppwallet/"
	serve := []string{m + "alipayplus.(*Server).ServeHTTP", "net/http.serverHandler.ServeHTTP", "net/http.(*conn).serve"}
	stack := func(inner ...string) []string { return append(inner, serve...) }
	cases := []struct {
		name  string
		stack []string
		want  string
	}{
		{"signing in a handler", stack("crypto/internal/fips140/bigmod.addMulVVW1024", "crypto/rsa.SignPKCS1v15", m+"alipayplus.Sign"), "signing"},
		{"verifying", stack("crypto/rsa.VerifyPKCS1v15", m+"alipayplus.Verify"), "verifying"},
		{"a commit's write", stack("syscall.Syscall6", "modernc.org/sqlite/lib._unixWrite", m+"wallet/sqlite.(*writer).run", m+"wallet.(*Service).Pay"), "ledger (SQLite)"},
		{"the load generator's network", []string{"internal/poll.(*FD).Read", "net.(*conn).Read", m + "internal/bench.(*loadConn).exchange"}, "load generator"},
		{"the transcript's JSON", []string{"encoding/json.Marshal", m + "alipayplus/simulator.(*Transcript).Record"}, "transcript"},
		{"decoding a body", stack("encoding/json.Unmarshal", m+"alipayplus.Decode"), "JSON"},
		{"writing the answer", stack("syscall.Syscall6", "internal/poll.(*FD).Write", "net/http.(*response).Write"), "HTTP"},
		{"allocating in a handler", stack("runtime.mallocgc", m+"alipayplus.(*Server).serve"), "allocation, GC, scheduler"},
		{"the handler's own code", stack(m + "alipayplus.(*Server).serve"), "wallet and protocol"},
		{"the simulator's bookkeeping", []string{m + "alipayplus/simulator.(*Simulator).runPay"}, "simulator"},
		{"the GC", []string{"runtime.scanobject", "runtime.gcBgMarkWorker"}, "allocation, GC, scheduler"},
		{"nothing known", []string{"runtime.futex"}, "other"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := encodeProfile(t, []sampleStack{{funcs: tc.stack, ns: 10_000_000}})
			got, err := Breakdown(data, 2)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range got {
				want := 0.0
				if p.Name == tc.want {
					want = 1
				}
				if p.Share != want {
					t.Errorf("%s: share %v, want %v", p.Name, p.Share, want)
				}
			}
		})
	}

	// 3 parts signing, 1 part HTTP; the measure between rounds is left out.
	data := encodeProfile(t, []sampleStack{
		{funcs: stack("crypto/rsa.SignPKCS1v15"), ns: 30_000_000},
		{funcs: stack("net/http.(*response).Write"), ns: 10_000_000},
		{funcs: []string{"crypto/rsa.SignPKCS1v15", m + "internal/bench.MeasureSignRate"}, ns: 500_000_000, label: CeilingLabel},
	})
	got, err := Breakdown(data, 2)
	if err != nil {
		t.Fatal(err)
	}
	shares := map[string]Part{}
	for _, p := range got {
		shares[p.Name] = p
	}
	if s := shares["signing"]; math.Abs(s.Share-0.75) > 1e-9 || math.Abs(s.MsPerPayment-1.5) > 1e-9 {
		t.Errorf("signing %+v, want 0.75 of the CPU, 1.5 ms a payment", s)
	}
	if h := shares["HTTP"]; math.Abs(h.Share-0.25) > 1e-9 {
		t.Errorf("HTTP %+v, want 0.25", h)
	}
	if len(got) != len(parts)+1 || got[len(got)-1].Name != otherPart {
		t.Errorf("%d parts ending with %q, want %d ending with other", len(got), got[len(got)-1].Name, len(parts)+1)
	}

	if _, err := Breakdown([]byte("not a profile"), 1); err == nil {
		t.Error("a corrupt profile gave no error")
	}
}
