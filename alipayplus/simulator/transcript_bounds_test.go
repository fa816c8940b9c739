package simulator

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// strangerExchange is a request with no Client-Id and no signature whose
// body is size bytes of JSON-ish text: what a probe from outside sends.
func strangerExchange(size int) alipayplus.Exchange {
	body := []byte(`{"x":"` + strings.Repeat("a", max(size-8, 0)) + `"}`)
	ex := incoming(alipayplus.PathPay, string(body))
	ex.RequestHeader = nil
	ex.SignatureErr = nil
	ex.Result = alipayplus.Failure(alipayplus.CodeInvalidClient, "the Client-Id header is missing")
	return ex
}

// The transcript stays within its count and byte bounds whatever is
// recorded, keeps the newest entries, and keeps only the start of a
// stranger's body, saying so.
func TestTranscriptBounds(t *testing.T) {
	signedBig := incoming(alipayplus.PathPay, `{"x":"`+strings.Repeat("b", 250<<10)+`"}`)
	tests := []struct {
		name             string
		maxBytes         int
		ex               alipayplus.Exchange
		n                int
		wantTruncated    bool
		wantAtMostKept   int
		wantAtLeastKept  int
		wantBodyAtMostKB int
	}{
		{"many small entries: the count bound", 0, incoming(alipayplus.PathPay, cleanPay), 2500, false, 1000, 1000, 4},
		{"signed 250 KiB bodies: the byte bound", 4 << 20, signedBig, 200, false, 16, 10, 251},
		{"strangers' 1 MiB bodies: truncated", 0, strangerExchange(1 << 20), 300, true, 300, 300, 4},
		{"strangers' bodies just over the cut", 0, strangerExchange(RefusedBodyBytes + 1), 5, true, 5, 5, 4},
		{"strangers' small bodies: whole", 0, strangerExchange(100), 5, false, 5, 5, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := NewTranscriptBounded(0, tt.maxBytes, nil)
			for range tt.n {
				tr.Record(tt.ex)
			}
			st := tr.Stats()
			if st.Bytes > st.MaxBytes || st.Entries > st.MaxEntries {
				t.Errorf("kept %d entries of %d bytes, bounds %d and %d", st.Entries, st.Bytes, st.MaxEntries, st.MaxBytes)
			}
			if st.Entries < tt.wantAtLeastKept || st.Entries > tt.wantAtMostKept {
				t.Errorf("kept %d entries, want %d to %d", st.Entries, tt.wantAtLeastKept, tt.wantAtMostKept)
			}
			if st.Newest != int64(tt.n) || st.Recorded != int64(tt.n) || st.Oldest != st.Newest-int64(st.Entries)+1 {
				t.Errorf("stats %+v: want the newest %d of %d kept", st, st.Entries, tt.n)
			}
			for _, e := range tr.Entries() {
				if len(e.RequestBody) > tt.wantBodyAtMostKB<<10 {
					t.Fatalf("entry %d keeps a body of %d bytes", e.Seq, len(e.RequestBody))
				}
				if e.RequestBodyTruncated != tt.wantTruncated {
					t.Fatalf("entry %d: truncated = %v, want %v", e.Seq, e.RequestBodyTruncated, tt.wantTruncated)
				}
				if tt.wantTruncated && (e.RequestBodyBytes != len(tt.ex.RequestBody) || !strings.HasPrefix(string(tt.ex.RequestBody), e.RequestBody)) {
					t.Fatalf("entry %d: %d bytes kept of %d (said %d)", e.Seq, len(e.RequestBody), len(tt.ex.RequestBody), e.RequestBodyBytes)
				}
			}
		})
	}
}

