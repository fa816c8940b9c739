package simulator

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/clock"
)

// newFaultClock is a fake clock the tests move by hand.
func newFaultClock() *clock.Manual {
	return clock.New(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
}

func newTestFaults(c *clock.Manual, seed uint64) *Faults {
	return NewFaults(c.Now, rand.New(rand.NewPCG(seed, seed+1)))
}

func mustAddRule(t *testing.T, f *Faults, spec string) Rule {
	t.Helper()
	r, err := ParseRule(spec)
	if err != nil {
		t.Fatalf("ParseRule(%q): %v", spec, err)
	}
	r, err = f.Add(r)
	if err != nil {
		t.Fatalf("Add(%q): %v", spec, err)
	}
	return r
}

func TestParseRuleValid(t *testing.T) {
	tests := []struct {
		spec string
		want Rule
		str  string // String() when it differs from spec
	}{
		{spec: "pay:drop", want: Rule{API: "pay", Drop: true}},
		{spec: "pay:drop,count=1", want: Rule{API: "pay", Drop: true, Count: 1}},
		{spec: "notifyPayment:result=U/UNKNOWN_EXCEPTION,count=2",
			want: Rule{API: "notifyPayment", Status: "U", Code: "UNKNOWN_EXCEPTION", Count: 2}},
		{spec: "notifyPayment:result=F/PROCESS_FAIL,message=Try again later.",
			want: Rule{API: "notifyPayment", Status: "F", Code: "PROCESS_FAIL", Message: "Try again later."}},
		{spec: `userInitiatedPay:result=F/ORDER_IS_CLOSED,message="Closed, sorry"`,
			want: Rule{API: "userInitiatedPay", Status: "F", Code: "ORDER_IS_CLOSED", Message: "Closed, sorry"}},
		{spec: "getPaymentCode:result=S/SUCCESS", want: Rule{API: "getPaymentCode", Status: "S", Code: "SUCCESS"}},
		{spec: "*:delay=200ms-800ms,ttl=5m", want: Rule{API: "*", Delay: Duration(200 * time.Millisecond),
			DelayMax: Duration(800 * time.Millisecond), TTL: Duration(5 * time.Minute)}, str: "*:delay=200ms-800ms,ttl=5m0s"},
		{spec: "pay:delay=2s", want: Rule{API: "pay", Delay: Duration(2 * time.Second)}},
		{spec: "pay:delay=1.5s", want: Rule{API: "pay", Delay: Duration(1500 * time.Millisecond)}},
		{spec: "pay:delay=1s-5s", want: Rule{API: "pay", Delay: Duration(time.Second), DelayMax: Duration(5 * time.Second)}},
		{spec: "pay:delay=0s-1s", want: Rule{API: "pay", DelayMax: Duration(time.Second)}},
		{spec: "pay:delay=2s-2s", want: Rule{API: "pay", Delay: Duration(2 * time.Second), DelayMax: Duration(2 * time.Second)}},
		{spec: "pay:dup", want: Rule{API: "pay", Duplicate: true}},
		{spec: "refund:duplicate", want: Rule{API: "refund", Duplicate: true}, str: "refund:dup"},
		{spec: "acquirer.userInitiatedPay:dup", want: Rule{API: "acquirer.userInitiatedPay", Duplicate: true}},
		{spec: "*:dup", want: Rule{API: "*", Duplicate: true}},
		{spec: "inquiryPayment:badsig", want: Rule{API: "inquiryPayment", CorruptSignature: true}},
		{spec: "inquiryCodeRules:corrupt-signature", want: Rule{API: "inquiryCodeRules", CorruptSignature: true},
			str: "inquiryCodeRules:badsig"},
		{spec: "cancelPayment:drop,ttl=1h", want: Rule{API: "cancelPayment", Drop: true, TTL: Duration(time.Hour)},
			str: "cancelPayment:drop,ttl=1h0m0s"},
		{spec: " pay : drop , count = 3 ", want: Rule{API: "pay", Drop: true, Count: 3}, str: "pay:drop,count=3"},
		{spec: "pay:count=0,badsig", want: Rule{API: "pay", CorruptSignature: true}, str: "pay:badsig"},
		{spec: "pay:result=U/UNKNOWN_EXCEPTION,message=Lost,delay=1s-3s,drop,dup,badsig,count=4,ttl=90s",
			want: Rule{API: "pay", Status: "U", Code: "UNKNOWN_EXCEPTION", Message: "Lost", Delay: Duration(time.Second),
				DelayMax: Duration(3 * time.Second), Drop: true, Duplicate: true, CorruptSignature: true, Count: 4,
				TTL: Duration(90 * time.Second)},
			str: "pay:result=U/UNKNOWN_EXCEPTION,message=Lost,delay=1s-3s,drop,dup,badsig,count=4,ttl=1m30s"},
		{spec: `notifyPayment:result=F/PROCESS_FAIL,message=" a \"quoted\" one "`,
			want: Rule{API: "notifyPayment", Status: "F", Code: "PROCESS_FAIL", Message: ` a "quoted" one `}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseRule(tt.spec)
			if err != nil {
				t.Fatalf("ParseRule: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("ParseRule = %+v, want %+v", got, tt.want)
			}
			s := got.String()
			if tt.str != "" && s != tt.str {
				t.Errorf("String() = %q, want %q", s, tt.str)
			}
			back, err := ParseRule(s)
			if err != nil {
				t.Fatalf("ParseRule(String() = %q): %v", s, err)
			}
			if !reflect.DeepEqual(back, got) {
				t.Errorf("round trip through %q = %+v, want %+v", s, back, got)
			}
		})
	}
}

func TestParseRuleInvalid(t *testing.T) {
	tests := []struct {
		name, spec, want string // want: a substring of the error
	}{
		{"empty", "", "empty"},
		{"blank", "   ", "empty"},
		{"no API", ":drop", "no API"},
		{"unknown API", "payy:drop", `unknown API "payy"`},
		{"unknown effect", "pay:explode", `unknown effect "explode"`},
		{"no effect", "pay", "no effect"},
		{"no effect after colon", "pay:", "no effect"},
		{"only count", "pay:count=2", "no effect"},
		{"result without code", "pay:result=U", "want STATUS/CODE"},
		{"result with empty code", "pay:result=U/", "want STATUS/CODE"},
		{"result bad status", "pay:result=X/UNKNOWN_EXCEPTION", `status "X" must be S, F or U`},
		{"result lower-case status", "pay:result=u/UNKNOWN_EXCEPTION", "must be S, F or U"},
		{"result lower-case code", "pay:result=U/unknown", "upper-case letters and underscores"},
		{"result no value", "pay:result", "needs a value"},
		{"message without result", "pay:message=hi,drop", "message needs a result"},
		{"bad duration", "pay:delay=soon", `"soon" is not a duration`},
		{"bad range end", "pay:delay=1s-later", `"later" is not a duration`},
		{"delay without unit", "pay:delay=5", "is not a duration"},
		{"delay range reversed", "pay:delay=5s-1s", "reversed"},
		{"negative delay", "pay:delay=-1s", "negative"},
		{"delay too long", "pay:delay=6m", "longer than"},
		{"delay range too long", "pay:delay=1s-10m", "longer than"},
		{"dup on incoming", "notifyPayment:dup", "dup works only on calls the simulator makes"},
		{"dup on getPaymentCode", "getPaymentCode:duplicate", "not on getPaymentCode"},
		{"negative count", "pay:drop,count=-1", "count -1 is negative"},
		{"count not a number", "pay:drop,count=many", "want a whole number"},
		{"bad ttl", "pay:drop,ttl=forever", "ttl=forever"},
		{"negative ttl", "pay:drop,ttl=-1m", "ttl -1m0s is negative"},
		{"ttl too long", "pay:drop,ttl=25h", "longer than"},
		{"value on flag", "pay:drop=true", "takes no value"},
		{"repeated effect", "pay:drop,count=1,count=2", "given twice"},
		{"repeated alias", "pay:dup,duplicate", "given twice"},
		{"stray comma", "pay:drop,,count=1", "empty effect"},
		{"trailing comma", "pay:drop,", "empty effect"},
		{"unterminated quote", `pay:result=F/X,message="oops`, "malformed quoted value"},
		{"junk after quote", `pay:result=F/X,message="a"b`, "after the quoted value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseRule(tt.spec)
			if err == nil {
				t.Fatalf("ParseRule(%q) = %+v, want an error containing %q", tt.spec, r, tt.want)
			}
			msg := err.Error()
			if !strings.Contains(msg, tt.want) {
				t.Errorf("ParseRule(%q) error = %q, want it to contain %q", tt.spec, msg, tt.want)
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q is more than one line", msg)
			}
			if !strings.HasPrefix(msg, "fault rule ") {
				t.Errorf("error %q does not name the rule", msg)
			}
		})
	}
}

