package simulator

import (
	"encoding/json"
	"io"
	"sync"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// The transcript's bounds: whatever arrives, the entries kept in memory
// stay within DefaultTranscriptEntries and DefaultTranscriptBytes, the
// oldest going first.
const (
	// DefaultTranscriptEntries is how many entries a transcript keeps by
	// default.
	DefaultTranscriptEntries = 1000
	// DefaultTranscriptBytes bounds the memory the kept entries take by
	// default (16 MiB, counted as their bodies, headers and findings).
	DefaultTranscriptBytes = 16 << 20
	// RefusedBodyBytes is how much of the body of a request whose sender
	// was not authenticated (no, an unknown or a wrong signature) is kept
	// (4 KiB); the entry says it was truncated, and the whole size.
	RefusedBodyBytes = 4 << 10
	// DefaultTranscriptPage is how many entries a page holds when the
	// caller does not say (GET /sim/transcript without limit).
	DefaultTranscriptPage = 200
	// MaxTranscriptPage is the most entries one page holds.
	MaxTranscriptPage = 1000
	// maxPageBytes bounds a page by size too (at least one entry).
	maxPageBytes = 4 << 20
)

// defaultSubscriberBuffer is a subscription's buffer when none is given.
const defaultSubscriberBuffer = 64

// Transcript records every exchange: the last entries in memory (bounded
// by count and by bytes), all of them as JSON lines on an optional writer,
// and live to subscribers. It is safe for concurrent use.
type Transcript struct {
	mu       sync.Mutex
	kept     []Entry // oldest first, from kept[head]
	sizes    []int   // the size of each entry in kept
	head     int
	bytes    int // the sum of sizes[head:]
	maxCount int
	maxBytes int
	seq      int64
	w        io.Writer
	err      error
	subs     map[int]chan Entry
	nextSub  int
}

// NewTranscript returns a transcript that keeps the last capacity entries
// in memory (DefaultTranscriptEntries when capacity <= 0), and no more
// than DefaultTranscriptBytes of them, and, when w is not nil, writes each
// entry to w as one JSON line. The first write error stops the writing; it
// is reported by Err.
func NewTranscript(capacity int, w io.Writer) *Transcript {
	return NewTranscriptBounded(capacity, DefaultTranscriptBytes, w)
}

// NewTranscriptBounded is NewTranscript with the memory bound given
// (DefaultTranscriptBytes when maxBytes <= 0). The newest entry is kept
// even when it alone is larger.
func NewTranscriptBounded(capacity, maxBytes int, w io.Writer) *Transcript {
	if capacity <= 0 {
		capacity = DefaultTranscriptEntries
	}
	if maxBytes <= 0 {
		maxBytes = DefaultTranscriptBytes
	}
	return &Transcript{maxCount: capacity, maxBytes: maxBytes, w: w, subs: map[int]chan Entry{}}
}

// Record turns an exchange into an entry (with its conformance findings),
// numbers, keeps, writes and publishes it, and returns it. It never blocks
// on a subscriber.
func (t *Transcript) Record(ex alipayplus.Exchange) Entry { return t.RecordWith(ex) }

// RecordWith is Record with findings of the simulator's own added to the
// exchange's conformance findings (a disagreement a fault caused).
func (t *Transcript) RecordWith(ex alipayplus.Exchange, extra ...Finding) Entry {
	e := newEntry(ex)
	e.Findings = append(e.Findings, extra...)
	size := entrySize(e)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.seq++
	e.Seq = t.seq
	t.kept = append(t.kept, e)
	t.sizes = append(t.sizes, size)
	t.bytes += size
	t.evictLocked()
	t.write(e)
	for _, ch := range t.subs {
		select {
		case ch <- e:
		default: // a slow subscriber loses the entry
		}
	}
	return e
}

// evictLocked drops the oldest entries until the bounds hold, keeping the
// newest; t.mu is held.
func (t *Transcript) evictLocked() {
	for n := len(t.kept) - t.head; n > 1 && (n > t.maxCount || t.bytes > t.maxBytes); n-- {
		t.bytes -= t.sizes[t.head]
		t.kept[t.head] = Entry{} // let the bodies go
		t.head++
	}
	if t.head > 0 && t.head >= len(t.kept)/2 {
		n := copy(t.kept, t.kept[t.head:])
		clear(t.kept[n:])
		t.kept = t.kept[:n]
		copy(t.sizes, t.sizes[t.head:])
		t.sizes = t.sizes[:n]
		t.head = 0
	}
}

// entrySize is what an entry costs in memory, roughly: its text and a
// fixed overhead for the struct, maps and findings.
func entrySize(e Entry) int {
	n := 512 + len(e.API) + len(e.URI) + len(e.RequestBody) + len(e.ResponseBody) + len(e.Error) + len(e.Signature)
	for k, v := range e.RequestHeaders {
		n += 48 + len(k) + len(v)
	}
	for k, v := range e.ResponseHeaders {
		n += 48 + len(k) + len(v)
	}
	for _, f := range e.Findings {
		n += 128 + len(f.Message) + len(f.Field) + len(f.Rule)
	}
	return n
}

// write appends e to the writer as one JSON line; t.mu is held.
func (t *Transcript) write(e Entry) {
	if t.w == nil || t.err != nil {
		return
	}
	line, err := json.Marshal(e)
	if err != nil {
		t.err = err
		return
	}
	if _, err := t.w.Write(append(line, '\n')); err != nil {
		t.err = err
	}
}

// TranscriptStats describes what a transcript keeps.
type TranscriptStats struct {
	// Entries and Bytes are the entries kept in memory and their size.
	Entries, Bytes int
	// MaxEntries and MaxBytes are the bounds.
	MaxEntries, MaxBytes int
	// Oldest and Newest are the Seq of the oldest and newest entry kept
	// (0 when none); Recorded is how many were recorded in all.
	Oldest, Newest, Recorded int64
}

// Stats tells how much the transcript keeps, and its bounds.
func (t *Transcript) Stats() TranscriptStats {
	t.mu.Lock()
	defer t.mu.Unlock()
	st := TranscriptStats{Entries: len(t.kept) - t.head, Bytes: t.bytes, MaxEntries: t.maxCount, MaxBytes: t.maxBytes, Recorded: t.seq}
	if st.Entries > 0 {
		st.Oldest, st.Newest = t.kept[t.head].Seq, t.kept[len(t.kept)-1].Seq
	}
	return st
}

// Entries returns the entries kept in memory, oldest first.
func (t *Transcript) Entries() []Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Entry(nil), t.kept[t.head:]...)
}