// A stranger's body that is not UTF-8 is cut before it is base64'd, and a
// UTF-8 body is never cut inside a character.
func TestTranscriptTruncatesAtCharacters(t *testing.T) {
	utf := strangerExchange(0)
	utf.RequestBody = []byte(strings.Repeat("é", RefusedBodyBytes)) // 2 bytes each
	bin := strangerExchange(0)
	bin.RequestBody = append([]byte{0xff}, make([]byte, 2*RefusedBodyBytes)...)
	tr := NewTranscript(0, nil)
	u, b := tr.Record(utf), tr.Record(bin)
	if len(u.RequestBody) > RefusedBodyBytes || !strings.HasPrefix(string(utf.RequestBody), u.RequestBody) || !u.RequestBodyTruncated {
		t.Errorf("UTF-8 body kept as %d bytes, truncated %v", len(u.RequestBody), u.RequestBodyTruncated)
	}
	if !strings.HasPrefix(b.RequestBody, "base64:") || b.RequestBodyBytes != len(bin.RequestBody) || len(b.RequestBody) > RefusedBodyBytes*2 {
		t.Errorf("binary body kept as %.40q (%d bytes), size %d", b.RequestBody, len(b.RequestBody), b.RequestBodyBytes)
	}
}

// Page reads the kept entries in pages that join up, says whether more
// follow, and goes on from the oldest kept when the entries asked for
// were dropped.
func TestTranscriptPage(t *testing.T) {
	tr := NewTranscript(300, nil)
	for range 450 { // 1..150 are dropped
		tr.Record(incoming(alipayplus.PathPay, cleanPay))
	}
	tests := []struct {
		since      int64
		limit      int
		first, n   int64
		wantMore   bool
		wantNewest int
	}{
		{0, 0, 151, DefaultTranscriptPage, true, 0},
		{0, 100, 151, 100, true, 0},
		{250, 100, 251, 100, true, 0},
		{400, 100, 401, 50, false, 0},
		{449, 5000, 450, 1, false, 0},
		{450, 10, 0, 0, false, 0},
		{9999, 10, 0, 0, false, 0},
	}
	for _, tt := range tests {
		page, more := tr.Page(tt.since, tt.limit)
		if int64(len(page)) != tt.n || more != tt.wantMore || (tt.n > 0 && (page[0].Seq != tt.first || page[len(page)-1].Seq != tt.first+tt.n-1)) {
			t.Errorf("Page(%d, %d) = %v entries from %v, more %v; want %d from %d, more %v",
				tt.since, tt.limit, len(page), seqs(page[:min(1, len(page))]), more, tt.n, tt.first, tt.wantMore)
		}
	}
	// Reading on from each page's last entry gives every kept entry once.
	var all []Entry
	for since, more := int64(0), true; more; {
		var page []Entry
		page, more = tr.Page(since, 70)
		all = append(all, page...)
		since = page[len(page)-1].Seq
	}
	if len(all) != 300 || all[0].Seq != 151 || all[299].Seq != 450 {
		t.Errorf("paging read %d entries %v..%v, want 300 from 151 to 450", len(all), all[0].Seq, all[len(all)-1].Seq)
	}
	if got := seqs(tr.Newest(3)); len(got) != 3 || got[0] != 448 || got[2] != 450 {
		t.Errorf("Newest(3) = %v, want [448 449 450]", got)
	}
}

// The transcript file rotates at its size: it and FILE.1 stay within the
// limit, and every line in them is a whole entry.
func TestRotatingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.jsonl")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 64 << 10
	rf := NewRotatingFile(f, path, limit, nil)
	tr := NewTranscript(0, rf)
	for range 200 {
		tr.Record(strangerExchange(1 << 20))
	}
	if err := tr.Err(); err != nil {
		t.Fatal(err)
	}
	if err := rf.Close(); err != nil {
		t.Fatal(err)
	}
	if rf.Rotations() == 0 {
		t.Fatal("the file never rotated")
	}
	last := int64(0)
	for _, p := range []string{path + ".1", path} {
		fi, err := os.Stat(p)
		if err != nil || fi.Size() > limit {
			t.Fatalf("%s: %v, %d bytes (limit %d)", p, err, fi.Size(), limit)
		}
		rd, _ := os.Open(p)
		sc := bufio.NewScanner(rd)
		for sc.Scan() {
			var e Entry
			if err := json.Unmarshal(sc.Bytes(), &e); err != nil || e.Seq <= last || !e.RequestBodyTruncated {
				t.Fatalf("%s: line %.60q: %v (seq %d after %d)", p, sc.Text(), err, e.Seq, last)
			}
			last = e.Seq
		}
		rd.Close()
	}
	if last != 200 {
		t.Errorf("the newest entry in the files is %d, want 200", last)
	}
}
