package alipayplus

// plainJSON reports whether raw is a body that Decode's normalisation
// would leave exactly as it is, so that decoding it directly into the
// target gives the same result: one JSON object whose values are only
// objects, arrays and non-empty strings (no number, boolean, null or ""),
// whose keys are plain ASCII without escapes, never repeated within an
// object, even in another case (encoding/json matches keys without regard
// to case, and the normalised tree would keep only one of them), and never
// one of names' in another case (the lenient path drops those). It is
// conservative: false only means the slower lenient path decides; raw
// that is not valid JSON may pass, and json.Unmarshal then rejects it.
func plainJSON(raw []byte, names *wireNames) bool {
	p := plainScanner{b: raw, names: names}
	p.space()
	if p.i >= len(p.b) || p.b[p.i] != '{' {
		return false
	}
	if !p.value(0) {
		return false
	}
	p.space()
	return p.i == len(p.b)
}

// maxPlainDepth bounds the nesting the scanner follows (wire messages are
// a few levels deep).
const maxPlainDepth = 32

type plainScanner struct {
	b     []byte
	i     int
	names *wireNames
}

func (p *plainScanner) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// value scans an object, an array or a non-empty string.
func (p *plainScanner) value(depth int) bool {
	if depth > maxPlainDepth || p.i >= len(p.b) {
		return false
	}
	switch p.b[p.i] {
	case '{':
		return p.object(depth)
	case '[':
		return p.array(depth)
	case '"':
		start := p.i
		if !p.str(false) {
			return false
		}
		return p.i-start > 2 // not ""
	}
	return false
}

// smallObject is how many keys an object may have before the duplicate
// check switches from comparing each key with the earlier ones (no
// allocation: wire objects have fewer keys) to a set, so that a hostile body
// of many thousands of keys costs linear time, not quadratic.
const smallObject = 24

func (p *plainScanner) object(depth int) bool {
	p.i++ // {
	var buf [smallObject][]byte
	keys := buf[:0]
	var seen map[string]struct{} // lower-cased keys, once there are many
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return true
	}
	for {
		p.space()
		start := p.i
		if p.i >= len(p.b) || p.b[p.i] != '"' || !p.str(true) || p.i-start <= 2 {
			return false
		}
		key := p.b[start+1 : p.i-1]
		if p.names.inexactKey(key) {
			return false
		}
		if !p.firstKey(key, &keys, &seen) {
			return false
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			return false
		}
		p.i++
		p.space()
		if !p.value(depth + 1) {
			return false
		}
		if end, ok := p.after('}'); end || !ok {
			return ok
		}
	}
}

// firstKey records key and reports whether no earlier key of the object
// equals it without regard to case.
func (p *plainScanner) firstKey(key []byte, keys *[][]byte, seen *map[string]struct{}) bool {
	if *seen == nil {
		for _, k := range *keys {
			if asciiEqualFold(k, key) {
				return false
			}
		}
		if len(*keys) < smallObject {
			*keys = append(*keys, key)
			return true
		}
		*seen = make(map[string]struct{}, 4*smallObject)
		for _, k := range *keys {
			(*seen)[asciiLower(k)] = struct{}{}
		}
	}
	lower := asciiLower(key)
	if _, dup := (*seen)[lower]; dup {
		return false
	}
	(*seen)[lower] = struct{}{}
	return true
}

// asciiLower lower-cases an ASCII key.
func asciiLower(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		out[i] = c
	}
	return string(out)
}

func (p *plainScanner) array(depth int) bool {
	p.i++ // [
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return true
	}
	for {
		p.space()
		if !p.value(depth + 1) {
			return false
		}
		if end, ok := p.after(']'); end || !ok {
			return ok
		}
	}
}

// after scans what follows a member or element: a comma (more to come) or
// the closing bracket (end). ok is false for anything else.
func (p *plainScanner) after(closing byte) (end, ok bool) {
	p.space()
	if p.i >= len(p.b) {
		return false, false
	}
	switch p.b[p.i] {
	case ',':
		p.i++
		return false, true
	case closing:
		p.i++
		return true, true
	}
	return false, false
}

// str scans a string from its opening quote to just past its closing one.
// A key (plain) must be printable ASCII without escapes.
func (p *plainScanner) str(plain bool) bool {
	p.i++ // "
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return true
		case c == '\\':
			if plain {
				return false
			}
			p.i += 2
			continue
		case plain && (c < 0x20 || c > 0x7e):
			return false
		}
		p.i++
	}
	return false
}

// asciiEqualFold compares two ASCII strings without regard to case.
func asciiEqualFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
