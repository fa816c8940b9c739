package simulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// DefaultTTL is how long a rule lives when it names no TTL, so that a demo
// never inherits a fault someone forgot to remove (like iMock's automatic
// switch-off).
const DefaultTTL = 30 * time.Minute

// Limits a rule must keep.
const (
	faultMaxDelay   = 5 * time.Minute
	faultMaxTTL     = 24 * time.Hour
	faultMaxCode    = 64
	faultMaxMessage = 256
)

// faultOutgoing lists the APIs the simulator calls itself: only these can be
// sent twice.
var faultOutgoing = map[string]bool{
	APIPay:            true,
	APIInquiryPayment: true,
	APICancelPayment:  true,
	APIRefund:         true,
	APIAcquirerUIP:    true,
}

// faultOutgoingList is faultOutgoing in a stable order, for messages.
var faultOutgoingList = []string{APIPay, APIInquiryPayment, APICancelPayment, APIRefund, APIAcquirerUIP}

// Duration is a time.Duration that reads and writes JSON as a Go duration
// string such as "1.5s"; it also reads a JSON number as milliseconds.
type Duration time.Duration

// String formats the duration as time.Duration does ("1.5s").
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON writes the duration as a string such as "1.5s".
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a duration string ("1.5s", "200ms", "" for zero) or a
// number of milliseconds (1500). null leaves the value unchanged.
func (d *Duration) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(string(b))
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		var str string
		if err := json.Unmarshal(b, &str); err != nil {
			return fmt.Errorf("duration %s: %v", s, err)
		}
		if str == "" {
			*d = 0
			return nil
		}
		v, err := time.ParseDuration(str)
		if err != nil {
			return fmt.Errorf("duration %q: want e.g. \"1.5s\" or \"200ms\"", str)
		}
		*d = Duration(v)
		return nil
	}
	ms, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return fmt.Errorf("duration %s: want a string such as \"1.5s\" or a number of milliseconds", s)
	}
	ns := math.Round(ms * float64(time.Millisecond))
	if math.IsNaN(ns) || ns >= math.MaxInt64 || ns < math.MinInt64 {
		return fmt.Errorf("duration %s ms is out of range", s)
	}
	*d = Duration(time.Duration(ns))
	return nil
}

// Rule is one injected fault: what to do to the exchanges of one API (or
// of every API), how many times, and for how long.
type Rule struct {
	// ID is assigned by Faults.Add, increasing from 1.
	ID int `json:"id"`
	// API is a short name from APIs(), or "*" for every API.
	API string `json:"api"`
	// Status is the forced result status S, F or U ("" = none).
	Status string `json:"status,omitempty"`
	// Code is the forced result code (required with Status).
	Code string `json:"code,omitempty"`
	// Message is the forced result message (optional, only with Status).
	Message string `json:"message,omitempty"`
	// Delay holds the message back this long.
	Delay Duration `json:"delay,omitempty"`
	// DelayMax, when greater than Delay, makes the delay uniformly random
	// in [Delay, DelayMax].
	DelayMax Duration `json:"delayMax,omitempty"`
	// Drop loses the answer.
	Drop bool `json:"drop,omitempty"`
	// Duplicate sends the request twice (outgoing calls only: pay,
	// inquiryPayment, cancelPayment, refund, acquirer.userInitiatedPay).
	Duplicate bool `json:"duplicate,omitempty"`
	// CorruptSignature sends a signature that does not verify.
	CorruptSignature bool `json:"corruptSignature,omitempty"`
	// Count is how many exchanges the rule applies to; 0 = until it is
	// removed or expires.
	Count int `json:"count,omitempty"`
	// TTL is the rule's lifetime from when it was added; 0 = DefaultTTL.
	TTL Duration `json:"ttl,omitempty"`
	// Until is when the rule expires; Add sets it from TTL.
	Until time.Time `json:"until"`
	// Used is how many exchanges the rule has applied to.
	Used int `json:"used"`
	// Source says where the rule came from: "flag", "admin", ...
	Source string `json:"source,omitempty"`
}

