package simulator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"sync"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
)

// gateway is the acquiring API a merchant's POS or backend calls: Antom's
// in-store payment-code API (package antom), at its production paths and
// at the sandbox paths the SDKs use for SANDBOX_ Client-Ids. A pay routes
// the scanned code to the wallet that issued it, exactly as Charge does;
// the merchant's paymentRequestId is its idempotency key.
//
// Lock order: g.mu before s.mu, never the other way round.
type gateway struct {
	s *Simulator

	mu          sync.Mutex
	orders      map[orderKey]*gatewayOrder // by Client-Id and paymentRequestId
	byPaymentID map[string]*gatewayOrder
	refunds     map[orderKey]*gatewayRefund // by Client-Id and refundRequestId
	nextSweep   time.Time                   // when pruneLocked sweeps next
}

// orderKey names a merchant client's request: idempotency keys are the
// merchant's own, so two merchants may use the same one.
type orderKey struct{ client, id string }

// gatewayOrder is one paymentRequestId a merchant sent.
type gatewayOrder struct {
	ref       GatewayRef
	digest    [32]byte
	notifyURL string
	createdAt time.Time
	amount    alipayplus.Amount
	// refused is the answer to a pay refused before any payment started
	// (a used or expired code): final, and repeated as it is.
	refused *alipayplus.Result
	// simID is the paymentRequestId of Alipay+'s payment to the wallet.
	simID string
	// refunded is what the wallet refunded; reserved what refunds in
	// flight may still refund (both in the payment's minor units).
	refunded, reserved int64
	cancelDone         chan struct{} // set once a cancel started; closed when it ended
	cancelTime         string        // set when the wallet accepted the cancel
}

func newGateway(s *Simulator) *gateway {
	return &gateway{s: s, orders: map[orderKey]*gatewayOrder{}, byPaymentID: map[string]*gatewayOrder{},
		refunds: map[orderKey]*gatewayRefund{}}
}

// handler serves the gateway's paths: requests are verified against the
// registered merchant clients' keys, and Request-Time may be epoch
// milliseconds, as the SDKs send it.
func (g *gateway) handler() http.Handler {
	s := g.s
	srv := alipayplus.NewServer(alipayplus.ServerConfig{
		ClientID: AnswerClientID, Key: s.cfg.Key, Now: s.cfg.Now, Logger: s.log, PublicKey: s.merchantKey, EpochRequestTime: true,
		Observe:   func(ex alipayplus.Exchange) { s.transcript.Record(ex) },
		Intercept: func(path string, call *alipayplus.Call) alipayplus.Fault { return s.intercept(apiName(path), call) },
	})
	for _, path := range []string{antom.PathPay, antom.SandboxPath(antom.PathPay)} {
		alipayplus.Handle(srv, path, g.pay)
	}
	for _, path := range []string{antom.PathInquiryPayment, antom.SandboxPath(antom.PathInquiryPayment)} {
		alipayplus.Handle(srv, path, g.inquiry)
	}
	for _, path := range []string{antom.PathCancel, antom.SandboxPath(antom.PathCancel)} {
		alipayplus.Handle(srv, path, g.cancel)
	}
	for _, path := range []string{antom.PathRefund, antom.SandboxPath(antom.PathRefund)} {
		alipayplus.Handle(srv, path, g.refund)
	}
	return srv
}

// digestOf fingerprints a request body by its content, not its bytes: the
// same fields and values in another order or spacing are the same request.
func digestOf(raw []byte) [32]byte {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err == nil {
		if canon, err := json.Marshal(tree); err == nil {
			raw = canon
		}
	}
	return sha256.Sum256(raw)
}

// newPaymentID makes the gateway's paymentId: the date and 20 digits.
func (s *Simulator) newPaymentID() string {
	return s.cfg.Now().UTC().Format("20060102") + "1" + digits(19)
}

func respond(r alipayplus.Result) alipayplus.Response { return alipayplus.Response{Result: r} }

