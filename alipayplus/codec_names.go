package alipayplus

import (
	"reflect"
	"strings"
	"sync"
)

// Field names are case-sensitive on the wire: Alipay+ reads
// "paymentRequestId" and nothing else, and ignores "PaymentRequestId" as
// an unknown field. encoding/json matches names without regard to case,
// so by itself it would take "PaymentRequestId" for paymentRequestId, and
// of {"paymentRequestId":"A","paymentrequestid":"B"} keep B where Alipay+
// keeps A: the wallet would act on another value than the one its peer
// signed and meant. Decode therefore drops every key that differs from a
// field's name only in case before decoding, so such a key is ignored as
// any unknown one is (and a required field it stood for is missing:
// PARAM_ILLEGAL).

// wireNames are the JSON names of a message type's fields, for telling
// an exact key from one that encoding/json would match only by folding
// case.
type wireNames struct {
	// fields maps each struct type reachable from the message to its
	// fields' names and types (embedded structs' fields promoted).
	fields map[reflect.Type]map[string]reflect.Type
	// exact and folded hold every name at any depth, as is and
	// lower-cased: the plain fast path, which does not track nesting,
	// checks keys against them.
	exact, folded map[string]bool
}

var wireNamesCache sync.Map // reflect.Type → *wireNames

// namesOf returns the names of t's fields at every depth (t a message type
// or a pointer to one).
func namesOf(t reflect.Type) *wireNames {
	if n, ok := wireNamesCache.Load(t); ok {
		return n.(*wireNames)
	}
	n := &wireNames{fields: map[reflect.Type]map[string]reflect.Type{}, exact: map[string]bool{}, folded: map[string]bool{}}
	n.walk(t)
	wireNamesCache.Store(t, n)
	return n
}

// walk records the struct types reachable from t.
func (n *wireNames) walk(t reflect.Type) {
	if t == nil { // Decode into nil: json.Unmarshal says why not
		return
	}
	t = elemType(t)
	if t.Kind() != reflect.Struct {
		return
	}
	if _, seen := n.fields[t]; seen {
		return
	}
	fs := map[string]reflect.Type{}
	n.fields[t] = fs
	n.collect(t, fs)
	for name, ft := range fs {
		n.exact[name] = true
		n.folded[strings.ToLower(name)] = true
		n.walk(ft)
	}
}

// collect adds t's fields to fs by their JSON names, as encoding/json
// names them: the tag's name, else the Go name; untagged embedded structs
// lend theirs.
func (n *wireNames) collect(t reflect.Type, fs map[string]reflect.Type) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" && elemType(f.Type).Kind() == reflect.Struct {
			n.collect(elemType(f.Type), fs)
			continue
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		fs[name] = f.Type
	}
}

// elemType strips pointers, slices, arrays and maps down to what they
// hold.
func elemType(t reflect.Type) reflect.Type {
	for {
		switch t.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
			t = t.Elem()
		default:
			return t
		}
	}
}

// inexactKey reports whether key is not one of the names but equals one
// when case is ignored. key is printable ASCII (the plain scanner's keys).
func (n *wireNames) inexactKey(key []byte) bool {
	if n.exact[string(key)] {
		return false
	}
	var buf [64]byte
	lower := buf[:0]
	for _, c := range key {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower = append(lower, c)
	}
	return n.folded[string(lower)]
}

// dropInexact deletes, in a decoded JSON tree meant for type t, every
// object key that is not a field's name of its struct but equals one when
// case is ignored (Unicode folding, as encoding/json matches).
func (n *wireNames) dropInexact(val any, t reflect.Type) {
	if t == nil {
		return
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch x := val.(type) {
	case map[string]any:
		switch t.Kind() {
		case reflect.Struct:
			fs := n.fields[t]
			for k, v := range x {
				if ft, ok := fs[k]; ok {
					n.dropInexact(v, ft)
					continue
				}
				for name := range fs {
					if strings.EqualFold(name, k) {
						delete(x, k)
						break
					}
				}
			}
		case reflect.Map:
			for _, v := range x {
				n.dropInexact(v, t.Elem())
			}
		}
	case []any:
		if t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
			for _, v := range x {
				n.dropInexact(v, t.Elem())
			}
		}
	}
}
