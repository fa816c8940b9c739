package alipayplus

import (
	"context"
	"crypto/rsa"
	"errors"
	"log/slog"
	"time"

	"github.com/mppwallet/mppwallet/wallet"
)

// MPPConfig configures the wallet's server for Alipay+'s calls.
type MPPConfig struct {
	// ClientID is the MPP's Client-Id; Alipay+ calls with it.
	ClientID string
	// Key is the MPP's private key; it signs every response.
	Key *rsa.PrivateKey
	// AlipayPublicKey verifies every request.
	AlipayPublicKey *rsa.PublicKey
	// Now is the clock for Response-Time (default: the wallet's clock).
	Now func() time.Time
	// Location is the time zone of the times in answers (default: that of
	// Now()), so a repeated answer is byte-for-byte the same after a restart.
	Location *time.Location
	Logger   *slog.Logger
	Observe  func(Exchange)
}

// NewMPPServer returns the handler for the four endpoints Alipay+ calls on
// the wallet: pay, inquiryPayment, cancelPayment and refund.
func NewMPPServer(w *wallet.Service, cfg MPPConfig) *Server {
	if cfg.Now == nil {
		cfg.Now = w.Now
	}
	s := NewServer(ServerConfig{
		ClientID: cfg.ClientID, Key: cfg.Key, Now: cfg.Now, Logger: cfg.Logger, Observe: cfg.Observe,
		PublicKey: func(id string) (*rsa.PublicKey, bool) {
			return cfg.AlipayPublicKey, id == cfg.ClientID && cfg.AlipayPublicKey != nil
		},
	})
	if cfg.Location == nil {
		cfg.Location = cfg.Now().Location()
	}
	m := &mppHandlers{w: w, log: s.cfg.Logger, loc: cfg.Location}
	Handle(s, PathPay, m.pay)
	Handle(s, PathInquiryPayment, m.inquiry)
	Handle(s, PathCancelPayment, m.cancel)
	Handle(s, PathRefund, m.refund)
	return s
}

type mppHandlers struct {
	w   *wallet.Service
	log *slog.Logger
	loc *time.Location
}

func (m *mppHandlers) time(t time.Time) string { return FormatTime(t.In(m.loc)) }

// failureFrom maps an error from the wallet to a result: domain errors keep
// their code, anything else is an unknown outcome (the caller may retry).
func (m *mppHandlers) failureFrom(api string, err error) Result {
	var we *wallet.Error
	if errors.As(err, &we) {
		msg := we.Message
		if msg == "" {
			msg = we.Code.Message()
		}
		if we.Code == wallet.CodeInProcess {
			return Unknown(string(we.Code), msg)
		}
		return Failure(string(we.Code), msg)
	}
	m.log.Error("wallet failure", "api", api, "err", err)
	return Unknown(CodeUnknownException, "the wallet could not process the request; retry")
}

func (m *mppHandlers) pay(ctx context.Context, _ *Call, req *PayRequest) *PayResponse {
	resp := &PayResponse{}
	if req.PaymentMethod.PaymentMethodType != PaymentMethodConnectWallet {
		resp.Result = Failure(CodeUnavailablePaymentMethod, "paymentMethodType must be CONNECT_WALLET")
		return resp
	}
	p, err := m.w.Pay(ctx, payOrderOf(req))
	if err != nil {
		resp.Result = m.failureFrom(PathPay, err)
		return resp
	}
	resp.Result = paymentResult(p)
	resp.CustomerID = p.CustomerID
	if p.Status == wallet.StatusSucceeded || p.Status == wallet.StatusProcessing {
		resp.PaymentID = p.PaymentID
	}
	if p.Status == wallet.StatusSucceeded {
		resp.PaymentTime = m.time(p.PaidAt)
	}
	return resp
}

// payOrderOf converts a validated pay request (amounts and times already
// checked by Validate) to the wallet's order.
func payOrderOf(req *PayRequest) wallet.PayOrder {
	payTo, _ := req.PayToAmount.Money()
	amount, _ := req.PaymentAmount.Money()
	var expires time.Time
	if req.PaymentExpiryTime != "" {
		expires, _ = ParseTime(req.PaymentExpiryTime)
	}
	o := wallet.PayOrder{
		RequestID: req.PaymentRequestID, CustomerID: req.PaymentMethod.CustomerID, Mode: wallet.ModeUPM,
		CodeValue: req.PaymentMethod.PaymentMethodID, Amount: payTo, PaymentAmount: amount,
		AcquirerID: req.AcquirerID, PSPID: req.PSPID, ExpiresAt: expires,
	}
	if q := req.PaymentQuote; q != nil {
		o.Quote = wallet.Quote{ID: q.QuoteID, CurrencyPair: q.QuoteCurrencyPair, Price: q.QuotePrice}
	}
	if ord := req.Order; ord != nil {
		o.OrderID, o.OrderDescription = ord.ReferenceOrderID, ord.OrderDescription
		o.Merchant = ord.Merchant.WalletMerchant()
	}
	return o
}

// paymentResult is the result that describes a stored payment.
func paymentResult(p wallet.Payment) Result {
	switch p.Status {
	case wallet.StatusSucceeded:
		return Success()
	case wallet.StatusProcessing:
		return Unknown(CodePaymentInProcess, wallet.CodeInProcess.Message())
	case wallet.StatusCancelled:
		return Failure(CodeOrderIsClosed, wallet.CodeOrderClosed.Message())
	}
	return Failure(string(p.ResultCode), p.ResultCode.Message())
}

func (m *mppHandlers) inquiry(ctx context.Context, _ *Call, req *InquiryPaymentRequest) *InquiryPaymentResponse {
	resp := &InquiryPaymentResponse{}
	p, err := m.w.Inquire(ctx, req.PaymentRequestID)
	if err != nil {
		resp.Result = m.failureFrom(PathInquiryPayment, err)
		return resp
	}
	resp.Result = Success()
	pr := paymentResult(p)
	resp.PaymentResult = &pr
	resp.PaymentID, resp.CustomerID = p.PaymentID, p.CustomerID
	if p.Status == wallet.StatusSucceeded {
		resp.PaymentTime = m.time(p.PaidAt)
	}
	if p.Amount.Currency != "" {
		resp.PayToAmount = AmountOf(p.Amount)
	}
	if p.PaymentAmount.Currency != "" {
		resp.PaymentAmount = AmountOf(p.PaymentAmount)
	}
	return resp
}

func (m *mppHandlers) cancel(ctx context.Context, _ *Call, req *CancelPaymentRequest) *CancelPaymentResponse {
	resp := &CancelPaymentResponse{}
	if _, _, err := m.w.Cancel(ctx, req.PaymentRequestID); err != nil {
		resp.Result = m.failureFrom(PathCancelPayment, err)
		return resp
	}
	resp.Result = Success()
	return resp
}

func (m *mppHandlers) refund(ctx context.Context, _ *Call, req *RefundRequest) *RefundResponse {
	resp := &RefundResponse{}
	amt, _ := req.RefundAmount.Money()
	r, err := m.w.Refund(ctx, wallet.RefundOrder{
		RequestID: req.RefundRequestID, PaymentRequestID: req.PaymentRequestID, PaymentID: req.PaymentID, Amount: amt,
	})
	if err != nil {
		resp.Result = m.failureFrom(PathRefund, err)
		return resp
	}
	resp.Result = Success()
	resp.RefundID, resp.RefundTime = r.RefundID, m.time(r.CreatedAt)
	return resp
}
