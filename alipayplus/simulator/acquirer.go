package simulator

import (
	"context"
	"crypto/rsa"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/money"
)

// OrderStatus is where a merchant's order stands at the acquirer.
type OrderStatus string

// Order statuses.
const (
	OrderOpen   OrderStatus = "OPEN"
	OrderPaid   OrderStatus = "PAID"
	OrderClosed OrderStatus = "CLOSED"
)

// orderPathPrefix is the 12-digit start of every order code's path:
// 281 + 999 (the digits Alipay+ assigns; fake here) + 04 + 0001 (the
// acquirer's own), per the private order code format (protocol.md §2.2).
const orderPathPrefix = "281999040001"

// Order is a private order code issued by the simulated acquirer.
type Order struct {
	CodeValue        string            `json:"codeValue"`
	Merchant         Merchant          `json:"merchant"`
	OrderID          string            `json:"referenceOrderId"`
	Description      string            `json:"orderDescription"`
	Amount           alipayplus.Amount `json:"orderAmount"`
	Status           OrderStatus       `json:"status"`
	CreatedAt        time.Time         `json:"createdAt"`
	ExpiresAt        time.Time         `json:"expiresAt"`
	PaymentRequestID string            `json:"paymentRequestId,omitempty"`
	Magic            string            `json:"magic,omitempty"`
	magic            *Magic
}

// OrderRequest is what a merchant enters to create an order code.
type OrderRequest struct {
	Amount      money.Money
	Merchant    Merchant
	Description string
	// Validity is how long the code can be paid (default Timing.OrderValidity).
	Validity time.Duration
}

// acquirer is the simulated ACQP: it issues order codes and answers
// Alipay+'s userInitiatedPay for them, over HTTP like a real acquirer.
type acquirer struct {
	s      *Simulator
	server *alipayplus.Server
	orders map[string]*Order // by codeValue; guarded by s.mu
	// nextSweep is when orderRoomLocked sweeps next; until fullUntil, a
	// full acquirer refuses orders without sweeping. Guarded by s.mu.
	nextSweep, fullUntil time.Time
}

func newAcquirer(s *Simulator) *acquirer {
	a := &acquirer{s: s, orders: map[string]*Order{}}
	a.server = alipayplus.NewServer(alipayplus.ServerConfig{
		ClientID: DefaultAcquirerClientID, Key: s.cfg.AcquirerKey, Now: s.cfg.Now, Logger: s.log,
		PublicKey: func(id string) (*rsa.PublicKey, bool) {
			return &s.cfg.Key.PublicKey, id == DefaultAcquirerClientID
		},
		Observe:   func(ex alipayplus.Exchange) { s.transcript.Record(ex) },
		Intercept: func(api string, call *alipayplus.Call) alipayplus.Fault { return s.intercept(APIAcquirerUIP, call) },
	})
	alipayplus.Handle(a.server, AcquirerPrefix+alipayplus.PathUserInitiatedPay, a.userInitiatedPay)
	return a
}

func (a *acquirer) ServeHTTP(w http.ResponseWriter, r *http.Request) { a.server.ServeHTTP(w, r) }

// CreateOrder makes a private order code for the wallet to scan.
func (s *Simulator) CreateOrder(_ context.Context, req OrderRequest) (Order, error) {
	if req.Amount.Minor <= 0 {
		return Order{}, fmt.Errorf("the amount must be positive")
	}
	if _, ok := money.Exponent(req.Amount.Currency); !ok {
		return Order{}, fmt.Errorf("unknown currency %q", req.Amount.Currency)
	}
	if err := checkOrderFields(req.Description, "", req.Merchant); err != nil {
		return Order{}, err
	}
	if req.Validity < 0 || req.Validity > maxOrderValidity {
		return Order{}, fmt.Errorf("the validity %s: want up to %s", req.Validity, maxOrderValidity)
	}
	validity := req.Validity
	if validity <= 0 {
		validity = s.timing.OrderValidity
	}
	now := s.cfg.Now()
	o := &Order{
		CodeValue: s.cfg.OrderDomain + "/" + orderPathPrefix + digits(16), Merchant: req.Merchant.withDefaults(),
		OrderID: "ORDER" + digits(12), Description: req.Description, Amount: *alipayplus.AmountOf(req.Amount),
		Status: OrderOpen, CreatedAt: now, ExpiresAt: now.Add(validity),
	}
	if m, ok := s.magicFor("MPM", req.Amount.Minor); ok {
		o.magic, o.Magic = m, m.Outcome
	}
	s.mu.Lock()
	if err := s.orderRoomLocked(now); err != nil {
		s.mu.Unlock()
		return Order{}, err
	}
	s.prunePaymentsLocked(now)
	a := s.acq
	a.orders[o.CodeValue] = o
	out := *o
	s.mu.Unlock()
	out.magic = nil
	return out, nil
}