// Since returns the entries kept in memory whose Seq is greater than seq,
// oldest first.
func (t *Transcript) Since(seq int64) []Entry {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]Entry(nil), t.kept[t.firstAfterLocked(seq):]...)
}

// firstAfterLocked is the index in t.kept of the first entry whose Seq is
// greater than seq (Seqs are consecutive); t.mu is held.
func (t *Transcript) firstAfterLocked(seq int64) int {
	n := len(t.kept) - t.head
	if n == 0 {
		return len(t.kept)
	}
	oldest := t.kept[t.head].Seq
	switch {
	case seq < oldest:
		return t.head
	case seq-oldest+1 >= int64(n):
		return len(t.kept)
	}
	return t.head + int(seq-oldest+1)
}

// Page returns up to limit entries whose Seq is greater than since, oldest
// first (DefaultTranscriptPage when limit <= 0, at most MaxTranscriptPage,
// and no more than 4 MiB of them but at least one), and whether more
// entries follow the page. Since a page's last Seq, the next call reads on.
func (t *Transcript) Page(since int64, limit int) (entries []Entry, more bool) {
	if limit <= 0 {
		limit = DefaultTranscriptPage
	}
	limit = min(limit, MaxTranscriptPage)
	t.mu.Lock()
	defer t.mu.Unlock()
	i := t.firstAfterLocked(since)
	end, bytes := i, 0
	for end < len(t.kept) && end-i < limit && (end == i || bytes+t.sizes[end] <= maxPageBytes) {
		bytes += t.sizes[end]
		end++
	}
	return append([]Entry(nil), t.kept[i:end]...), end < len(t.kept)
}

// Newest returns the newest n entries kept (DefaultTranscriptPage when
// n <= 0, at most MaxTranscriptPage), oldest first.
func (t *Transcript) Newest(n int) []Entry {
	if n <= 0 {
		n = DefaultTranscriptPage
	}
	n = min(n, MaxTranscriptPage)
	t.mu.Lock()
	defer t.mu.Unlock()
	from := max(t.head, len(t.kept)-n)
	return append([]Entry(nil), t.kept[from:]...)
}

// Findings returns the findings of the entries kept in memory, in order.
func (t *Transcript) Findings() []Finding {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Finding
	for _, e := range t.kept[t.head:] {
		out = append(out, e.Findings...)
	}
	return out
}
