// Package mpp serves the wallet over the Alipay+ protocol: the glue between
// the domain (wallet) and the protocol (alipayplus), which know nothing of
// each other. NewServer answers the calls Alipay+ makes on an MPP (pay,
// inquiryPayment, cancelPayment, refund) from a wallet.Service; Confirmer
// finishes the payments the user must confirm and reports them with
// notifyPayment; MerchantOf and the other converters map wire types to the
// wallet's.
package mpp

import (
	"context"
	"crypto/rsa"
	"errors"
	"log/slog"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/wallet"
)

// Config configures the wallet's server for Alipay+'s calls.
type Config struct {
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
	Observe  func(alipayplus.Exchange)
	// MaxClockSkew, when positive, refuses (PARAM_ILLEGAL) a request whose
	// Request-Time is further than this from Now, either way
	// (alipayplus.ServerConfig.MaxClockSkew). Off by default.
	MaxClockSkew time.Duration
}

// NewServer returns the handler for the four endpoints Alipay+ calls on
// the wallet: pay, inquiryPayment, cancelPayment and refund.
func NewServer(w *wallet.Service, cfg Config) *alipayplus.Server {
	if cfg.Now == nil {
		cfg.Now = w.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := alipayplus.NewServer(alipayplus.ServerConfig{
		ClientID: cfg.ClientID, Key: cfg.Key, Now: cfg.Now, Logger: cfg.Logger, Observe: cfg.Observe, MaxClockSkew: cfg.MaxClockSkew,
		PublicKey: func(id string) (*rsa.PublicKey, bool) {
			return cfg.AlipayPublicKey, id == cfg.ClientID && cfg.AlipayPublicKey != nil
		},
	})
	if cfg.Location == nil {
		cfg.Location = cfg.Now().Location()
	}
	m := &handlers{w: w, log: cfg.Logger, loc: cfg.Location}
	alipayplus.Handle(s, alipayplus.PathPay, m.pay)
	alipayplus.Handle(s, alipayplus.PathInquiryPayment, m.inquiry)
	alipayplus.Handle(s, alipayplus.PathCancelPayment, m.cancel)
	alipayplus.Handle(s, alipayplus.PathRefund, m.refund)
	return s
}

type handlers struct {
	w   *wallet.Service
	log *slog.Logger
	loc *time.Location
}

func (m *handlers) time(t time.Time) string { return alipayplus.FormatTime(t.In(m.loc)) }

// failureFrom maps an error from the wallet to a result: domain errors keep
// their code, anything else is an unknown outcome (the caller may retry).
func (m *handlers) failureFrom(api string, err error) alipayplus.Result {
	var we *wallet.Error
	if errors.As(err, &we) {
		msg := we.Message
		if msg == "" {
			msg = we.Code.Message()
		}
		if we.Code == wallet.CodeInProcess {
			return alipayplus.Unknown(string(we.Code), msg)
		}
		return alipayplus.Failure(string(we.Code), msg)
	}
	m.log.Error("wallet failure", "api", api, "err", err)
	return alipayplus.Unknown(alipayplus.CodeUnknownException, "the wallet could not process the request; retry")
}

func (m *handlers) pay(ctx context.Context, _ *alipayplus.Call, req *alipayplus.PayRequest) *alipayplus.PayResponse {
	resp := &alipayplus.PayResponse{}
	if req.PaymentMethod.PaymentMethodType != alipayplus.PaymentMethodConnectWallet {
		resp.Result = alipayplus.Failure(alipayplus.CodeUnavailablePaymentMethod, "paymentMethodType must be CONNECT_WALLET")
		return resp
	}
	p, err := m.w.Pay(ctx, payOrderOf(req))
	if err != nil {
		resp.Result = m.failureFrom(alipayplus.PathPay, err)
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
func payOrderOf(req *alipayplus.PayRequest) wallet.PayOrder {
	payTo, _ := req.PayToAmount.Money()
	amount, _ := req.PaymentAmount.Money()
	var expires time.Time
	if req.PaymentExpiryTime != "" {
		expires, _ = alipayplus.ParseTime(req.PaymentExpiryTime)
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
		o.Merchant = MerchantOf(ord.Merchant)
	}
	return o
}

// paymentResult is the result that describes a stored payment.
func paymentResult(p wallet.Payment) alipayplus.Result {
	switch p.Status {
	case wallet.StatusSucceeded:
		return alipayplus.Success()
	case wallet.StatusProcessing:
		return alipayplus.Unknown(alipayplus.CodePaymentInProcess, wallet.CodeInProcess.Message())
	case wallet.StatusCancelled:
		return alipayplus.Failure(alipayplus.CodeOrderIsClosed, wallet.CodeOrderClosed.Message())
	}
	return alipayplus.Failure(string(p.ResultCode), p.ResultCode.Message())
}

func (m *handlers) inquiry(ctx context.Context, _ *alipayplus.Call, req *alipayplus.InquiryPaymentRequest) *alipayplus.InquiryPaymentResponse {
	resp := &alipayplus.InquiryPaymentResponse{}
	p, err := m.w.Inquire(ctx, req.PaymentRequestID)
	if err != nil {
		resp.Result = m.failureFrom(alipayplus.PathInquiryPayment, err)
		return resp
	}
	resp.Result = alipayplus.Success()
	pr := paymentResult(p)
	resp.PaymentResult = &pr
	resp.PaymentID, resp.CustomerID = p.PaymentID, p.CustomerID
	if p.Status == wallet.StatusSucceeded {
		resp.PaymentTime = m.time(p.PaidAt)
	}
	if p.Amount.Currency != "" {
		resp.PayToAmount = alipayplus.AmountOf(p.Amount)
	}
	if p.PaymentAmount.Currency != "" {
		resp.PaymentAmount = alipayplus.AmountOf(p.PaymentAmount)
	}
	return resp
}

func (m *handlers) cancel(ctx context.Context, _ *alipayplus.Call, req *alipayplus.CancelPaymentRequest) *alipayplus.CancelPaymentResponse {
	resp := &alipayplus.CancelPaymentResponse{}
	if _, _, err := m.w.Cancel(ctx, req.PaymentRequestID); err != nil {
		resp.Result = m.failureFrom(alipayplus.PathCancelPayment, err)
		return resp
	}
	resp.Result = alipayplus.Success()
	return resp
}

func (m *handlers) refund(ctx context.Context, _ *alipayplus.Call, req *alipayplus.RefundRequest) *alipayplus.RefundResponse {
	resp := &alipayplus.RefundResponse{}
	amt, _ := req.RefundAmount.Money()
	r, err := m.w.Refund(ctx, wallet.RefundOrder{
		RequestID: req.RefundRequestID, PaymentRequestID: req.PaymentRequestID, PaymentID: req.PaymentID, Amount: amt,
	})
	if err != nil {
		resp.Result = m.failureFrom(alipayplus.PathRefund, err)
		return resp
	}
	resp.Result = alipayplus.Success()
	resp.RefundID, resp.RefundTime = r.RefundID, m.time(r.CreatedAt)
	return resp
}
