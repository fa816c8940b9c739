package coderules

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Compiling a rule of the wire (alipayplus.CodeRule) into what Identify
// evaluates: the match pattern, its priority, the EMV restrictions in
// extendInfo, and the action.

func compile(i int, src *alipayplus.CodeRule) (rule, []string, error) {
	var notes []string
	r := rule{index: i, src: src}
	cmp := src.CodeMatchPattern
	if cmp == nil {
		return r, notes, errors.New("no codeMatchPattern")
	}
	mp, result, err := parseExtendInfo(src.ExtendInfo)
	if err != nil {
		return r, notes, err
	}

	// Priority: codeMatchPattern.priority, else matchPattern.priority.
	r.priority = DefaultPriority
	ptext := strings.TrimSpace(cmp.Priority)
	if ptext == "" {
		ptext = scalar(mp["priority"])
	}
	if ptext != "" {
		p, err := parsePriority(ptext)
		if err != nil {
			notes = append(notes, fmt.Sprintf("priority %q is not a number; using %d", ptext, DefaultPriority))
		} else {
			r.priority = p
		}
	}

	switch method := strings.ToUpper(strings.TrimSpace(cmp.MatchMethod)); method {
	case "PREFIX":
		r.method = "PREFIX"
		r.prefix = cmp.Prefix
		if r.prefix == "" {
			r.prefix = scalar(mp["prefix"])
		}
		if r.prefix == "" {
			return r, notes, errors.New("PREFIX rule without a prefix")
		}
	case "REGEX", "REGX":
		r.method = "REGEX"
		expr := cmp.Regex
		if expr == "" {
			expr = scalar(mp["regx"])
		}
		if expr == "" {
			return r, notes, errors.New("REGEX rule without a regex")
		}
		f, err := javaRegex(expr)
		if err != nil {
			return r, notes, err
		}
		r.regex = f
	case "EMVCO":
		r.method = "EMVCO"
		e, n, err := compileEMV(cmp, mp)
		notes = append(notes, n...)
		if err != nil {
			return r, notes, err
		}
		r.emv = e
	case "":
		return r, notes, errors.New("no matchMethod")
	default:
		return r, notes, fmt.Errorf("unknown matchMethod %q", cmp.MatchMethod)
	}

	act := src.PostCodeMatchAction
	if act == nil {
		return r, notes, errors.New("no postCodeMatchAction")
	}
	switch Action(strings.ToUpper(strings.TrimSpace(act.PostCodeMatchActionType))) {
	case Decode:
		r.action = Decode
		return r, notes, nil
	case OpenURL:
		r.action = OpenURL
	default:
		return r, notes, fmt.Errorf("unknown postCodeMatchActionType %q", act.PostCodeMatchActionType)
	}
	r.agent = act.UserAgent
	if r.agent == "" {
		r.agent = DefaultUserAgent
	}
	r.urlExpr = act.DynamicURLExpression
	if r.urlExpr == "" {
		r.urlExpr = scalar(result["dynamicUrlExpression"])
	}
	switch how := strings.ToUpper(strings.TrimSpace(act.URLConstructionMethod)); how {
	case "", UseDirectly:
		r.urlHow = UseDirectly
	case ConstructDynamicURL:
		r.urlHow = how
		if r.urlExpr == "" {
			return r, notes, errors.New("CONSTRUCT_DYNAMIC_URL without a dynamicUrlExpression")
		}
	case ExtractURLFromEMVCode:
		r.urlHow = how
		if r.emv == nil {
			return r, notes, errors.New("EXTRACT_URL_FROM_EMVCODE on a non-EMVCO rule")
		}
		tag, sub, ok := strings.Cut(act.EmvURLTag, ".")
		if !ok || tag == "" || !isDigits(sub) || len(sub) != 2 || (tag != "merchantTag" && (!isDigits(tag) || len(tag) != 2)) {
			return r, notes, fmt.Errorf("emvUrlTag %q is not merchantTag.subTag", act.EmvURLTag)
		}
		r.urlTag = [2]string{tag, sub}
	default:
		return r, notes, fmt.Errorf("unknown urlConstructionMethod %q", act.URLConstructionMethod)
	}
	return r, notes, nil
}

func parsePriority(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != float64(int(f)) {
		return 0, fmt.Errorf("bad priority %q", s)
	}
	return int(f), nil
}

