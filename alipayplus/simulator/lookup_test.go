package simulator

import (
	"errors"
	"testing"
)

// A merchant names a payment by whichever id it has: the paymentRequestId,
// the wallet's paymentId from the result page, or the gateway's paymentId.
func TestPaymentByID(t *testing.T) {
	s := &Simulator{payments: map[string]*Payment{}}
	add := func(p *Payment) {
		s.payments[p.RequestID] = p
		s.order = append(s.order, p.RequestID)
	}
	add(&Payment{RequestID: "PR-1", PaymentID: "W-1"})
	add(&Payment{RequestID: "PR-2", PaymentID: "W-2", Gateway: &GatewayRef{ClientID: "POS", PaymentRequestID: "POS-9", PaymentID: "G-2"}})
	// Another wallet chose the same paymentId twice.
	add(&Payment{RequestID: "PR-3", PaymentID: "DUP"})
	add(&Payment{RequestID: "PR-4", PaymentID: "DUP"})
	// A paymentId that is also another payment's paymentRequestId.
	add(&Payment{RequestID: "PR-5", PaymentID: "PR-1"})

	tests := []struct {
		id      string
		want    string // paymentRequestId found, "" for an error
		wantErr error
	}{
		{"PR-1", "PR-1", nil}, // the exact paymentRequestId wins over PR-5's paymentId
		{"W-1", "PR-1", nil},
		{"PR-2", "PR-2", nil},
		{"W-2", "PR-2", nil},
		{"G-2", "PR-2", nil},
		{"POS-9", "", ErrNoPayment}, // the merchant client's own request id is not the network's
		{"DUP", "", ErrAmbiguousPayment},
		{"PR-3", "PR-3", nil},
		{"nope", "", ErrNoPayment},
		{"", "", ErrNoPayment},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			p, err := s.PaymentByID(tt.id)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("PaymentByID(%q) = %q, %v; want %v", tt.id, p.RequestID, err, tt.wantErr)
				}
				return
			}
			if err != nil || p.RequestID != tt.want {
				t.Errorf("PaymentByID(%q) = %q, %v; want %q", tt.id, p.RequestID, err, tt.want)
			}
		})
	}
}