// pay charges the scanned code, or answers a repeated paymentRequestId.
func (g *gateway) pay(ctx context.Context, call *alipayplus.Call, req *antom.PayRequest) *antom.PayResponse {
	key := orderKey{call.ClientID, req.PaymentRequestID}
	digest := digestOf(call.Raw)
	g.mu.Lock()
	if o, ok := g.orders[key]; ok {
		g.mu.Unlock()
		if o.digest != digest {
			return &antom.PayResponse{Response: respond(alipayplus.Failure(alipayplus.CodeRepeatReqInconsistent,
				"paymentRequestId "+req.PaymentRequestID+" was sent before with other content"))}
		}
		return g.payAnswer(ctx, o)
	}
	o, resp := g.start(call.ClientID, req, digest)
	if resp != nil {
		g.mu.Unlock()
		return resp
	}
	g.pruneLocked(g.s.cfg.Now())
	g.orders[key] = o
	g.byPaymentID[o.ref.PaymentID] = o
	g.mu.Unlock()
	if o.refused == nil && o.notifyURL != "" {
		g.s.bg.Add(1)
		go func() {
			defer g.s.bg.Done()
			g.notifyWhenFinal(g.s.ctx, o)
		}()
	}
	return g.payAnswer(ctx, o)
}

// start begins the payment of a new order. It returns the order to keep,
// or (for a request that did not take the code) an answer and no order.
// Callers hold g.mu.
func (g *gateway) start(clientID string, req *antom.PayRequest, digest [32]byte) (*gatewayOrder, *antom.PayResponse) {
	s := g.s
	amount, _ := req.PaymentAmount.Money() // validated
	o := &gatewayOrder{digest: digest, notifyURL: req.PaymentNotifyURL, createdAt: s.cfg.Now(), amount: *req.PaymentAmount,
		ref: GatewayRef{ClientID: clientID, PaymentRequestID: req.PaymentRequestID, PaymentID: s.newPaymentID()}}
	cr := ChargeRequest{Code: req.PaymentMethod.PaymentMethodID, Amount: amount}
	if req.Order != nil {
		cr.Description, cr.OrderID, cr.Merchant = req.Order.OrderDescription, req.Order.ReferenceOrderID, merchantOf(req.Order.Merchant)
	}
	ref := o.ref
	p, err := s.startCharge(cr, &ref)
	var ce *CodeError
	switch {
	case err == nil:
		o.simID = p.RequestID
		return o, nil
	case errors.As(err, &ce):
		r := alipayplus.Failure(ce.Code, ce.Message)
		o.refused = &r
		return o, nil
	case errors.Is(err, ErrUnknownMPP):
		r := alipayplus.Failure(alipayplus.CodeUnavailablePaymentMethod, err.Error())
		o.refused = &r
		return o, nil
	case errors.Is(err, ErrWalletUnreachable):
		// Nothing was taken: the same request may be sent again once the
		// wallet runs.
		return nil, &antom.PayResponse{Response: respond(alipayplus.Unknown(alipayplus.CodeUnknownException, err.Error()))}
	}
	return nil, &antom.PayResponse{Response: respond(alipayplus.Failure(alipayplus.CodeParamIllegal, err.Error()))}
}

// merchantOf reads the merchant and store of an order.
func merchantOf(m *alipayplus.Merchant) Merchant {
	if m == nil {
		return Merchant{}
	}
	out := Merchant{ID: m.ReferenceMerchantID, Name: m.MerchantName, MCC: m.MerchantMCC}
	if m.MerchantAddress != nil {
		out.Region, out.City = m.MerchantAddress.Region, m.MerchantAddress.City
	}
	if st := m.Store; st != nil {
		out.StoreID, out.StoreName, out.TerminalID = st.ReferenceStoreID, st.StoreName, st.StoreTerminalID
	}
	return out
}

// payment is the order's payment, waiting up to GatewayWait (or ctx) for
// the wallet's answer to pay when wait is set.
func (g *gateway) payment(ctx context.Context, o *gatewayOrder, wait bool) (Payment, bool) {
	s := g.s
	s.mu.Lock()
	p, ok := s.payments[o.simID]
	s.mu.Unlock()
	if !ok {
		return Payment{}, false
	}
	if wait {
		t := time.NewTimer(s.timing.GatewayWait)
		select {
		case <-p.done:
		case <-p.answered:
		case <-t.C:
		case <-ctx.Done():
		}
		t.Stop()
	}
	return s.snapshot(p), true
}

