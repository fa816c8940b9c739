package bench

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// View is one way of loading the wallet: its throughput and latencies
// against the machine's ceiling measured in the same run.
type View struct {
	// Payments and Concurrency describe the maximum-throughput pass.
	Payments    int `json:"payments"`
	Concurrency int `json:"concurrency"`
	// Errors counts payments that did not succeed (of both passes).
	Errors int    `json:"errors"`
	Error  string `json:"error,omitempty"`
	// ThroughputPerSec is payments per second in the maximum pass.
	ThroughputPerSec float64 `json:"throughputPerSec"`
	// SignRatePerSec is one core's raw RSA-2048 signing rate, per second
	// of the signing thread's CPU time, measured around each round of the
	// pass and weighted by the rounds' durations; SignRateWallPerSec the
	// same by the clock.
	SignRatePerSec     float64 `json:"signRatePerSec"`
	SignRateWallPerSec float64 `json:"signRateWallPerSec"`
	// SignaturesPerPayment (K) is counted: RSA signatures made in this
	// process during the pass, divided by the payments.
	SignaturesPerPayment float64 `json:"signaturesPerPayment"`
	// VerificationsPerPayment is counted the same way.
	VerificationsPerPayment float64 `json:"verificationsPerPayment"`
	// CeilingPerSec is cores × SignRatePerSec ÷ K: the throughput if the
	// cores did nothing but sign.
	CeilingPerSec float64 `json:"ceilingPerSec"`
	// Ratio is ThroughputPerSec ÷ CeilingPerSec.
	Ratio float64 `json:"ratio"`
	// AllCoresCeilingPerSec is the report's ParallelSignRatePerSec ÷ K: the
	// throughput if every core did nothing but sign, at the rate the cores
	// reach signing all at once (below cores × one core's rate when they
	// slow each other down); AllCoresRatio is ThroughputPerSec ÷ it.
	AllCoresCeilingPerSec float64 `json:"allCoresCeilingPerSec"`
	AllCoresRatio         float64 `json:"allCoresRatio"`
	// P50Ms, P95Ms and P99Ms are the latencies of the timed call in the
	// maximum pass.
	P50Ms float64 `json:"p50Ms"`
	P95Ms float64 `json:"p95Ms"`
	P99Ms float64 `json:"p99Ms"`
	// CPUMsPerPayment is the process's CPU time (all threads) per payment
	// in the maximum pass; SignMsPerPayment the part K signatures take at
	// the measured rate.
	CPUMsPerPayment  float64 `json:"cpuMsPerPayment"`
	SignMsPerPayment float64 `json:"signMsPerPayment"`
	// CPURatio is SignMsPerPayment ÷ CPUMsPerPayment: the share of the
	// process's work that is signing, which is what Ratio would be if the
	// process had every core to itself and kept them busy. Unlike Ratio it
	// hardly moves when other programs load the machine.
	CPURatio float64 `json:"cpuRatio"`
	// CoresUsed is the process's CPU time ÷ the pass's wall-clock time;
	// OtherLoadCores the same for everything else on the machine (-1 when
	// unknown): when it is not near 0, the machine was shared and Ratio
	// is low for that reason.
	CoresUsed      float64 `json:"coresUsed"`
	OtherLoadCores float64 `json:"otherLoadCores"`
	// PayCall, end to end, is the latency of the pay call inside each
	// payment, as the simulator timed it (the timed call is the whole
	// charge).
	PayCall *Latency `json:"payCall,omitempty"`
	// Rounds are the slices of the maximum pass, each against the signing
	// rate measured around it.
	Rounds []Round `json:"rounds,omitempty"`
	// CPUBreakdown sorts the CPU time of the maximum pass into parts
	// (signing, verifying, the ledger, HTTP, ...), from a CPU profile of
	// the pass: what stands between Ratio and 1.
	CPUBreakdown []Part `json:"cpuBreakdown,omitempty"`
	// Half is the second pass, at half of ThroughputPerSec.
	Half *RatePass `json:"halfRate,omitempty"`
}

// RatePass is an open-loop pass at a fixed arrival rate.
type RatePass struct {
	Payments   int     `json:"payments"`
	RatePerSec float64 `json:"ratePerSec"`
	// AchievedPerSec is the payments completed per second.
	AchievedPerSec float64 `json:"achievedPerSec"`
	P50Ms          float64 `json:"p50Ms"`
	P95Ms          float64 `json:"p95Ms"`
	P99Ms          float64 `json:"p99Ms"`
	// PayCall is as in View.
	PayCall *Latency `json:"payCall,omitempty"`
}

