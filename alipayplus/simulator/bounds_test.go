package simulator_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/internal/clock"
	"github.com/mppwallet/mppwallet/internal/money"
)

// heapInUse is the live heap after a collection, in bytes.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// post sends body to base+path with no header but Content-Length (or, when
// chunked, none at all) and returns the HTTP status and the answer's
// resultCode ("" for an answer that is not an Alipay+ one).
func post(t *testing.T, base, path string, body []byte, chunked bool) (int, string) {
	t.Helper()
	var rd io.Reader = bytes.NewReader(body)
	if chunked {
		rd = io.MultiReader(rd) // hides the length: sent chunked
	}
	req, _ := http.NewRequest(http.MethodPost, base+path, rd)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error() // the server may close on a body it refused unread
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var r alipayplus.Response
	_ = json.Unmarshal(raw, &r)
	return resp.StatusCode, r.Result.ResultCode
}

// A flood of large requests from a stranger, on every server the simulator
// runs, is refused with the protocol's error and leaves the simulator
// within its bounds: the transcript within its bytes, each stranger's
// body cut to 4 KiB, and the live heap where it was.
func TestFloodOfRefusedBodiesStaysBounded(t *testing.T) {
	sim, base, _ := guardedSim(t, simulator.Config{})
	big := bytes.Repeat([]byte("a"), 1<<20)
	under := bytes.Repeat([]byte("a"), alipayplus.MaxBodyBytes-1)
	tests := []struct {
		name     string
		path     string
		body     []byte
		chunked  bool
		n        int
		wantCode string
	}{
		{"1 MiB to getPaymentCode", alipayplus.PathGetPaymentCode, big, false, 300, alipayplus.CodeParamIllegal},
		{"1 MiB chunked to notifyPayment", alipayplus.PathNotifyPayment, big, true, 50, alipayplus.CodeParamIllegal},
		{"1 MiB to the acquirer", simulator.AcquirerPrefix + alipayplus.PathUserInitiatedPay, big, false, 50, alipayplus.CodeParamIllegal},
		{"1 MiB to the gateway", "/ams/api/v1/payments/pay", big, false, 50, alipayplus.CodeParamIllegal},
		{"just under the limit, no Client-Id", alipayplus.PathGetPaymentCode, under, false, 200, alipayplus.CodeInvalidClient},
		{"just under the limit, unsigned inquiryCodeRules", alipayplus.PathInquiryCodeRules, under, false, 50, alipayplus.CodeParamIllegal},
	}
	before := heapInUse()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i := range tt.n {
				status, code := post(t, base, tt.path, tt.body, tt.chunked)
				if status != http.StatusOK || code != tt.wantCode {
					t.Fatalf("request %d: HTTP %d %q, want 200 %s", i, status, code, tt.wantCode)
				}
			}
		})
	}
	st := sim.Transcript().Stats()
	if st.Bytes > simulator.DefaultTranscriptBytes || st.Recorded < 700 {
		t.Errorf("transcript: %+v, want all recorded within %d bytes", st, simulator.DefaultTranscriptBytes)
	}
	for _, e := range sim.Transcript().Entries() {
		if len(e.RequestBody) > simulator.RefusedBodyBytes {
			t.Fatalf("entry %d (%s) keeps %d bytes of a stranger's body", e.Seq, e.API, len(e.RequestBody))
		}
		if e.RequestBodyBytes > simulator.RefusedBodyBytes && !e.RequestBodyTruncated {
			t.Fatalf("entry %d: a body of %d bytes not marked truncated", e.Seq, e.RequestBodyBytes)
		}
	}
	// 750 requests of up to 1 MiB went through; what stays is the
	// transcript's few MiB.
	if grown := int64(heapInUse()) - int64(before); grown > 24<<20 {
		t.Errorf("the live heap grew by %d MiB", grown>>20)
	}
}