// payAnswer is pay's answer for an order: S paid, F refused or failed, U
// while the wallet holds the payment.
func (g *gateway) payAnswer(ctx context.Context, o *gatewayOrder) *antom.PayResponse {
	resp := &antom.PayResponse{PaymentRequestID: o.ref.PaymentRequestID, PaymentID: o.ref.PaymentID,
		PaymentAmount: &o.amount, PaymentCreateTime: g.s.timeString(o.createdAt)}
	if o.refused != nil {
		resp.Result = *o.refused
		return resp
	}
	p, ok := g.payment(ctx, o, true)
	if !ok {
		resp.Result = alipayplus.Unknown(alipayplus.CodeUnknownException, "the payment is no longer kept by the simulator")
		return resp
	}
	status, code, msg := gatewayStatus(p)
	switch status {
	case antom.StatusSuccess:
		resp.Result = alipayplus.Success()
		resp.PaymentTime, resp.PSPCustomerInfo = g.paymentTime(p), pspCustomer(p)
		payTo := p.PayToAmount
		resp.ActualPaymentAmount, resp.PaymentQuote = &payTo, p.Quote
	case antom.StatusProcessing:
		resp.Result = alipayplus.Unknown(code, msg)
	default:
		resp.Result = alipayplus.Failure(code, msg)
	}
	return resp
}

// gatewayStatus is a payment as inquiryPayment reports it: paymentStatus,
// paymentResultCode and paymentResultMessage.
func gatewayStatus(p Payment) (status, code, msg string) {
	switch p.Status {
	case StatusSuccess:
		return antom.StatusSuccess, alipayplus.CodeSuccess, "success"
	case StatusFail:
		return antom.StatusFail, p.Result.ResultCode, p.Result.ResultMessage
	case StatusCancelled:
		return antom.StatusCancelled, alipayplus.CodeOrderIsClosed, "the payment was cancelled"
	}
	return antom.StatusProcessing, alipayplus.CodePaymentInProcess,
		"the wallet holds the payment (the user may be confirming it): inquire with inquiryPayment"
}

func (g *gateway) paymentTime(p Payment) string {
	if p.PaymentTime != "" {
		return p.PaymentTime
	}
	return g.s.timeString(p.FinishedAt)
}

// pspCustomer names the wallet and its customer.
func pspCustomer(p Payment) *antom.PSPCustomerInfo {
	return &antom.PSPCustomerInfo{PSPName: p.ClientID, PSPCustomerID: p.CustomerID}
}

// find looks an order up by paymentId (which wins) or paymentRequestId,
// among the client's own.
func (g *gateway) find(clientID, paymentRequestID, paymentID string) (*gatewayOrder, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if paymentID != "" {
		o, ok := g.byPaymentID[paymentID]
		if !ok || o.ref.ClientID != clientID {
			return nil, false
		}
		return o, true
	}
	o, ok := g.orders[orderKey{clientID, paymentRequestID}]
	return o, ok
}

func notFound(paymentRequestID, paymentID string) alipayplus.Result {
	what := "paymentRequestId " + paymentRequestID
	if paymentID != "" {
		what = "paymentId " + paymentID
	}
	return alipayplus.Failure(alipayplus.CodeOrderNotExist, "no payment with "+what+" for this Client-Id")
}

// inquiry reports a payment's status.
func (g *gateway) inquiry(_ context.Context, call *alipayplus.Call, req *antom.InquiryPaymentRequest) *antom.InquiryPaymentResponse {
	o, ok := g.find(call.ClientID, req.PaymentRequestID, req.PaymentID)
	if !ok {
		return &antom.InquiryPaymentResponse{Response: respond(notFound(req.PaymentRequestID, req.PaymentID))}
	}
	resp := &antom.InquiryPaymentResponse{Response: respond(alipayplus.Success()), PaymentRequestID: o.ref.PaymentRequestID,
		PaymentID: o.ref.PaymentID, PaymentAmount: &o.amount, PaymentCreateTime: g.s.timeString(o.createdAt)}
	if o.refused != nil {
		resp.PaymentStatus, resp.PaymentResultCode, resp.PaymentResultMessage = antom.StatusFail, o.refused.ResultCode, o.refused.ResultMessage
		return resp
	}
	p, ok := g.payment(context.Background(), o, false)
	if !ok {
		return &antom.InquiryPaymentResponse{Response: respond(alipayplus.Unknown(alipayplus.CodeUnknownException,
			"the payment is no longer kept by the simulator"))}
	}
	resp.PaymentStatus, resp.PaymentResultCode, resp.PaymentResultMessage = gatewayStatus(p)
	if p.Status == StatusSuccess || (p.Status == StatusCancelled && p.PaymentID != "") {
		payTo := p.PayToAmount
		resp.PaymentTime, resp.PSPCustomerInfo, resp.ActualPaymentAmount, resp.PaymentQuote = g.paymentTime(p), pspCustomer(p), &payTo, p.Quote
	}
	return resp
}
