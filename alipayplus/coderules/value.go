package coderules

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"
)

// ValuePattern is a compiled value restriction from the code rules'
// mini-language:
//
//	R<regex>     the whole value matches regex (Java Pattern.matches)
//	S<text>      the value starts with text
//	C<text>      the value contains text
//	N<NULL>      the value is absent
//	N<NOT_NULL>  the value is present
//	anything     the value equals it exactly
//
// Apart from N<NULL>, every form requires the value to be present.
type ValuePattern struct {
	src   string
	match func(v string) bool // nil for N<...>
	// presence: 0 = value required and checked by match; 1 = must be
	// absent; 2 = must be present (any value).
	presence int
	literal  string // for exact patterns
	exact    bool
}

// ErrUnsupportedRegex is returned (wrapped) for an R<...> whose regex Go's
// RE2 engine cannot compile, typically a Java lookahead (?!...).
var ErrUnsupportedRegex = errors.New("regex not supported by Go's RE2")

// String returns the pattern as written in the rule.
func (p ValuePattern) String() string { return p.src }

// CompileValuePattern compiles one mini-language pattern. An R<...> regex
// that Go cannot compile is an error wrapping ErrUnsupportedRegex, except a
// few known Java lookahead patterns that are emulated (see javaRegex).
func CompileValuePattern(src string) (ValuePattern, error) {
	p := ValuePattern{src: src}
	if len(src) >= 3 && src[1] == '<' && src[len(src)-1] == '>' {
		body := src[2 : len(src)-1]
		switch src[0] {
		case 'R':
			f, err := javaRegex(body)
			if err != nil {
				return p, err
			}
			p.match = f
			return p, nil
		case 'S':
			p.match = func(v string) bool { return strings.HasPrefix(v, body) }
			return p, nil
		case 'C':
			p.match = func(v string) bool { return strings.Contains(v, body) }
			return p, nil
		case 'N':
			switch body {
			case "NULL":
				p.presence = 1
			case "NOT_NULL":
				p.presence = 2
			default:
				return p, fmt.Errorf("unknown presence pattern %q (want N<NULL> or N<NOT_NULL>)", src)
			}
			return p, nil
		}
	}
	p.exact, p.literal = true, src
	p.match = func(v string) bool { return v == src }
	return p, nil
}

// Match reports whether a value satisfies the pattern; present says
// whether the value exists at all (an absent value is "").
func (p ValuePattern) Match(value string, present bool) bool {
	switch p.presence {
	case 1:
		return !present
	case 2:
		return present
	}
	return present && p.match(value)
}

// lookaheads maps Java regexes with negative lookahead, seen in real rule
// sets, to equivalent Go predicates (whole-string semantics).
var lookaheads = map[string]func(string) bool{
	// "anything but exactly 0000" (merchantCategoryCode).
	`^(?!0000$).*$`: func(v string) bool { return v != "0000" && !strings.ContainsAny(v, "\n\r") },
	// NCHL followed by 8 characters that are not all zeros, then anything.
	`^NCHL(?!00000000).{8}.*`: func(v string) bool {
		rest, ok := strings.CutPrefix(v, "NCHL")
		if !ok || strings.ContainsAny(rest, "\n\r") || utf8.RuneCountInString(rest) < 8 {
			return false
		}
		return !strings.HasPrefix(rest, "00000000")
	},
}

// javaRegex compiles a Java regex for Pattern.matches (whole-string)
// semantics. Known lookahead patterns are emulated; anything else Go
// cannot compile is an ErrUnsupportedRegex.
func javaRegex(expr string) (func(string) bool, error) {
	if f, ok := lookaheads[expr]; ok {
		return f, nil
	}
	re, err := regexp.Compile(`^(?:` + expr + `)$`)
	if err != nil {
		if strings.Contains(expr, "(?=") || strings.Contains(expr, "(?!") || strings.Contains(expr, "(?<") {
			return nil, fmt.Errorf("%w: %q uses lookaround", ErrUnsupportedRegex, expr)
		}
		return nil, fmt.Errorf("%w: %q: %v", ErrUnsupportedRegex, expr, err)
	}
	return re.MatchString, nil
}