func TestRuleValidate(t *testing.T) {
	ok := Rule{API: "pay", Drop: true}
	tests := []struct {
		name string
		mod  func(*Rule)
		want string // "" = valid
	}{
		{"drop", func(r *Rule) {}, ""},
		{"star", func(r *Rule) { r.API = "*" }, ""},
		{"acquirer", func(r *Rule) { r.API = APIAcquirerUIP }, ""},
		{"empty API", func(r *Rule) { r.API = "" }, "no API"},
		{"unknown API", func(r *Rule) { r.API = "Pay" }, `unknown API "Pay"`},
		{"result", func(r *Rule) { r.Drop, r.Status, r.Code = false, "F", "PROCESS_FAIL" }, ""},
		{"result with message", func(r *Rule) { r.Status, r.Code, r.Message = "U", "UNKNOWN_EXCEPTION", "x" }, ""},
		{"bad status", func(r *Rule) { r.Status, r.Code = "X", "PROCESS_FAIL" }, `result status "X"`},
		{"status without code", func(r *Rule) { r.Status = "F" }, "needs a code"},
		{"code without status", func(r *Rule) { r.Code = "PROCESS_FAIL" }, "needs a status"},
		{"message without status", func(r *Rule) { r.Message = "hi" }, "message needs a result"},
		{"code with digits", func(r *Rule) { r.Status, r.Code = "F", "CODE1" }, "upper-case letters"},
		{"code 64", func(r *Rule) { r.Status, r.Code = "F", strings.Repeat("A", 64) }, ""},
		{"code 65", func(r *Rule) { r.Status, r.Code = "F", strings.Repeat("A", 65) }, "at most 64"},
		{"message 256", func(r *Rule) { r.Status, r.Code, r.Message = "F", "X", strings.Repeat("é", 256) }, ""},
		{"message 257", func(r *Rule) { r.Status, r.Code, r.Message = "F", "X", strings.Repeat("é", 257) }, "at most 256"},
		{"delay", func(r *Rule) { r.Drop, r.Delay = false, Duration(time.Second) }, ""},
		{"delay 5m", func(r *Rule) { r.Delay = Duration(5 * time.Minute) }, ""},
		{"delay over 5m", func(r *Rule) { r.Delay = Duration(5*time.Minute + 1) }, "longer than"},
		{"delayMax over 5m", func(r *Rule) { r.DelayMax = Duration(6 * time.Minute) }, "longer than"},
		{"negative delay", func(r *Rule) { r.Delay = -1 }, "negative"},
		{"negative delayMax", func(r *Rule) { r.DelayMax = -1 }, "negative"},
		{"delayMax below delay", func(r *Rule) { r.Delay, r.DelayMax = Duration(2*time.Second), Duration(time.Second) }, "reversed"},
		{"delayMax alone", func(r *Rule) { r.Drop, r.DelayMax = false, Duration(time.Second) }, ""},
		{"dup outgoing", func(r *Rule) { r.API, r.Duplicate = APICancelPayment, true }, ""},
		{"dup star", func(r *Rule) { r.API, r.Duplicate = "*", true }, ""},
		{"dup incoming", func(r *Rule) { r.API, r.Duplicate = APIUserInitiatedPay, true }, "dup works only"},
		{"badsig", func(r *Rule) { r.Drop, r.CorruptSignature = false, true }, ""},
		{"negative count", func(r *Rule) { r.Count = -2 }, "count -2 is negative"},
		{"negative ttl", func(r *Rule) { r.TTL = Duration(-time.Second) }, "ttl -1s is negative"},
		{"ttl 24h", func(r *Rule) { r.TTL = Duration(24 * time.Hour) }, ""},
		{"ttl over 24h", func(r *Rule) { r.TTL = Duration(24*time.Hour + 1) }, "longer than"},
		{"no effect", func(r *Rule) { r.Drop = false }, "no effect"},
		{"no effect with count", func(r *Rule) { r.Drop, r.Count = false, 3 }, "no effect"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := ok
			tt.mod(&r)
			err := r.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("Validate(%+v) = %v, want nil", r, err)
			case tt.want != "" && err == nil:
				t.Fatalf("Validate(%+v) = nil, want an error containing %q", r, tt.want)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Fatalf("Validate error = %q, want it to contain %q", err, tt.want)
			case err != nil && strings.Contains(err.Error(), "\n"):
				t.Fatalf("Validate error %q is more than one line", err)
			}
		})
	}
}

