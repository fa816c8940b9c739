// Package coderules matches scanned codes against the Alipay+ code rules
// (inquiryCodeRules) the way the Alipay+ MPP server SDK does: every rule is
// evaluated, every match is kept, and the match with the smallest priority
// (absent = 10000) wins; ties go to the rule listed first. A winning DECODE
// rule means "send the code to Alipay+ (userInitiatedPay)"; OPEN_URL means
// "open a web view at Decision.URL".
//
// Match methods: PREFIX (case-insensitive starts-with), REGEX (also spelled
// REGX; whole-string match, as Java Pattern.matches) and EMVCO (an EMVCo
// merchant-presented QR whose merchant account information and other tags
// satisfy the rule's restrictions, see ValuePattern). Rules this package
// cannot evaluate faithfully are skipped by New with a warning, never
// guessed at.
package coderules

import (
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Action is what the wallet does with a supported code.
type Action string

// Actions (postCodeMatchActionType).
const (
	// Decode: an order code; pass the raw code to Alipay+ (userInitiatedPay).
	Decode Action = "DECODE"
	// OpenURL: an entry code or link; open Decision.URL in a web view.
	OpenURL Action = "OPEN_URL"
)

// DefaultPriority is the priority of a rule that gives none.
const DefaultPriority = 10000

// DefaultUserAgent is the web view user agent when an OPEN_URL rule names
// none.
const DefaultUserAgent = "AlipayConnect"

// URL construction methods (postCodeMatchAction.urlConstructionMethod).
const (
	UseDirectly           = "USE_DIRECTLY"
	ConstructDynamicURL   = "CONSTRUCT_DYNAMIC_URL"
	ExtractURLFromEMVCode = "EXTRACT_URL_FROM_EMVCODE"
)

// Decision is the outcome of identifying one code.
type Decision struct {
	// Supported is true when some rule matched and its action could be
	// carried out.
	Supported bool
	// Action is DECODE or OPEN_URL (empty when not supported).
	Action Action
	// Rule is the winning rule (nil when nothing matched). Treat it as
	// read-only: it is shared by every Decision of the Matcher.
	Rule *alipayplus.CodeRule
	// Index is the winning rule's position in the slice given to New
	// (-1 when nothing matched).
	Index int
	// Method is the winning rule's match method: PREFIX, REGEX or EMVCO.
	Method string
	// Prefix is the winning PREFIX rule's prefix.
	Prefix string
	// Priority is the winning rule's priority.
	Priority int
	// URL is the page to open for OPEN_URL.
	URL string
	// UserAgent is the web view user agent for OPEN_URL.
	UserAgent string
	// Reason says, for people, why the code is not supported.
	Reason string
}

// Matcher identifies codes against a fixed rule set. It is immutable and
// safe for concurrent use.
type Matcher struct {
	rules  []rule
	hasEMV bool
}

type rule struct {
	index    int
	src      *alipayplus.CodeRule
	method   string
	priority int
	prefix   string
	regex    func(string) bool
	emv      *emvRule
	action   Action
	urlHow   string
	urlExpr  string
	urlTag   [2]string // merchant tag (or "merchantTag"), sub-tag
	agent    string
}

type subRestriction struct {
	sub string
	pat ValuePattern
}

type tagRestriction struct {
	tag  string
	name string
	pat  ValuePattern
	num  bool // compare literal values as decimal numbers (amount)
}

type emvRule struct {
	mai       []subRestriction // must all hold in one template 26–51
	primitive []tagRestriction // primitive MAI tags 02–25
	tags      []tagRestriction // countryCode, amount, ...
}

// matchPattern fields that restrict EMV tags, with their tag numbers.
var emvFields = map[string]string{
	"countryCode":             "58",
	"merchantCategoryCode":    "52",
	"merchantName":            "59",
	"transactionAmount":       "54",
	"transactionCurrency":     "53",
	"pointOfInitiationMethod": "01",
}

// matchPattern fields that carry no EMV restriction (or are handled
// elsewhere).
var knownFields = map[string]bool{
	"matcherType": true, "prefix": true, "regx": true, "regex": true,
	"priority": true, "primitiveMai": true, "primitiveMaiTag": true,
	"merchantMaiRestrictions": true,
}

// New compiles a rule set. Rules it cannot evaluate (unknown match method
// or action, a regex Go cannot run, a broken extendInfo, ...) are left out;
// each one yields a warning "rule N skipped: why". Other oddities that do
// not stop a rule from being used yield warnings "rule N: ...".
func New(rules []alipayplus.CodeRule) (*Matcher, []string) {
	m := &Matcher{}
	var warns []string
	for i := range rules {
		src := &rules[i]
		r, notes, err := compile(i, src)
		for _, n := range notes {
			warns = append(warns, fmt.Sprintf("rule %d: %s", i, n))
		}
		if err != nil {
			warns = append(warns, fmt.Sprintf("rule %d skipped: %v", i, err))
			continue
		}
		m.rules = append(m.rules, r)
		if r.emv != nil {
			m.hasEMV = true
		}
	}
	return m, warns
}

// Len returns how many rules the Matcher uses (after skipping).
func (m *Matcher) Len() int { return len(m.rules) }

// Identify decides whether code is an Alipay+ code and what to do with it.
func (m *Matcher) Identify(code string) Decision {
	var emv *EMV
	var emvErr error
	if m.hasEMV {
		e, err := ParseEMV(code)
		if err == nil {
			emv = &e
		} else {
			emvErr = err
		}
	}
	best, bestTmpl := -1, ""
	for i := range m.rules {
		r := &m.rules[i]
		ok, tmpl := r.matches(code, emv)
		if ok && (best < 0 || r.priority < m.rules[best].priority) {
			best, bestTmpl = i, tmpl
		}
	}
	if best < 0 {
		d := Decision{Index: -1, Reason: "no Alipay+ code rule matches this code"}
		if emvErr != nil && !errors.Is(emvErr, ErrNotEMV) {
			d.Reason = "invalid EMVCo code: " + emvErr.Error()
		}
		return d
	}
	r := &m.rules[best]
	d := Decision{
		Supported: true,
		Action:    r.action,
		Rule:      r.src,
		Index:     r.index,
		Method:    r.method,
		Prefix:    r.prefix,
		Priority:  r.priority,
	}
	if r.action != OpenURL {
		return d
	}
	d.UserAgent = r.agent
	issuer := ""
	if emv != nil && bestTmpl != "" {
		issuer = emv.Templates[bestTmpl]["00"]
	}
	switch r.urlHow {
	case UseDirectly:
		d.URL = code
		if r.urlExpr != "" {
			d.URL = expand(r.urlExpr, code, issuer)
		}
	case ConstructDynamicURL:
		d.URL = expand(r.urlExpr, code, issuer)
	case ExtractURLFromEMVCode:
		tmpl := r.urlTag[0]
		if tmpl == "merchantTag" {
			tmpl = bestTmpl
		}
		if emv != nil {
			d.URL = emv.Templates[tmpl][r.urlTag[1]]
		}
		if d.URL == "" {
			return Decision{Index: r.index, Rule: r.src, Method: r.method, Priority: r.priority,
				Reason: fmt.Sprintf("rule %d wants the URL from EMVCo tag %s.%s, which the code lacks", r.index, r.urlTag[0], r.urlTag[1])}
		}
	}
	if d.URL == "" { // an empty code used directly, or an expression that expands to nothing
		return Decision{Index: r.index, Rule: r.src, Method: r.method, Priority: r.priority,
			Reason: fmt.Sprintf("rule %d gives no URL to open for this code", r.index)}
	}
	return d
}

func expand(expr, code, issuer string) string {
	return strings.NewReplacer(
		"${codeValue}", url.QueryEscape(code),
		"${issuer}", url.QueryEscape(issuer),
	).Replace(expr)
}

// matches reports whether the rule matches; for EMVCO rules it also
// returns the merchant account information template tag that matched.
func (r *rule) matches(code string, emv *EMV) (bool, string) {
	switch r.method {
	case "PREFIX":
		return len(code) >= len(r.prefix) && strings.EqualFold(code[:len(r.prefix)], r.prefix), ""
	case "REGEX":
		return r.regex(code), ""
	case "EMVCO":
		if emv == nil {
			return false, ""
		}
		return r.emv.matches(emv)
	}
	return false, ""
}

func (e *emvRule) matches(emv *EMV) (bool, string) {
	for _, t := range e.tags {
		if !t.holds(emv) {
			return false, ""
		}
	}
	for _, t := range e.primitive {
		if !t.holds(emv) {
			return false, ""
		}
	}
	if len(e.mai) == 0 {
		return true, firstMAI(emv)
	}
	for n := 26; n <= 51; n++ {
		tag := strconv.Itoa(n)
		tmpl, ok := emv.Templates[tag]
		if !ok {
			continue
		}
		all := true
		for _, s := range e.mai {
			v, present := tmpl[s.sub]
			if !s.pat.Match(v, present) {
				all = false
				break
			}
		}
		if all {
			return true, tag
		}
	}
	return false, ""
}

func firstMAI(emv *EMV) string {
	for n := 26; n <= 51; n++ {
		if _, ok := emv.Templates[strconv.Itoa(n)]; ok {
			return strconv.Itoa(n)
		}
	}
	return ""
}

func (t tagRestriction) holds(emv *EMV) bool {
	v, present := emv.Tags[t.tag]
	if t.pat.Match(v, present) {
		return true
	}
	// An amount literal such as "0" also matches "0.00": both are compared
	// as exact decimals (no float, no sign, exponent or hex).
	if t.num && t.pat.exact && present {
		a, ok1 := canonicalDecimal(v)
		b, ok2 := canonicalDecimal(t.pat.literal)
		return ok1 && ok2 && a == b
	}
	return false
}

// canonicalDecimal reads an EMVCo amount (digits with an optional '.') and
// returns it without leading integer zeros or trailing fraction zeros, so
// that equal amounts have equal text ("010.50" and "10.5" give "10.5").
func canonicalDecimal(s string) (string, bool) {
	whole, frac, _ := strings.Cut(s, ".")
	if (whole == "" && frac == "") || (whole != "" && !isDigits(whole)) || (frac != "" && !isDigits(frac)) {
		return "", false
	}
	whole = strings.TrimLeft(whole, "0")
	if whole == "" {
		whole = "0"
	}
	if frac = strings.TrimRight(frac, "0"); frac != "" {
		return whole + "." + frac, true
	}
	return whole, true
}