// A flood of orders stops at MaxOrders open ones (HTTP 429 from the admin
// API, the live heap bounded), and orders that expired go after
// OrderRetention, making room again.
func TestOrderFloodStaysBounded(t *testing.T) {
	clk := clock.New(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	sim, base, _ := guardedSim(t, simulator.Config{Now: clk.Now})
	usd := money.Money{Minor: 100, Currency: "USD"}
	before := heapInUse()
	refused := 0
	for i := range simulator.MaxOrders + 2000 {
		_, err := sim.CreateOrder(t.Context(), simulator.OrderRequest{Amount: usd, Description: fmt.Sprint("order ", i)})
		switch {
		case errors.Is(err, simulator.ErrTooManyOrders):
			refused++
		case err != nil:
			t.Fatal(err)
		}
	}
	if n := len(sim.Orders()); n != simulator.MaxOrders || refused != 2000 {
		t.Fatalf("%d orders kept, %d refused; want %d kept, 2000 refused", n, refused, simulator.MaxOrders)
	}
	if grown := int64(heapInUse()) - int64(before); grown > 40<<20 {
		t.Errorf("the live heap grew by %d MiB for %d orders", grown>>20, simulator.MaxOrders)
	}
	sc := simclient.New(base)
	_, err := sc.CreateOrder(t.Context(), simulator.OrderBody{AdminMoney: simulator.AdminMoney{Amount: "1.00", Currency: "USD"}})
	var se *simclient.Error
	if !errors.As(err, &se) || se.Status != http.StatusTooManyRequests || !strings.Contains(se.Message, "too many open order codes") {
		t.Fatalf("order past the ceiling: %v, want HTTP 429", err)
	}

	// Ten minutes (the validity) and an hour (the retention) later, the
	// old orders are gone and new ones are taken.
	clk.Add(10*time.Minute + simulator.OrderRetention + time.Second)
	if _, err := sim.CreateOrder(t.Context(), simulator.OrderRequest{Amount: usd}); err != nil {
		t.Fatalf("after the retention: %v", err)
	}
	if n := len(sim.Orders()); n != 1 {
		t.Errorf("%d orders kept after the retention, want 1", n)
	}
}

// Orders that can no longer be paid make room at the ceiling before
// they reach the end of their retention, oldest first.
func TestOrderCeilingDropsExpiredFirst(t *testing.T) {
	clk := clock.New(time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC))
	sim, _, _ := guardedSim(t, simulator.Config{Now: clk.Now})
	usd := money.Money{Minor: 100, Currency: "USD"}
	short, err := sim.CreateOrder(t.Context(), simulator.OrderRequest{Amount: usd, Validity: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	for range simulator.MaxOrders - 1 {
		if _, err := sim.CreateOrder(t.Context(), simulator.OrderRequest{Amount: usd}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sim.CreateOrder(t.Context(), simulator.OrderRequest{Amount: usd}); !errors.Is(err, simulator.ErrTooManyOrders) {
		t.Fatalf("at the ceiling: %v, want ErrTooManyOrders", err)
	}
	clk.Add(time.Minute) // the short order expires: it goes first
	if _, err := sim.CreateOrder(t.Context(), simulator.OrderRequest{Amount: usd}); err != nil {
		t.Fatalf("after the short order expired: %v", err)
	}
	for _, o := range sim.Orders() {
		if o.CodeValue == short.CodeValue {
			t.Fatal("the expired order is still kept")
		}
	}
}

// The admin API's transcript pages: since and limit read on, newest reads
// the end, bad numbers are HTTP 400, and simclient's Transcript still
// returns everything kept.
func TestAdminTranscriptPages(t *testing.T) {
	sim, base, _ := guardedSim(t, simulator.Config{})
	for range 450 {
		sim.Transcript().Record(alipayplus.Exchange{Direction: alipayplus.Incoming, API: alipayplus.PathGetPaymentCode,
			URL: alipayplus.PathGetPaymentCode, RequestBody: []byte(`{}`)})
	}
	sc := simclient.New(base)
	tests := []struct {
		since      int64
		limit      int
		wantFirst  int64
		wantN      int
		wantMore   bool
		wantStatus int
	}{
		{0, 0, 1, simulator.DefaultTranscriptPage, true, 0},
		{0, 100, 1, 100, true, 0},
		{400, 100, 401, 50, false, 0},
		{450, 0, 0, 0, false, 0},
		{0, simulator.MaxTranscriptPage + 1, 0, 0, false, http.StatusBadRequest},
		{-1, 0, 0, 0, false, http.StatusBadRequest},
	}
	for _, tt := range tests {
		page, more, err := sc.TranscriptPage(t.Context(), tt.since, tt.limit)
		var se *simclient.Error
		if tt.wantStatus != 0 {
			if !errors.As(err, &se) || se.Status != tt.wantStatus {
				t.Errorf("since %d limit %d: %v, want HTTP %d", tt.since, tt.limit, err, tt.wantStatus)
			}
			continue
		}
		if err != nil || len(page) != tt.wantN || more != tt.wantMore || (tt.wantN > 0 && page[0].Seq != tt.wantFirst) {
			t.Errorf("since %d limit %d: %d entries, more %v, %v; want %d from %d, more %v",
				tt.since, tt.limit, len(page), more, err, tt.wantN, tt.wantFirst, tt.wantMore)
		}
	}
	all, err := sc.Transcript(t.Context(), 0)
	if err != nil || len(all) != 450 || all[449].Seq != 450 {
		t.Errorf("Transcript(0): %d entries, %v; want all 450", len(all), err)
	}
	newest, err := sc.TranscriptNewest(t.Context(), 5)
	if err != nil || len(newest) != 5 || newest[0].Seq != 446 {
		t.Errorf("TranscriptNewest(5): %v, %v; want 446..450", len(newest), err)
	}
}

// An admin body over MaxAdminBody is refused (HTTP 413) and creates
// nothing.
func TestAdminBodyLimit(t *testing.T) {
	sim, base, _ := guardedSim(t, simulator.Config{})
	body := `{"amount":"1.00","currency":"USD","description":"` + strings.Repeat("x", simulator.MaxAdminBody) + `"}`
	for _, chunked := range []bool{false, true} {
		var rd io.Reader = strings.NewReader(body)
		if chunked {
			rd = io.MultiReader(rd)
		}
		resp, err := http.Post(base+"/sim/orders", "application/json", rd)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("chunked %v: HTTP %d, want 413", chunked, resp.StatusCode)
		}
	}
	if n := len(sim.Orders()); n != 0 {
		t.Errorf("%d orders made", n)
	}
}