// newView fills a view from the maximum pass.
func newView(max Pass, concurrency, cores int, rate SignRate) View {
	signRate := rate.PerSec
	v := View{Payments: max.Ops, Concurrency: concurrency, Errors: max.Errors, SignRatePerSec: signRate, SignRateWallPerSec: rate.WallPerSec}
	if max.FirstErr != nil {
		v.Error = max.FirstErr.Error()
	}
	if max.Ops == 0 || max.Elapsed <= 0 {
		return v
	}
	v.ThroughputPerSec = float64(max.Ops-max.Errors) / max.Elapsed.Seconds()
	v.SignaturesPerPayment = float64(max.Signed) / float64(max.Ops)
	v.VerificationsPerPayment = float64(max.Verified) / float64(max.Ops)
	if v.SignaturesPerPayment > 0 && signRate > 0 {
		v.CeilingPerSec = float64(cores) * signRate / v.SignaturesPerPayment
		v.Ratio = v.ThroughputPerSec / v.CeilingPerSec
		v.SignMsPerPayment = v.SignaturesPerPayment / signRate * 1000
	}
	l := latencyOf(max.Latencies)
	v.P50Ms, v.P95Ms, v.P99Ms = l.P50Ms, l.P95Ms, l.P99Ms
	v.CPUMsPerPayment = ms(max.CPU) / float64(max.Ops)
	if v.CPUMsPerPayment > 0 {
		v.CPURatio = v.SignMsPerPayment / v.CPUMsPerPayment
	}
	v.CoresUsed = max.CPU.Seconds() / max.Elapsed.Seconds()
	v.OtherLoadCores = -1
	if max.Others >= 0 {
		v.OtherLoadCores = max.Others.Seconds() / max.Elapsed.Seconds()
	}
	return v
}

// setAllCores fills the all-cores ceiling and ratio from the rate every
// core reached signing at once.
func (v *View) setAllCores(parallelRate float64) {
	if v.SignaturesPerPayment <= 0 || parallelRate <= 0 {
		return
	}
	v.AllCoresCeilingPerSec = parallelRate / v.SignaturesPerPayment
	v.AllCoresRatio = v.ThroughputPerSec / v.AllCoresCeilingPerSec
}

func (v *View) addHalf(r Pass, rate float64) {
	l := latencyOf(r.Latencies)
	v.Half = &RatePass{Payments: r.Ops, RatePerSec: rate, P50Ms: l.P50Ms, P95Ms: l.P95Ms, P99Ms: l.P99Ms}
	if r.Elapsed > 0 {
		v.Half.AchievedPerSec = float64(r.Ops-r.Errors) / r.Elapsed.Seconds()
	}
	v.Errors += r.Errors
	if v.Error == "" && r.FirstErr != nil {
		v.Error = r.FirstErr.Error()
	}
}

// TUI holds the app's figures (measured by the main package, which alone
// may use the UI).
type TUI struct {
	// StartToFirstCodeMs: from opening the data dir to the first view that
	// shows a payment code (embedded simulator and wallet server started,
	// codes fetched over HTTP).
	StartToFirstCodeMs float64 `json:"startToFirstCodeMs"`
	// CallbackToResultMs: from the wallet taking a pay request to the first
	// view that shows its result page (median of the charges made).
	CallbackToResultMs float64 `json:"callbackToResultMs"`
	// ViewMicros is one View() of the code page at 120×40, and its
	// allocations.
	ViewMicros      float64 `json:"viewMicros"`
	ViewAllocsPerOp float64 `json:"viewAllocsPerOp"`
	// PeakRSSMB is the TUI process's peak resident set over a simulated run
	// of SimulatedMinutes (fake clock, rotating codes, a charge a minute).
	PeakRSSMB        float64 `json:"peakRssMB"`
	SimulatedMinutes float64 `json:"simulatedMinutes"`
	Error            string  `json:"error,omitempty"`
}