// Validate checks the rule's fields and reports the first problem in one
// line.
func (r Rule) Validate() error {
	if r.API != "*" && !slices.Contains(APIs(), r.API) {
		if r.API == "" {
			return fmt.Errorf("no API: want * or one of %s", strings.Join(APIs(), ", "))
		}
		return fmt.Errorf("unknown API %q: want * or one of %s", r.API, strings.Join(APIs(), ", "))
	}
	switch r.Status {
	case "", alipayplus.StatusSuccess, alipayplus.StatusFail, alipayplus.StatusUnknown:
	default:
		return fmt.Errorf("result status %q: want S, F or U", r.Status)
	}
	switch {
	case r.Status != "" && r.Code == "":
		return fmt.Errorf("result status %s needs a code, e.g. result=%s/UNKNOWN_EXCEPTION", r.Status, r.Status)
	case r.Status == "" && r.Code != "":
		return fmt.Errorf("result code %s needs a status, e.g. result=F/%s", r.Code, r.Code)
	case r.Status == "" && r.Message != "":
		return errors.New("message needs a result, e.g. result=F/PROCESS_FAIL,message=TEXT")
	}
	if r.Code != "" {
		if len(r.Code) > faultMaxCode {
			return fmt.Errorf("result code is %d characters long, at most %d allowed", len(r.Code), faultMaxCode)
		}
		if strings.TrimLeft(r.Code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") != "" {
			return fmt.Errorf("result code %q: use upper-case letters and underscores only", r.Code)
		}
	}
	if n := len([]rune(r.Message)); n > faultMaxMessage {
		return fmt.Errorf("message is %d characters long, at most %d allowed", n, faultMaxMessage)
	}
	switch {
	case r.Delay < 0:
		return fmt.Errorf("delay %s is negative", r.Delay)
	case r.DelayMax < 0:
		return fmt.Errorf("delay maximum %s is negative", r.DelayMax)
	case r.DelayMax != 0 && r.DelayMax < r.Delay:
		return fmt.Errorf("delay range %s-%s is reversed: the smaller value comes first", r.Delay, r.DelayMax)
	case time.Duration(r.Delay) > faultMaxDelay || time.Duration(r.DelayMax) > faultMaxDelay:
		return fmt.Errorf("delay %s is longer than the %s allowed", max(r.Delay, r.DelayMax), faultMaxDelay)
	}
	if r.Duplicate && r.API != "*" && !faultOutgoing[r.API] {
		return fmt.Errorf("dup works only on calls the simulator makes (%s), not on %s",
			strings.Join(faultOutgoingList, ", "), r.API)
	}
	if r.Count < 0 {
		return fmt.Errorf("count %d is negative", r.Count)
	}
	switch {
	case r.TTL < 0:
		return fmt.Errorf("ttl %s is negative", r.TTL)
	case time.Duration(r.TTL) > faultMaxTTL:
		return fmt.Errorf("ttl %s is longer than the %s allowed", r.TTL, faultMaxTTL)
	}
	if r.Status == "" && r.Delay == 0 && r.DelayMax == 0 && !r.Drop && !r.Duplicate && !r.CorruptSignature {
		return errors.New("no effect: give at least one of result=, delay=, drop, dup, badsig")
	}
	return nil
}

// String formats the rule in the flag syntax that ParseRule reads, e.g.
// "pay:result=U/UNKNOWN_EXCEPTION,count=2". ID, Until, Used and Source are
// not part of it.
func (r Rule) String() string {
	var parts []string
	if r.Status != "" || r.Code != "" {
		parts = append(parts, "result="+r.Status+"/"+r.Code)
	}
	if r.Message != "" {
		parts = append(parts, "message="+faultQuote(r.Message))
	}
	switch {
	case r.DelayMax != 0:
		parts = append(parts, "delay="+r.Delay.String()+"-"+r.DelayMax.String())
	case r.Delay != 0:
		parts = append(parts, "delay="+r.Delay.String())
	}
	if r.Drop {
		parts = append(parts, "drop")
	}
	if r.Duplicate {
		parts = append(parts, "dup")
	}
	if r.CorruptSignature {
		parts = append(parts, "badsig")
	}
	if r.Count != 0 {
		parts = append(parts, "count="+strconv.Itoa(r.Count))
	}
	if r.TTL != 0 {
		parts = append(parts, "ttl="+r.TTL.String())
	}
	if len(parts) == 0 {
		return r.API
	}
	return r.API + ":" + strings.Join(parts, ",")
}