func compileEMV(cmp *alipayplus.CodeMatchPattern, mp map[string]any) (*emvRule, []string, error) {
	var notes []string
	e := &emvRule{}
	seenMAI := map[string]bool{}
	addMAI := func(sub, pat string) error {
		if !isDigits(sub) || len(sub) != 2 {
			return fmt.Errorf("merchant sub-tag %q is not two digits", sub)
		}
		if seenMAI[sub+"\x00"+pat] {
			return nil
		}
		p, err := CompileValuePattern(pat)
		if err != nil {
			return fmt.Errorf("sub-tag %s: %w", sub, err)
		}
		seenMAI[sub+"\x00"+pat] = true
		e.mai = append(e.mai, subRestriction{sub, p})
		return nil
	}
	seenPrim := map[string]bool{}
	addPrim := func(tag, pat string) error {
		if !isDigits(tag) || len(tag) != 2 {
			return fmt.Errorf("primitive merchant tag %q is not two digits", tag)
		}
		if pat == "" {
			pat = "N<NOT_NULL>"
		}
		if seenPrim[tag+"\x00"+pat] {
			return nil
		}
		p, err := CompileValuePattern(pat)
		if err != nil {
			return fmt.Errorf("primitive tag %s: %w", tag, err)
		}
		seenPrim[tag+"\x00"+pat] = true
		e.primitive = append(e.primitive, tagRestriction{tag: tag, name: "primitive MAI " + tag, pat: p})
		return nil
	}
	for _, er := range cmp.EmvMatchRules {
		var err error
		if strings.EqualFold(er.PrimitiveMerchant, "true") {
			err = addPrim(er.PrimitiveMerchantTag, er.ExtendedMerchantValue)
		} else {
			err = addMAI(er.ExtendedMerchantTag, er.ExtendedMerchantValue)
		}
		if err != nil {
			return nil, notes, err
		}
	}
	// extendInfo.matchPattern: every restriction it carries must hold too.
	if strings.EqualFold(scalar(mp["primitiveMai"]), "true") {
		tag := scalar(mp["primitiveMaiTag"])
		if tag == "" {
			return nil, notes, errors.New("matchPattern.primitiveMai without primitiveMaiTag")
		}
		if err := addPrim(tag, ""); err != nil {
			return nil, notes, err
		}
	}
	if raw, ok := mp["merchantMaiRestrictions"]; ok {
		restr, err := objectField(raw)
		if err != nil {
			return nil, notes, fmt.Errorf("matchPattern.merchantMaiRestrictions: %w", err)
		}
		subs := make([]string, 0, len(restr))
		for k := range restr {
			subs = append(subs, k)
		}
		sort.Strings(subs)
		for _, sub := range subs {
			if err := addMAI(sub, scalar(restr[sub])); err != nil {
				return nil, notes, err
			}
		}
	}
	fields := make([]string, 0, len(mp))
	for k := range mp {
		fields = append(fields, k)
	}
	sort.Strings(fields)
	for _, k := range fields {
		tag, ok := emvFields[k]
		if !ok {
			if !knownFields[k] {
				notes = append(notes, fmt.Sprintf("matchPattern field %q not understood, ignored", k))
			}
			continue
		}
		v := scalar(mp[k])
		if v == "" {
			continue
		}
		p, err := CompileValuePattern(v)
		if err != nil {
			return nil, notes, fmt.Errorf("matchPattern.%s: %w", k, err)
		}
		e.tags = append(e.tags, tagRestriction{tag: tag, name: k, pat: p, num: k == "transactionAmount"})
	}
	if len(e.mai) == 0 && len(e.primitive) == 0 {
		notes = append(notes, "EMVCO rule restricts no merchant account information")
	}
	return e, notes, nil
}

// parseExtendInfo reads extendInfo (JSON text) and returns its matchPattern
// and matchResult objects; each may itself be JSON text or an object.
func parseExtendInfo(s string) (mp, result map[string]any, err error) {
	if strings.TrimSpace(s) == "" {
		return map[string]any{}, map[string]any{}, nil
	}
	top, err := decodeObject(s)
	if err != nil {
		return nil, nil, fmt.Errorf("extendInfo: %w", err)
	}
	mp, result = map[string]any{}, map[string]any{}
	if raw, ok := top["matchPattern"]; ok && raw != nil {
		if mp, err = objectField(raw); err != nil {
			return nil, nil, fmt.Errorf("extendInfo.matchPattern: %w", err)
		}
	}
	if raw, ok := top["matchResult"]; ok && raw != nil {
		if result, err = objectField(raw); err != nil {
			return nil, nil, fmt.Errorf("extendInfo.matchResult: %w", err)
		}
	}
	return mp, result, nil
}

// objectField accepts an object or JSON text holding one.
func objectField(v any) (map[string]any, error) {
	switch x := v.(type) {
	case map[string]any:
		return x, nil
	case string:
		if strings.TrimSpace(x) == "" {
			return map[string]any{}, nil
		}
		return decodeObject(x)
	}
	return nil, fmt.Errorf("want an object or JSON text, got %T", v)
}

func decodeObject(s string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return map[string]any{}, nil
	}
	return m, nil
}

// scalar renders a JSON scalar as the string Alipay+ means by it.
func scalar(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}