func TestFaultsAddAssignsIDAndUntil(t *testing.T) {
	c := newFaultClock()
	f := newTestFaults(c, 1)
	start := c.Now()

	r1 := mustAddRule(t, f, "pay:drop")
	if r1.ID != 1 || !r1.Until.Equal(start.Add(DefaultTTL)) || r1.TTL != Duration(DefaultTTL) || r1.Used != 0 {
		t.Fatalf("first rule = %+v, want ID 1, Until now+%s", r1, DefaultTTL)
	}
	c.Add(time.Minute)
	in := Rule{ID: 99, API: "*", Delay: Duration(time.Second), TTL: Duration(10 * time.Minute), Used: 5,
		Until: start.Add(-time.Hour), Source: "admin"}
	r2, err := f.Add(in)
	if err != nil {
		t.Fatal(err)
	}
	if r2.ID != 2 || r2.Used != 0 || !r2.Until.Equal(start.Add(11*time.Minute)) || r2.Source != "admin" {
		t.Fatalf("second rule = %+v, want ID 2, Used 0, Until start+11m, Source admin", r2)
	}
	if _, err := f.Add(Rule{API: "nope", Drop: true}); err == nil {
		t.Fatal("Add accepted an invalid rule")
	}
	if got := f.List(); !reflect.DeepEqual(got, []Rule{r1, r2}) {
		t.Fatalf("List = %+v, want %+v", got, []Rule{r1, r2})
	}
	// IDs keep increasing after Remove and Clear.
	f.Remove(2)
	f.Clear()
	if r3 := mustAddRule(t, f, "pay:drop"); r3.ID != 3 {
		t.Fatalf("ID after Clear = %d, want 3", r3.ID)
	}
}

