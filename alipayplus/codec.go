package alipayplus

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// ViolationKind classifies a departure from the Alipay+ body convention.
type ViolationKind string

// Violation kinds.
const (
	// EmptyString: an optional field sent as "" (the docs say omit it or
	// send null; Alipay+ may reject it).
	EmptyString ViolationKind = "empty-string"
	// NotString: a scalar sent as a JSON number or boolean instead of a
	// string. Accepted, but Alipay+ documents strings only.
	NotString ViolationKind = "not-a-string"
)

// Violation is one field that broke the body convention.
type Violation struct {
	Field string
	Kind  ViolationKind
	// Got is the raw JSON value that was sent.
	Got string
}

// String describes the violation for logs and error messages.
func (v Violation) String() string {
	switch v.Kind {
	case EmptyString:
		return fmt.Sprintf(`%s is "": omit optional fields or send null`, v.Field)
	case NotString:
		return fmt.Sprintf("%s is %s: Alipay+ sends every scalar as a string", v.Field, v.Got)
	}
	return v.Field + ": " + string(v.Kind)
}

// ErrNotJSON is returned by Decode for a body that is not one JSON object.
var ErrNotJSON = errors.New("body is not a JSON object")

// Decode reads a message body leniently into v: numbers and booleans are
// accepted where strings belong, "" and null fields are dropped as if
// absent. Every such departure is returned as a Violation so the caller can
// reject ("" for an optional field) or log (a number) it. A body that is not
// a JSON object, or whose types cannot fit v (an object where a string
// belongs), is an error. Field names are matched exactly: a key that
// differs from a field's name only in case is ignored, as Alipay+ ignores
// it (codec_names.go).
func Decode(raw []byte, v any) ([]Violation, error) {
	if plainJSON(raw, namesOf(reflect.TypeOf(v))) {
		// Nothing to normalise: decode the body as it is, once, instead of
		// as a tree, again as JSON and again into v.
		if err := json.Unmarshal(raw, v); err == nil {
			return nil, nil
		}
		if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && !rv.IsNil() {
			rv.Elem().SetZero() // the lenient decoding below starts afresh
		}
	}
	return decodeTree(raw, v)
}

// decodeTree is Decode by way of a generic tree, normalised and encoded
// again.
func decodeTree(raw []byte, v any) ([]Violation, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the object", ErrNotJSON)
	}
	obj, ok := tree.(map[string]any)
	if !ok {
		return nil, ErrNotJSON
	}
	namesOf(reflect.TypeOf(v)).dropInexact(obj, reflect.TypeOf(v))
	var vs []Violation
	normalize(obj, "", &vs)
	norm, err := json.Marshal(obj)
	if err != nil {
		return vs, err
	}
	if err := json.Unmarshal(norm, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := strings.TrimPrefix(te.Field, "Response.")
			return vs, fmt.Errorf("%s: a JSON %s cannot be a %s", field, te.Value, describeKind(te.Type.Kind().String()))
		}
		return vs, err
	}
	return vs, nil
}

func describeKind(k string) string {
	switch k {
	case "string":
		return "string"
	case "struct", "ptr", "map":
		return "object"
	case "slice":
		return "array"
	}
	return k
}

// normalize rewrites a decoded JSON tree in place to the string convention.
func normalize(obj map[string]any, prefix string, vs *[]Violation) {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	sort.Strings(keys) // violations in a stable order
	for _, k := range keys {
		path := k
		if k == "" {
			path = `""` // a field named "" must still be nameable in a message
		}
		if prefix != "" {
			path = prefix + "." + path
		}
		if nv, keep := normalizeValue(obj[k], path, vs); keep {
			obj[k] = nv
		} else {
			delete(obj, k)
		}
	}
}

func normalizeValue(val any, path string, vs *[]Violation) (any, bool) {
	switch x := val.(type) {
	case nil:
		return nil, false
	case string:
		if x == "" {
			*vs = append(*vs, Violation{Field: path, Kind: EmptyString, Got: `""`})
			return nil, false
		}
		return x, true
	case json.Number:
		*vs = append(*vs, Violation{Field: path, Kind: NotString, Got: x.String()})
		return x.String(), true
	case bool:
		*vs = append(*vs, Violation{Field: path, Kind: NotString, Got: strconv.FormatBool(x)})
		return strconv.FormatBool(x), true
	case map[string]any:
		normalize(x, path, vs)
		return x, true
	case []any:
		out := x[:0]
		for i, e := range x {
			if nv, keep := normalizeValue(e, fmt.Sprintf("%s[%d]", path, i), vs); keep {
				out = append(out, nv)
			}
		}
		return out, true
	}
	return val, true
}

// Encode marshals a message body. The wire types use strings and
// omitempty throughout, so the output follows the convention by
// construction.
func Encode(v any) ([]byte, error) { return json.Marshal(v) }
