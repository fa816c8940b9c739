package simulator

import (
	"fmt"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// PaymentStatus is where a payment stands on the network's side.
type PaymentStatus string

// Payment statuses.
const (
	StatusProcessing PaymentStatus = "PROCESSING"
	StatusSuccess    PaymentStatus = "SUCCESS"
	StatusFail       PaymentStatus = "FAIL"
	StatusCancelled  PaymentStatus = "CANCELLED"
)

// Merchant describes who charges (UPM) or issued the order (MPM).
type Merchant struct {
	ID         string `json:"referenceMerchantId"`
	Name       string `json:"merchantName"`
	MCC        string `json:"merchantMCC"`
	Region     string `json:"region"`
	City       string `json:"city,omitempty"`
	StoreID    string `json:"referenceStoreId"`
	StoreName  string `json:"storeName"`
	TerminalID string `json:"storeTerminalId,omitempty"`
}

// DefaultMerchant is the shop that charges when none is named.
var DefaultMerchant = Merchant{ID: "M0000000001", Name: "UGG", MCC: "5411", Region: "JP", City: "Tokyo",
	StoreID: "S0000000001", StoreName: "UGG-2", TerminalID: "T0000001"}

func (m Merchant) withDefaults() Merchant {
	d := DefaultMerchant
	pick := func(v *string, def string) {
		if *v == "" {
			*v = def
		}
	}
	pick(&m.ID, d.ID)
	pick(&m.Name, d.Name)
	pick(&m.MCC, d.MCC)
	pick(&m.Region, d.Region)
	pick(&m.StoreID, d.StoreID)
	pick(&m.StoreName, d.StoreName)
	pick(&m.TerminalID, d.TerminalID)
	return m
}

// wire is the merchant as an Alipay+ Merchant object.
func (m Merchant) wire() *alipayplus.Merchant {
	w := &alipayplus.Merchant{ReferenceMerchantID: m.ID, MerchantName: m.Name, MerchantMCC: m.MCC,
		Store: &alipayplus.Store{ReferenceStoreID: m.StoreID, StoreName: m.StoreName, StoreMCC: m.MCC, StoreTerminalID: m.TerminalID}}
	if m.Region != "" || m.City != "" {
		w.MerchantAddress = &alipayplus.Address{Region: m.Region, City: m.City}
	}
	return w
}

// Step is one thing that happened to a payment.
type Step struct {
	At   time.Time `json:"at"`
	What string    `json:"what"`
}

// Refund is a refund the merchant asked for.
type Refund struct {
	RefundRequestID string            `json:"refundRequestId"`
	Amount          alipayplus.Amount `json:"refundAmount"`
	Status          string            `json:"status"`
	ResultCode      string            `json:"resultCode"`
	RefundID        string            `json:"refundId,omitempty"`
	At              time.Time         `json:"at"`
}

// Payment is one payment as the network sees it.
type Payment struct {
	RequestID   string            `json:"paymentRequestId"`
	Mode        string            `json:"mode"` // UPM or MPM
	CodeValue   string            `json:"codeValue"`
	CustomerID  string            `json:"customerId"`
	ClientID    string            `json:"clientId"`
	PSPID       string            `json:"pspId"`
	AcquirerID  string            `json:"acquirerId"`
	Merchant    Merchant          `json:"merchant"`
	OrderID     string            `json:"referenceOrderId"`
	Description string            `json:"orderDescription"`
	Amount      alipayplus.Amount `json:"paymentAmount"`
	PayToAmount alipayplus.Amount `json:"payToAmount"`
	Quote       *alipayplus.Quote `json:"paymentQuote,omitempty"`
	Status      PaymentStatus     `json:"status"`
	Result      alipayplus.Result `json:"result"`
	PaymentID   string            `json:"paymentId,omitempty"`
	PaymentTime string            `json:"paymentTime,omitempty"`
	CreatedAt   time.Time         `json:"createdAt"`
	ExpiresAt   time.Time         `json:"paymentExpiryTime"`
	FinishedAt  time.Time         `json:"finishedAt"`
	Steps       []Step            `json:"steps"`
	Refunds     []Refund          `json:"refunds,omitempty"`
	Magic       string            `json:"magic,omitempty"`
	// Disagreement is set when a fault replaced the wallet's answer with
	// one of another status, so that the wallet's ledger and the network
	// now disagree about this payment.
	Disagreement string `json:"disagreement,omitempty"`
	// Gateway is set for a payment a merchant client made through the
	// acquiring gateway (/ams/api/v1/payments/pay).
	Gateway  *GatewayRef `json:"gateway,omitempty"`
	notified *alipayplus.NotifyPaymentRequest
	magic    *Magic
	done     chan struct{}
	// answered is closed once the wallet answered pay (S, F or U) or the
	// payment became final without it.
	answered chan struct{}
}

// GatewayRef ties a payment to the merchant client's order at the gateway.
type GatewayRef struct {
	ClientID         string `json:"clientId"`
	PaymentRequestID string `json:"paymentRequestId"`
	PaymentID        string `json:"paymentId"`
}

// Final reports whether the payment has its final result.
func (p *Payment) Final() bool { return p.Status != StatusProcessing }

// copyOf returns a snapshot safe to hand out. Callers hold s.mu.
func (p *Payment) copyOf() Payment {
	c := *p
	c.Steps = append([]Step(nil), p.Steps...)
	c.Refunds = append([]Refund(nil), p.Refunds...)
	c.notified, c.magic, c.done, c.answered = nil, nil, nil, nil
	if p.Gateway != nil {
		g := *p.Gateway
		c.Gateway = &g
	}
	return c
}

// step notes what happened. Callers hold s.mu.
func (s *Simulator) stepLocked(p *Payment, format string, args ...any) {
	p.Steps = append(p.Steps, Step{At: s.cfg.Now(), What: fmt.Sprintf(format, args...)})
}

func (s *Simulator) step(p *Payment, format string, args ...any) {
	s.mu.Lock()
	s.stepLocked(p, format, args...)
	s.mu.Unlock()
}

// finish records the final result once; later calls change nothing and
// report false.
func (s *Simulator) finish(p *Payment, status PaymentStatus, r alipayplus.Result, paymentID, paymentTime string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if p.Final() {
		return false
	}
	p.Status, p.Result, p.FinishedAt = status, r, s.cfg.Now()
	if paymentID != "" {
		p.PaymentID = paymentID
	}
	if paymentTime != "" {
		p.PaymentTime = paymentTime
	}
	s.stepLocked(p, "final: %s %s %s", status, r.ResultStatus, r.ResultCode)
	close(p.done)
	if p.Mode == "MPM" {
		s.acq.settleLocked(p)
	}
	return true
}

// addPayment stores a new payment. Callers must not hold s.mu.
func (s *Simulator) addPayment(p *Payment) {
	p.done, p.answered = make(chan struct{}), make(chan struct{})
	s.mu.Lock()
	s.prunePaymentsLocked(s.cfg.Now())
	s.payments[p.RequestID] = p
	s.order = append(s.order, p.RequestID)
	s.mu.Unlock()
}

// Payments lists payments, newest first.
func (s *Simulator) Payments() []Payment {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Payment, 0, len(s.order))
	for i := len(s.order) - 1; i >= 0; i-- {
		out = append(out, s.payments[s.order[i]].copyOf())
	}
	return out
}

// Payment returns one payment by paymentRequestId.
func (s *Simulator) Payment(requestID string) (Payment, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.payments[requestID]
	if !ok {
		return Payment{}, false
	}
	return p.copyOf(), true
}

// Wait blocks until the payment is final or ctx ends, and returns it.
func (s *Simulator) Wait(ctxDone <-chan struct{}, requestID string) (Payment, bool) {
	s.mu.Lock()
	p, ok := s.payments[requestID]
	s.mu.Unlock()
	if !ok {
		return Payment{}, false
	}
	select {
	case <-p.done:
	case <-ctxDone:
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return p.copyOf(), p.Final()
}