func TestFaultsTakeConsumesCount(t *testing.T) {
	c := newFaultClock()
	f := newTestFaults(c, 1)
	r := mustAddRule(t, f, "notifyPayment:result=U/UNKNOWN_EXCEPTION,count=2")
	for i := range 2 {
		e, ok := f.Take(APINotifyPayment)
		if !ok {
			t.Fatalf("Take #%d: no effect", i+1)
		}
		want := alipayplus.Result{ResultStatus: "U", ResultCode: "UNKNOWN_EXCEPTION", ResultMessage: "Simulated fault (rule 1)."}
		if e.RuleID != r.ID || e.Result == nil || *e.Result != want || e.Drop || e.Delay != 0 {
			t.Fatalf("Take #%d = %+v (result %+v), want rule %d's result %+v", i+1, e, e.Result, r.ID, want)
		}
		if i == 0 {
			if l := f.List(); len(l) != 1 || l[0].Used != 1 {
				t.Fatalf("after one Take, List = %+v, want one rule used once", l)
			}
		}
	}
	if e, ok := f.Take(APINotifyPayment); ok {
		t.Fatalf("third Take = %+v, want none (count used up)", e)
	}
	if l := f.List(); len(l) != 0 {
		t.Fatalf("List = %+v, want empty after the count is used up", l)
	}
	// Other APIs are untouched; a rule without count stays.
	mustAddRule(t, f, "pay:drop")
	if _, ok := f.Take(APIRefund); ok {
		t.Fatal("a pay rule applied to refund")
	}
	for range 5 {
		if e, ok := f.Take(APIPay); !ok || !e.Drop {
			t.Fatalf("Take(pay) = %+v, %v, want drop", e, ok)
		}
	}
	if l := f.List(); len(l) != 1 || l[0].Used != 5 {
		t.Fatalf("List = %+v, want the uncounted rule, used 5 times", l)
	}
}