// Report is everything 'mppwallet bench' measured.
type Report struct {
	GoVersion string `json:"goVersion"`
	OS        string `json:"os"`
	// Cores is GOMAXPROCS, the cores the process may use at once.
	Cores int `json:"cores"`
	// SignRatePerSec and SignRateWallPerSec are the end-to-end view's (each
	// view measures one core's raw signing rate around its pass's rounds);
	// ParallelSignRatePerSec is the loop on every core at once, by the wall
	// clock (less than cores × SignRatePerSec when others use the machine).
	SignRatePerSec         float64 `json:"signRatePerSec"`
	SignRateWallPerSec     float64 `json:"signRateWallPerSec"`
	ParallelSignRatePerSec float64 `json:"parallelSignRatePerSec"`
	EndToEnd               View    `json:"endToEnd"`
	Server                 View    `json:"server"`
	TUI                    *TUI    `json:"tui,omitempty"`
	// Checks lists the correctness checks run after the passes.
	Checks  []string `json:"checks"`
	Elapsed float64  `json:"elapsedSec"`
}

// namedView is a view with the name the table gives it.
type namedView struct {
	name string
	v    View
}

// views are the report's two views, in the table's order.
func (r Report) views() []namedView {
	return []namedView{{"end to end", r.EndToEnd}, {"server", r.Server}}
}

// WriteTable prints the report for people.
func (r Report) WriteTable(w io.Writer) {
	fmt.Fprintf(w, "mppwallet bench: %s, %s, %d cores; one core signs %.0f RSA-2048/s of CPU time (%.0f/s by the clock; all cores at once %.0f/s)\n\n",
		r.GoVersion, r.OS, r.Cores, r.SignRatePerSec, r.SignRateWallPerSec, r.ParallelSignRatePerSec)
	if r.Server.SignRatePerSec > 0 && r.SignRatePerSec > 0 {
		if d := r.Server.SignRatePerSec/r.SignRatePerSec - 1; d > 0.1 || d < -0.1 {
			fmt.Fprintf(w, "(around the server pass one core signed %.0f/s: the machine's speed moved by %+.0f%% within the run)\n\n", r.Server.SignRatePerSec, 100*d)
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "view\tpayments\tconc\tpay/s\tK sig/pay\tverif/pay\tceiling/s\tratio\tp50 ms\tp95 ms\tp99 ms\tCPU ms/pay\tsign ms/pay\tCPU ratio\tcores used\tothers' load\terrors\t")
	row := func(name string, v View) {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.0f\t%.2f\t%.2f\t%.0f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%.2f\t%d\t\n", name, v.Payments, v.Concurrency,
			v.ThroughputPerSec, v.SignaturesPerPayment, v.VerificationsPerPayment, v.CeilingPerSec, v.Ratio, v.P50Ms, v.P95Ms, v.P99Ms,
			v.CPUMsPerPayment, v.SignMsPerPayment, v.CPURatio, v.CoresUsed, v.OtherLoadCores, v.Errors)
		if h := v.Half; h != nil {
			fmt.Fprintf(tw, "  at half rate\t%d\t\t%.0f\t\t\t\t\t%.2f\t%.2f\t%.2f\t\t\t\t\t\t\t\n", h.Payments, h.AchievedPerSec, h.P50Ms, h.P95Ms, h.P99Ms)
		}
	}
	row("end to end", r.EndToEnd)
	row("server", r.Server)
	tw.Flush()
	if pc := r.EndToEnd.PayCall; pc != nil && pc.Count > 0 {
		fmt.Fprintf(w, "\nend to end, the pay call alone (the simulator's signed pay → the wallet's signed answer, as the simulator timed it):\n"+
			"  p50 / p95 / p99 %.2f / %.2f / %.2f ms", pc.P50Ms, pc.P95Ms, pc.P99Ms)
		if h := r.EndToEnd.Half; h != nil && h.PayCall != nil && h.PayCall.Count > 0 {
			fmt.Fprintf(w, "; at half rate %.2f / %.2f / %.2f ms", h.PayCall.P50Ms, h.PayCall.P95Ms, h.PayCall.P99Ms)
		}
		fmt.Fprintln(w)
	}
	writeRounds(w, r.views())
	writeBreakdown(w, r.Cores, r.views())
	if p, one := r.ParallelSignRatePerSec, r.SignRatePerSec; p > 0 && one > 0 && r.EndToEnd.AllCoresRatio > 0 {
		fmt.Fprintf(w, "\nall %d cores signing at once reach %.0f/s, %.2f of %d × one core: against that ceiling (%.0f/s end to end,\n"+
			"%.0f/s server) the ratios are %.2f end to end and %.2f server.\n", r.Cores, p, p/(float64(r.Cores)*one), r.Cores,
			r.EndToEnd.AllCoresCeilingPerSec, r.Server.AllCoresCeilingPerSec, r.EndToEnd.AllCoresRatio, r.Server.AllCoresRatio)
	}
	if others := max(r.EndToEnd.OtherLoadCores, r.Server.OtherLoadCores); others > 0.2 {
		fmt.Fprintf(w, "\nnote: other programs used up to %.1f of the %d cores during the passes, so ratio and latencies are low for that\n"+
			"reason; CPU ratio (the share of this process's work that is signing) is what ratio would be on a quiet machine.\n", others, r.Cores)
	}
	for _, v := range r.views() {
		if v.v.Error != "" {
			fmt.Fprintf(w, "%s: first error: %s\n", v.name, v.v.Error)
		}
	}
	if t := r.TUI; t != nil {
		fmt.Fprintln(w)
		if t.Error != "" {
			fmt.Fprintf(w, "app: %s\n", t.Error)
		}
		fmt.Fprintf(w, "app: start → first code %.0f ms; pay callback → result page %.2f ms; View() at 120×40 %.0f µs (%.0f allocs); peak RSS %.1f MB over %.0f simulated minutes\n",
			t.StartToFirstCodeMs, t.CallbackToResultMs, t.ViewMicros, t.ViewAllocsPerOp, t.PeakRSSMB, t.SimulatedMinutes)
	}
	if len(r.Checks) > 0 {
		fmt.Fprintf(w, "\nchecks: %s\n", strings.Join(r.Checks, "; "))
	}
	fmt.Fprintf(w, "took %s\n", (time.Duration(r.Elapsed * float64(time.Second))).Round(100*time.Millisecond))
}

