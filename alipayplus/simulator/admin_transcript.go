package simulator

import (
	"net/http"
	"strconv"
)

// Headers of GET /sim/transcript's answer, which is a JSON array of entries.
const (
	// TranscriptMoreHeader is "true" when entries follow the page: ask
	// again with since = the last entry's seq.
	TranscriptMoreHeader = "Transcript-More"
	// TranscriptOldestHeader is the seq of the oldest entry still kept
	// (0 when none): entries before it were dropped to keep the bounds.
	TranscriptOldestHeader = "Transcript-Oldest"
)

// adminTranscript answers GET /sim/transcript?since=SEQ&limit=N with a page
// of the entries after SEQ, oldest first, and ?newest=N with the newest N.
// A malformed number is HTTP 400.
func (s *Simulator) adminTranscript(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	num := func(name string) (int64, bool) {
		v := q.Get(name)
		if v == "" {
			return 0, true
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			writeError(w, http.StatusBadRequest, "%s %q: want a whole number, 0 or more", name, v)
			return 0, false
		}
		return n, true
	}
	since, ok1 := num("since")
	limit, ok2 := num("limit")
	newest, ok3 := num("newest")
	if !ok1 || !ok2 || !ok3 {
		return
	}
	if limit > MaxTranscriptPage || newest > MaxTranscriptPage {
		writeError(w, http.StatusBadRequest, "a page holds at most %d entries", MaxTranscriptPage)
		return
	}
	st := s.transcript.Stats()
	w.Header().Set(TranscriptOldestHeader, strconv.FormatInt(st.Oldest, 10))
	if q.Has("newest") {
		w.Header().Set(TranscriptMoreHeader, "false")
		writeJSON(w, http.StatusOK, nonNil(s.transcript.Newest(int(newest))))
		return
	}
	page, more := s.transcript.Page(since, int(limit))
	w.Header().Set(TranscriptMoreHeader, strconv.FormatBool(more))
	writeJSON(w, http.StatusOK, nonNil(page))
}