func TestFaultsExpireByTTL(t *testing.T) {
	c := newFaultClock()
	f := newTestFaults(c, 1)
	short := mustAddRule(t, f, "pay:drop,ttl=1m")
	long := mustAddRule(t, f, "refund:drop")

	c.Add(time.Minute) // exactly Until: still active
	if _, ok := f.Take(APIPay); !ok {
		t.Fatal("rule expired at Until, want it active until the clock passes Until")
	}
	c.Add(time.Nanosecond)
	if e, ok := f.Take(APIPay); ok {
		t.Fatalf("Take after TTL = %+v, want none", e)
	}
	l := f.List()
	if len(l) != 1 || l[0].ID != long.ID {
		t.Fatalf("List = %+v, want only rule %d (rule %d expired)", l, long.ID, short.ID)
	}

	// List drops expired rules on its own.
	c.Add(DefaultTTL)
	if l := f.List(); len(l) != 0 {
		t.Fatalf("List after DefaultTTL = %+v, want empty", l)
	}
	if f.Remove(long.ID) {
		t.Fatal("Remove of an expired rule reported true")
	}
}

func TestFaultsPrecedence(t *testing.T) {
	c := newFaultClock()
	f := newTestFaults(c, 1)
	star := mustAddRule(t, f, "*:result=F/PROCESS_FAIL,message=star,delay=2s,count=1")
	exact := mustAddRule(t, f, "pay:result=U/UNKNOWN_EXCEPTION,message=exact,delay=1s,badsig,count=2")
	starResultOnly := mustAddRule(t, f, "*:result=F/ACCESS_DENIED,count=1")

	e, ok := f.Take(APIPay)
	if !ok {
		t.Fatal("no effect")
	}
	if e.RuleID != exact.ID {
		t.Errorf("RuleID = %d, want the exact-name rule %d", e.RuleID, exact.ID)
	}
	if e.Result == nil || e.Result.ResultCode != "UNKNOWN_EXCEPTION" || e.Result.ResultMessage != "exact" {
		t.Errorf("Result = %+v, want the exact-name rule's", e.Result)
	}
	if e.Delay != 2*time.Second || !e.CorruptSignature || e.Drop {
		t.Errorf("effect = %+v, want the larger delay 2s and badsig", e)
	}
	// The star rule applied (its delay counted) and is used up; the
	// result-only star rule lost the result and was not used.
	l := f.List()
	if len(l) != 2 || l[0].ID != exact.ID || l[0].Used != 1 || l[1].ID != starResultOnly.ID || l[1].Used != 0 {
		t.Fatalf("List = %+v, want rule %d used once and rule %d unused (rule %d used up)", l, exact.ID, starResultOnly.ID, star.ID)
	}

	// On another API only the star rule applies.
	e, ok = f.Take(APINotifyPayment)
	if !ok || e.RuleID != starResultOnly.ID || e.Result == nil || e.Result.ResultCode != "ACCESS_DENIED" || e.CorruptSignature {
		t.Fatalf("Take(notifyPayment) = %+v (result %+v), want rule %d's ACCESS_DENIED", e, e.Result, starResultOnly.ID)
	}
}