// writeRounds prints each view's ratio round by round, and how far one
// core's signing rate moved between the measures around them.
func writeRounds(w io.Writer, views []namedView) {
	fmt.Fprintln(w)
	for _, v := range views {
		if len(v.v.Rounds) < 2 {
			continue
		}
		var ratios []string
		lo, hi := v.v.Rounds[0].SignRatePerSec, v.v.Rounds[0].SignRatePerSec
		for _, r := range v.v.Rounds {
			ratios = append(ratios, fmt.Sprintf("%.2f", r.Ratio))
			lo, hi = min(lo, r.SignRatePerSec), max(hi, r.SignRatePerSec)
		}
		fmt.Fprintf(w, "%-10s  ratio round by round %s (one core signed %.0f–%.0f/s around them)\n", v.name, strings.Join(ratios, " "), lo, hi)
	}
}

// targetRatio is the Ratio the project aims at.
const targetRatio = 0.8

// writeBreakdown prints where the CPU time of the maximum passes went, and
// what the work that is not signing may cost for the target ratio.
func writeBreakdown(w io.Writer, cores int, views []namedView) {
	e2e, server := views[0].v, views[1].v
	if len(e2e.CPUBreakdown) == 0 || len(e2e.CPUBreakdown) != len(server.CPUBreakdown) {
		return
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "where the CPU went\t%s\tms/pay\t%s\tms/pay\t\n", views[0].name, views[1].name)
	for i, p := range e2e.CPUBreakdown {
		q := server.CPUBreakdown[i]
		fmt.Fprintf(tw, "%s\t%.1f%%\t%.3f\t%.1f%%\t%.3f\t\n", p.Name, 100*p.Share, p.MsPerPayment, 100*q.Share, q.MsPerPayment)
	}
	fmt.Fprintf(tw, "idle (of %d cores)\t%.2f\t\t%.2f\t\t\n", cores, float64(cores)-e2e.CoresUsed, float64(cores)-server.CoresUsed)
	tw.Flush()
	for _, v := range views {
		signing := v.v.CPUBreakdown[0].MsPerPayment // parts[0] is signing
		fmt.Fprintf(w, "%s: for a ratio of %.1f with every core busy, a payment may cost %.2f ms of CPU: %.2f signing at the measured rate, %.2f the rest;\n"+
			"  it cost %.2f: %.2f signing (%+.0f%% against the measured rate), %.2f the rest\n",
			v.name, targetRatio, v.v.SignMsPerPayment/targetRatio, v.v.SignMsPerPayment, v.v.SignMsPerPayment*(1/targetRatio-1),
			v.v.CPUMsPerPayment, signing, 100*(signing/v.v.SignMsPerPayment-1), v.v.CPUMsPerPayment-signing)
	}
}