// faultQuote quotes a message value when it would not survive the flag
// syntax as it is.
func faultQuote(s string) string {
	if s != strings.TrimSpace(s) || strings.ContainsAny(s, `,"`) || strconv.Quote(s) != `"`+s+`"` {
		return strconv.Quote(s)
	}
	return s
}

// faultEffectNames maps every effect name ParseRule knows, aliases
// included, to its canonical name.
var faultEffectNames = map[string]string{
	"result":            "result",
	"message":           "message",
	"delay":             "delay",
	"drop":              "drop",
	"dup":               "dup",
	"duplicate":         "dup",
	"badsig":            "badsig",
	"corrupt-signature": "badsig",
	"count":             "count",
	"ttl":               "ttl",
}

// ParseRule reads a rule in the flag syntax "API[:effect,effect...]". API is
// a short name from APIs() or "*"; the effects are
//
//	result=STATUS/CODE   a forced result, e.g. result=U/UNKNOWN_EXCEPTION
//	message=TEXT         its message (quote it Go-style if it has a comma)
//	delay=2s             hold the message back; delay=1s-5s for a random delay
//	drop                 lose the answer
//	dup, duplicate       send the request twice (outgoing calls only)
//	badsig, corrupt-signature  a signature that does not verify
//	count=N              apply to N exchanges only
//	ttl=10m              expire this long after being added
//
// e.g. "pay:drop,count=1", "notifyPayment:result=U/UNKNOWN_EXCEPTION,count=2",
// "*:delay=200ms-800ms,ttl=5m". The rule is validated.
func ParseRule(spec string) (Rule, error) {
	r, err := parseRule(spec)
	if err != nil {
		return Rule{}, fmt.Errorf("fault rule %q: %w", spec, err)
	}
	return r, nil
}

func parseRule(spec string) (Rule, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return Rule{}, errors.New("empty: want API[:effect,...], e.g. pay:drop,count=1")
	}
	api, effects, _ := strings.Cut(spec, ":")
	r := Rule{API: strings.TrimSpace(api)}
	if r.API == "" {
		return Rule{}, errors.New("no API before ':': want * or one of " + strings.Join(APIs(), ", "))
	}
	items, err := faultSplit(effects)
	if err != nil {
		return Rule{}, err
	}
	seen := map[string]bool{}
	for _, it := range items {
		name, ok := faultEffectNames[it.key]
		if !ok {
			return Rule{}, fmt.Errorf("unknown effect %q: want result=, message=, delay=, drop, dup, badsig, count= or ttl=", it.key)
		}
		if seen[name] {
			return Rule{}, fmt.Errorf("effect %s is given twice", name)
		}
		seen[name] = true
		switch name {
		case "drop", "dup", "badsig":
			if it.hasValue {
				return Rule{}, fmt.Errorf("effect %s takes no value", it.key)
			}
		default:
			if !it.hasValue || (it.value == "" && name != "message") {
				return Rule{}, fmt.Errorf("effect %s needs a value, e.g. %s", it.key, faultExample[name])
			}
		}
		v := it.value
		switch name {
		case "result":
			status, code, ok := strings.Cut(v, "/")
			if !ok || code == "" {
				return Rule{}, fmt.Errorf("result=%s: want STATUS/CODE, e.g. result=U/UNKNOWN_EXCEPTION", v)
			}
			if status != alipayplus.StatusSuccess && status != alipayplus.StatusFail && status != alipayplus.StatusUnknown {
				return Rule{}, fmt.Errorf("result=%s: status %q must be S, F or U", v, status)
			}
			r.Status, r.Code = status, code
		case "message":
			r.Message = v
		case "delay":
			lo, hi, isRange := v, "", false
			if i := strings.Index(v[1:], "-"); i >= 0 {
				lo, hi, isRange = v[:i+1], v[i+2:], true
			}
			d, err := time.ParseDuration(lo)
			if err != nil {
				return Rule{}, fmt.Errorf("delay=%s: %q is not a duration such as 2s or 200ms", v, lo)
			}
			r.Delay = Duration(d)
			if isRange {
				d, err := time.ParseDuration(hi)
				if err != nil {
					return Rule{}, fmt.Errorf("delay=%s: %q is not a duration such as 2s or 200ms", v, hi)
				}
				r.DelayMax = Duration(d)
			}
		case "drop":
			r.Drop = true
		case "dup":
			r.Duplicate = true
		case "badsig":
			r.CorruptSignature = true
		case "count":
			n, err := strconv.Atoi(v)
			if err != nil {
				return Rule{}, fmt.Errorf("count=%s: want a whole number", v)
			}
			r.Count = n
		case "ttl":
			d, err := time.ParseDuration(v)
			if err != nil {
				return Rule{}, fmt.Errorf("ttl=%s: not a duration such as 10m or 1h", v)
			}
			r.TTL = Duration(d)
		}
	}
	return r, r.Validate()
}

