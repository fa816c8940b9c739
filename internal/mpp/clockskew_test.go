package mpp_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/mpp"
)

// Config.MaxClockSkew reaches the protocol server: a Request-Time further
// off than it is refused PARAM_ILLEGAL before the wallet is asked; zero
// (the default) takes any time whose signature verifies.
func TestMaxClockSkew(t *testing.T) {
	h := newHarness(t)
	tests := []struct {
		skew    time.Duration
		off     time.Duration // the client's clock minus the server's
		refused bool
	}{
		{0, 0, false},
		{0, -10 * time.Minute, false},
		{0, 10 * time.Minute, false},
		{time.Minute, 0, false},
		{time.Minute, -59 * time.Second, false},
		{time.Minute, -10 * time.Minute, true},
		{time.Minute, 10 * time.Minute, true},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("skew %s, off %s", tt.skew, tt.off), func(t *testing.T) {
			srv := httptest.NewServer(mpp.NewServer(h.svc, mpp.Config{
				ClientID: testClientID, Key: h.mppKey, AlipayPublicKey: &h.alipayKey.PublicKey, MaxClockSkew: tt.skew,
			}))
			defer srv.Close()
			c := alipayplus.NewClient(srv.URL, alipayplus.Signer{ClientID: testClientID, Key: h.alipayKey}, &h.mppKey.PublicKey,
				alipayplus.WithClock(func() time.Time { return h.clock.Now().Add(tt.off) }),
				alipayplus.WithRetry(alipayplus.Retry{Deadline: 0, Initial: time.Millisecond, Max: time.Millisecond}))
			_, err := c.InquiryPayment(context.Background(), &alipayplus.InquiryPaymentRequest{
				AcquirerID: "ACQ", PSPID: "PSP", PaymentRequestID: "pr-unknown"})
			var apErr *alipayplus.Error
			if !errors.As(err, &apErr) {
				t.Fatalf("inquiry: %v, want a result", err)
			}
			// Past the check, the wallet answers for a payment it never saw.
			want := "ORDER_NOT_EXIST"
			if tt.refused {
				want = alipayplus.CodeParamIllegal
			}
			if apErr.Code != want || tt.refused != strings.Contains(apErr.Message, "Request-Time") {
				t.Errorf("inquiry answered %s %s %q, want %s", apErr.Status, apErr.Code, apErr.Message, want)
			}
		})
	}
}