// Orders lists the acquirer's orders, newest first.
func (s *Simulator) Orders() []Order {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Order, 0, len(s.acq.orders))
	for _, o := range s.acq.orders {
		c := *o
		c.magic = nil
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CreatedAt.After(out[j].CreatedAt) })
	return out
}

// isOrderCode reports whether a scanned code is one of this acquirer's.
func (s *Simulator) isOrderCode(code string) bool {
	return strings.HasPrefix(code, s.cfg.OrderDomain+"/"+orderPathPrefix)
}

// userInitiatedPay decodes an order code for Alipay+ (seed 003).
func (a *acquirer) userInitiatedPay(_ context.Context, _ *alipayplus.Call, req *alipayplus.UserInitiatedPayRequest) *alipayplus.UserInitiatedPayResponse {
	s := a.s
	now := s.cfg.Now()
	resp := &alipayplus.UserInitiatedPayResponse{}
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := a.orders[req.CodeValue]
	switch {
	case !ok:
		resp.Result = alipayplus.Failure(alipayplus.CodeInvalidCode, "The code is invalid.")
		return resp
	case o.magic != nil && o.magic.Decline != nil:
		resp.Result = *o.magic.Decline
		return resp
	case o.Status != OrderOpen:
		resp.Result = alipayplus.Failure(alipayplus.CodeOrderIsClosed, "The order is closed.")
		return resp
	case !now.Before(o.ExpiresAt):
		resp.Result = alipayplus.Failure(alipayplus.CodeExpiredCode, "The code is expired.")
		return resp
	}
	if o.PaymentRequestID == "" {
		o.PaymentRequestID = now.UTC().Format("20060102") + digits(20)
	}
	expiry := ceilSecond(now.Add(s.timing.PaymentExpiry)) // never beyond the 3-minute default
	if o.ExpiresAt.Before(expiry) {
		expiry = o.ExpiresAt
	}
	amount := o.Amount
	order := &alipayplus.Order{ReferenceOrderID: o.OrderID, OrderDescription: o.Description, OrderAmount: &amount,
		Merchant: o.Merchant.wire(),
		Env:      &alipayplus.Env{StoreTerminalID: o.Merchant.TerminalID, StoreTerminalRequestTime: s.timeString(o.CreatedAt)}}
	resp.Result = alipayplus.Success()
	resp.CodeType = "ORDER_CODE"
	resp.PaymentRequestID = o.PaymentRequestID
	resp.PaymentFactor = &alipayplus.PaymentFactor{IsInStorePayment: "true", IsCashierPayment: "true", InStorePaymentScenario: "OrderCode"}
	resp.Order = order
	resp.PaymentAmount = &amount
	resp.PaymentExpiryTime = s.timeString(expiry)
	resp.SettlementStrategy = &alipayplus.SettlementStrategy{SettlementCurrency: amount.Currency}
	return resp
}

// settleLocked closes the order behind a final MPM payment. Callers hold
// s.mu.
func (a *acquirer) settleLocked(p *Payment) {
	o, ok := a.orders[p.CodeValue]
	if !ok {
		return
	}
	a.fullUntil = time.Time{} // the order may go now
	if p.Status == StatusSuccess {
		o.Status = OrderPaid
	} else {
		o.Status = OrderClosed
	}
}