func TestFaultsStarDuplicateOnlyOutgoing(t *testing.T) {
	c := newFaultClock()
	f := newTestFaults(c, 1)
	mustAddRule(t, f, "*:dup,count=1")
	if e, ok := f.Take(APINotifyPayment); ok {
		t.Fatalf("Take(notifyPayment) = %+v, want none: dup does nothing to an incoming API", e)
	}
	if e, ok := f.Take(APIRefund); !ok || !e.Duplicate {
		t.Fatalf("Take(refund) = %+v, %v, want duplicate", e, ok)
	}
	if l := f.List(); len(l) != 0 {
		t.Fatalf("List = %+v, want the rule used up by refund", l)
	}
}

func TestFaultsRandomDelay(t *testing.T) {
	draw := func(seed uint64) []time.Duration {
		c := newFaultClock()
		f := newTestFaults(c, seed)
		mustAddRule(t, f, "*:delay=200ms-800ms")
		var ds []time.Duration
		for range 200 {
			e, ok := f.Take(APIPay)
			if !ok {
				t.Fatal("no effect")
			}
			if e.Delay < 200*time.Millisecond || e.Delay > 800*time.Millisecond {
				t.Fatalf("delay %s outside [200ms, 800ms]", e.Delay)
			}
			ds = append(ds, e.Delay)
		}
		return ds
	}
	a, b := draw(42), draw(42)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("the same seed gave different delays")
	}
	if reflect.DeepEqual(a, draw(43)) {
		t.Fatal("different seeds gave the same delays")
	}
	distinct := map[time.Duration]bool{}
	for _, d := range a {
		distinct[d] = true
	}
	if len(distinct) < 100 {
		t.Fatalf("only %d distinct delays in 200 draws", len(distinct))
	}

	// A range with equal ends is a fixed delay.
	c := newFaultClock()
	f := newTestFaults(c, 1)
	mustAddRule(t, f, "pay:delay=2s-2s")
	if e, _ := f.Take(APIPay); e.Delay != 2*time.Second {
		t.Fatalf("delay = %s, want 2s", e.Delay)
	}
}

func TestFaultsRemoveClear(t *testing.T) {
	c := newFaultClock()
	f := newTestFaults(c, 1)
	a := mustAddRule(t, f, "pay:drop")
	b := mustAddRule(t, f, "refund:drop")
	mustAddRule(t, f, "*:badsig")
	if !f.Remove(a.ID) {
		t.Fatal("Remove of an active rule reported false")
	}
	if f.Remove(a.ID) {
		t.Fatal("second Remove reported true")
	}
	if f.Remove(1000) {
		t.Fatal("Remove of an unknown ID reported true")
	}
	if e, _ := f.Take(APIPay); e.Drop {
		t.Fatal("removed rule still applies")
	}
	if l := f.List(); len(l) != 2 || l[0].ID != b.ID {
		t.Fatalf("List = %+v, want 2 rules starting with %d", l, b.ID)
	}
	f.Clear()
	if l := f.List(); len(l) != 0 {
		t.Fatalf("List after Clear = %+v", l)
	}
	if e, ok := f.Take(APIRefund); ok {
		t.Fatalf("Take after Clear = %+v", e)
	}
}

func TestFaultsConcurrentTake(t *testing.T) {
	c := newFaultClock()
	f := newTestFaults(c, 1)
	mustAddRule(t, f, "pay:drop,delay=0s-10ms,count=10")
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		hits int
	)
	for range 50 {
		wg.Go(func() {
			if _, ok := f.Take(APIPay); ok {
				mu.Lock()
				hits++
				mu.Unlock()
			}
			f.List()
		})
	}
	wg.Wait()
	if hits != 10 {
		t.Fatalf("%d effects, want exactly 10", hits)
	}
	if l := f.List(); len(l) != 0 {
		t.Fatalf("List = %+v, want the rule used up", l)
	}
}

func TestFaultsNilDefaults(t *testing.T) {
	f := NewFaults(nil, nil)
	mustAddRule(t, f, "pay:delay=1ms-2ms,count=1")
	if e, ok := f.Take(APIPay); !ok || e.Delay < time.Millisecond || e.Delay > 2*time.Millisecond {
		t.Fatalf("Take = %+v, %v", e, ok)
	}
}