// faultExample shows a valid use of each effect that takes a value.
var faultExample = map[string]string{
	"result":  "result=U/UNKNOWN_EXCEPTION",
	"message": "message=TEXT",
	"delay":   "delay=2s or delay=1s-5s",
	"count":   "count=1",
	"ttl":     "ttl=10m",
}

// faultItem is one "key" or "key=value" of a rule's effect list.
type faultItem struct {
	key, value string
	hasValue   bool
}

// faultSplit splits a comma-separated effect list. A value that starts with
// a double quote is a Go-quoted string and may hold commas.
func faultSplit(s string) ([]faultItem, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	var items []faultItem
	for {
		var it faultItem
		end := strings.IndexAny(s, ",=")
		if end < 0 || s[end] == ',' {
			if end < 0 {
				end = len(s)
			}
			it.key = strings.TrimSpace(s[:end])
			s = s[end:]
		} else {
			it.key, it.hasValue = strings.TrimSpace(s[:end]), true
			s = strings.TrimLeft(s[end+1:], " ")
			if strings.HasPrefix(s, `"`) {
				q, err := strconv.QuotedPrefix(s)
				if err != nil {
					return nil, fmt.Errorf("effect %s: unterminated or malformed quoted value", it.key)
				}
				it.value, _ = strconv.Unquote(q)
				s = strings.TrimLeft(s[len(q):], " ")
				if s != "" && s[0] != ',' {
					return nil, fmt.Errorf("effect %s: unexpected %q after the quoted value", it.key, s)
				}
			} else {
				c := strings.IndexByte(s, ',')
				if c < 0 {
					c = len(s)
				}
				it.value = strings.TrimSpace(s[:c])
				s = s[c:]
			}
		}
		if it.key == "" {
			return nil, errors.New("empty effect: check for a stray comma")
		}
		items = append(items, it)
		if s == "" {
			return items, nil
		}
		s = s[1:] // the comma
	}
}

// Effect is what the active rules do to one exchange.
type Effect struct {
	// RuleID is the first rule that applied (0 for a magic amount).
	RuleID int
	// Result, when set, is answered instead of the real one.
	Result *alipayplus.Result
	// Delay holds the message back.
	Delay time.Duration
	// Drop loses the answer.
	Drop bool
	// Duplicate sends the request twice (outgoing calls only).
	Duplicate bool
	// CorruptSignature sends a signature that does not verify.
	CorruptSignature bool
}

// ServerFault converts the effect to the HTTP server's fault. Duplicate has
// no server-side meaning and is left out.
func (e Effect) ServerFault() alipayplus.Fault {
	f := alipayplus.Fault{Delay: e.Delay, Drop: e.Drop, CorruptSignature: e.CorruptSignature}
	if e.Result != nil {
		res := *e.Result
		f.Result = &res
	}
	return f
}

// Faults holds the active rules. It is safe for concurrent use.
type Faults struct {
	mu    sync.Mutex
	now   func() time.Time
	rnd   *rand.Rand
	rules []Rule // by ID
	next  int
}

// NewFaults returns an empty rule set. now is the clock (nil = time.Now);
// rnd draws random delays (nil = seeded randomly).
func NewFaults(now func() time.Time, rnd *rand.Rand) *Faults {
	if now == nil {
		now = time.Now
	}
	if rnd == nil {
		rnd = rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))
	}
	return &Faults{now: now, rnd: rnd}
}

// Add validates r, gives it the next ID, sets Until to now plus its TTL
// (DefaultTTL when TTL is 0, and TTL is then set to it) and Used to 0, and
// returns the rule as stored.
func (f *Faults) Add(r Rule) (Rule, error) {
	if err := r.Validate(); err != nil {
		return Rule{}, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := f.now()
	f.expire(now)
	if r.TTL == 0 {
		r.TTL = Duration(DefaultTTL)
	}
	f.next++
	r.ID, r.Used, r.Until = f.next, 0, now.Add(time.Duration(r.TTL))
	f.rules = append(f.rules, r)
	return r, nil
}

// Remove deletes the rule with the given ID and reports whether it was
// active.
func (f *Faults) Remove(id int) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expire(f.now())
	n := len(f.rules)
	f.rules = slices.DeleteFunc(f.rules, func(r Rule) bool { return r.ID == id })
	return len(f.rules) < n
}

// Clear deletes every rule. IDs keep increasing.
func (f *Faults) Clear() {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.rules = nil
}

// List returns the active rules by ID; expired rules are dropped.
func (f *Faults) List() []Rule {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expire(f.now())
	return slices.Clone(f.rules)
}

// expire drops the rules whose Until has passed. f.mu must be held.
func (f *Faults) expire(now time.Time) {
	f.rules = slices.DeleteFunc(f.rules, func(r Rule) bool { return now.After(r.Until) })
}

// Take returns the combined effect of the active rules for api and uses up
// one exchange of each rule that applied; rules whose Count is used up are
// then dropped, as are expired ones. ok is false when no rule applied.
//
// Rules naming api come first, then "*" rules, each group by ID. The first
// rule with a forced result gives the result; the delay is the largest of
// the rules' delays (a random one drawn per rule); Drop, Duplicate and
// CorruptSignature are or-ed. A rule applies only if it does something to
// this exchange: a "*" rule's dup counts only for outgoing APIs, and a rule
// whose only effect is a forced result is skipped (not used up) once an
// earlier rule has given the result.
func (f *Faults) Take(api string) (Effect, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.expire(f.now())
	var e Effect
	applied, usedUp := false, false
	for _, exact := range []bool{true, false} {
		for i := range f.rules {
			r := &f.rules[i]
			if exact && (r.API != api || api == "*") || !exact && r.API != "*" {
				continue
			}
			dup := r.Duplicate && faultOutgoing[api]
			result := r.Status != "" && e.Result == nil
			if !result && r.Delay == 0 && r.DelayMax == 0 && !r.Drop && !dup && !r.CorruptSignature {
				continue
			}
			if !applied {
				e.RuleID, applied = r.ID, true
			}
			if result {
				msg := r.Message
				if msg == "" {
					msg = fmt.Sprintf("Simulated fault (rule %d).", r.ID)
				}
				e.Result = &alipayplus.Result{ResultStatus: r.Status, ResultCode: r.Code, ResultMessage: msg}
			}
			d := time.Duration(r.Delay)
			if r.DelayMax > r.Delay {
				d += time.Duration(f.rnd.Int64N(int64(r.DelayMax-r.Delay) + 1))
			}
			e.Delay = max(e.Delay, d)
			e.Drop = e.Drop || r.Drop
			e.Duplicate = e.Duplicate || dup
			e.CorruptSignature = e.CorruptSignature || r.CorruptSignature
			r.Used++
			if r.Count > 0 && r.Used >= r.Count {
				usedUp = true
			}
		}
	}
	if usedUp {
		f.rules = slices.DeleteFunc(f.rules, func(r Rule) bool { return r.Count > 0 && r.Used >= r.Count })
	}
	return e, applied
}