func TestFaultEffectServerFault(t *testing.T) {
	res := alipayplus.Unknown(alipayplus.CodeUnknownException, "x")
	e := Effect{RuleID: 3, Result: &res, Delay: time.Second, Drop: true, Duplicate: true, CorruptSignature: true}
	got := e.ServerFault()
	want := alipayplus.Fault{Result: &res, Delay: time.Second, Drop: true, CorruptSignature: true}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("ServerFault = %+v, want %+v", got, want)
	}
	if got.Result == e.Result {
		t.Error("ServerFault shares the Result pointer")
	}
	if (Effect{}).ServerFault() != (alipayplus.Fault{}) {
		t.Error("empty effect gave a non-empty fault")
	}
}

func TestDurationJSON(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want Duration
	}{
		{`"1.5s"`, Duration(1500 * time.Millisecond)},
		{`"200ms"`, Duration(200 * time.Millisecond)},
		{`"1m30s"`, Duration(90 * time.Second)},
		{`""`, 0},
		{`1500`, Duration(1500 * time.Millisecond)},
		{`0`, 0},
		{`2.5`, Duration(2500 * time.Microsecond)},
		{`-100`, Duration(-100 * time.Millisecond)},
	} {
		var d Duration
		if err := json.Unmarshal([]byte(tt.in), &d); err != nil {
			t.Errorf("Unmarshal(%s): %v", tt.in, err)
			continue
		}
		if d != tt.want {
			t.Errorf("Unmarshal(%s) = %s, want %s", tt.in, d, tt.want)
		}
	}
	for _, bad := range []string{`"soon"`, `"5"`, `true`, `{}`, `1e300`, `"1.5s`} {
		var d Duration
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("Unmarshal(%s) = %s, want an error", bad, d)
		}
	}
	d := Duration(7)
	if err := json.Unmarshal([]byte(`null`), &d); err != nil || d != 7 {
		t.Errorf("Unmarshal(null) = %s, %v, want unchanged", d, err)
	}
	b, err := json.Marshal(Duration(1500 * time.Millisecond))
	if err != nil || string(b) != `"1.5s"` {
		t.Errorf("Marshal(1.5s) = %s, %v", b, err)
	}
}

func TestRuleJSONRoundTrip(t *testing.T) {
	r := Rule{ID: 4, API: "pay", Status: "U", Code: "UNKNOWN_EXCEPTION", Message: "m",
		Delay: Duration(1500 * time.Millisecond), DelayMax: Duration(3 * time.Second), Drop: true, Duplicate: true,
		CorruptSignature: true, Count: 2, TTL: Duration(10 * time.Minute),
		Until: time.Date(2025, 3, 1, 12, 10, 0, 0, time.UTC), Used: 1, Source: "admin"}
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, frag := range []string{`"delay":"1.5s"`, `"delayMax":"3s"`, `"ttl":"10m0s"`, `"until":"2025-03-01T12:10:00Z"`} {
		if !strings.Contains(string(b), frag) {
			t.Errorf("JSON %s lacks %s", b, frag)
		}
	}
	var back Rule
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, r) {
		t.Fatalf("round trip = %+v, want %+v", back, r)
	}

	// Zero durations are left out; the admin API may send milliseconds.
	b, _ = json.Marshal(Rule{API: "pay", Drop: true})
	if strings.Contains(string(b), "delay") || strings.Contains(string(b), "ttl") {
		t.Errorf("zero durations written: %s", b)
	}
	var in Rule
	if err := json.Unmarshal([]byte(`{"api":"*","delay":250,"delayMax":"1s","ttl":60000}`), &in); err != nil {
		t.Fatal(err)
	}
	want := Rule{API: "*", Delay: Duration(250 * time.Millisecond), DelayMax: Duration(time.Second), TTL: Duration(time.Minute)}
	if !reflect.DeepEqual(in, want) {
		t.Fatalf("Unmarshal = %+v, want %+v", in, want)
	}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(`{"api":"*","delay":"later"}`), &in); err == nil {
		t.Fatal("bad delay accepted")
	}
}
