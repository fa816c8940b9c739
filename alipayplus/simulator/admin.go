package simulator

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
)

// The admin API is plain JSON over HTTP for the merchant tools, the TUI and
// scripts. guardAdmin keeps web pages out and asks for the admin token
// (Config.AdminToken) on every endpoint but GET /sim/health.
//
//	GET    /sim/health                    {"ok":true,"url":...}
//	POST   /sim/charge                    {"code","amount","currency","merchant":{...},"description"} → payment (waits for the final result)
//	POST   /sim/orders                    {"amount","currency","merchant":{...},"description","validitySeconds"} → order
//	GET    /sim/orders                    orders, newest first
//	GET    /sim/payments                  payments, newest first
//	GET    /sim/payments/{id}             one payment (?wait=30s waits for the final result); {id} is its paymentRequestId or paymentId
//	POST   /sim/payments/{id}/refund      {"amount","currency"} → refund
//	POST   /sim/payments/{id}/cancel      → the payment, once the wallet accepted cancelPayment
//	GET    /sim/codes?customerId=         issued payment codes
//	GET    /sim/faults                    active fault rules
//	POST   /sim/faults                    a Rule as JSON, or {"spec":"pay:drop,count=1","source":"ui"} → the stored rule
//	DELETE /sim/faults                    remove all
//	DELETE /sim/faults/{id}               remove one
//	GET    /sim/magic                     the magic-amount table
//	GET    /sim/transcript?since=SEQ&limit=N  a page of transcript entries after SEQ (newest=N: the newest N)
//	GET    /sim/findings                  conformance findings
//	GET    /sim/merchant-clients          merchant clients of the acquiring gateway
//	POST   /sim/merchant-clients          {"clientId","publicKey"} (PEM or bare base64) → the client
func (s *Simulator) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /sim/health", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]any{"ok": true, "url": s.URL(), "rulesVersion": RulesVersion})
	})
	mux.HandleFunc("POST /sim/charge", s.adminCharge)
	mux.HandleFunc("POST /sim/orders", s.adminOrder)
	mux.HandleFunc("GET /sim/orders", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.Orders()) })
	mux.HandleFunc("GET /sim/payments", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, s.Payments()) })
	mux.HandleFunc("GET /sim/payments/{id}", s.adminPayment)
	mux.HandleFunc("POST /sim/payments/{id}/refund", s.adminRefund)
	mux.HandleFunc("POST /sim/payments/{id}/cancel", s.adminCancel)
	mux.HandleFunc("GET /sim/codes", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, nonNil(s.Codes(r.URL.Query().Get("customerId"))))
	})
	mux.HandleFunc("GET /sim/faults", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, nonNil(s.faults.List())) })
	mux.HandleFunc("POST /sim/faults", s.adminAddFault)
	mux.HandleFunc("DELETE /sim/faults", func(w http.ResponseWriter, r *http.Request) {
		s.faults.Clear()
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("DELETE /sim/faults/{id}", func(w http.ResponseWriter, r *http.Request) {
		id, err := strconv.Atoi(r.PathValue("id"))
		if err != nil || !s.faults.Remove(id) {
			writeError(w, http.StatusNotFound, "no fault rule %s", r.PathValue("id"))
			return
		}
		writeJSON(w, http.StatusOK, map[string]bool{"ok": true})
	})
	mux.HandleFunc("GET /sim/magic", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, http.StatusOK, MagicTable()) })
	mux.HandleFunc("GET /sim/transcript", s.adminTranscript)
	mux.HandleFunc("GET /sim/findings", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, nonNil(s.transcript.Findings()))
	})
	mux.HandleFunc("GET /sim/merchant-clients", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.MerchantClients())
	})
	mux.HandleFunc("POST /sim/merchant-clients", s.adminRegisterMerchant)
	mux.HandleFunc("/sim/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "no admin endpoint %s %s", r.Method, r.URL.Path)
	})
	return s.guardAdmin(mux)
}

func nonNil[T any](v []T) []T {
	if v == nil {
		return []T{}
	}
	return v
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, format string, args ...any) {
	writeJSON(w, status, map[string]string{"error": fmt.Sprintf(format, args...)})
}

// AdminMoney is an amount as the admin API takes it: a decimal and a
// currency ("12.34", "USD").
type AdminMoney struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

func (a AdminMoney) money() (money.Money, error) {
	if a.Currency == "" {
		a.Currency = "USD"
	}
	return money.Parse(a.Amount, a.Currency)
}

// ChargeBody is the JSON body of POST /sim/charge.
type ChargeBody struct {
	Code string `json:"code"`
	AdminMoney
	Merchant    Merchant `json:"merchant"`
	Description string   `json:"description"`
	// WaitSeconds bounds the wait for the final result (default 240).
	WaitSeconds int `json:"waitSeconds"`
}

// MaxAdminBody is the largest body the admin API reads (64 KiB); a longer
// one is refused with HTTP 413, unread when its Content-Length says so.
const MaxAdminBody = 64 << 10

func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	if r.ContentLength > MaxAdminBody {
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusRequestEntityTooLarge, "the body of %d bytes is larger than %d bytes", r.ContentLength, MaxAdminBody)
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxAdminBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", MaxAdminBody)
			return false
		}
		writeError(w, http.StatusBadRequest, "bad JSON body: %v", err)
		return false
	}
	return true
}

func (s *Simulator) adminCharge(w http.ResponseWriter, r *http.Request) {
	var b ChargeBody
	if !decodeBody(w, r, &b) {
		return
	}
	amt, err := b.money()
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if b.Code == "" {
		writeError(w, http.StatusBadRequest, "code is required")
		return
	}
	if b.WaitSeconds < 0 || b.WaitSeconds > int(MaxAdminWait/time.Second) {
		writeError(w, http.StatusBadRequest, "waitSeconds %d: want 0 (the default, 240) to %d", b.WaitSeconds, int(MaxAdminWait/time.Second))
		return
	}
	wait := time.Duration(b.WaitSeconds) * time.Second
	if wait <= 0 {
		wait = MaxAdminWait
	}
	ctx, cancel := context.WithTimeout(r.Context(), wait)
	defer cancel()
	p, err := s.Charge(ctx, ChargeRequest{Code: b.Code, Amount: amt, Merchant: b.Merchant, Description: b.Description})
	var ce *CodeError
	switch {
	case errors.As(err, &ce):
		writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": ce.Message, "resultCode": ce.Code})
	case errors.Is(err, ErrWalletUnreachable), errors.Is(err, ErrUnknownMPP):
		writeError(w, http.StatusServiceUnavailable, "%v", err)
	case err != nil:
		writeError(w, http.StatusBadRequest, "%v", err)
	default:
		writeJSON(w, http.StatusOK, p)
	}
}

// OrderBody is the JSON body of POST /sim/orders.
type OrderBody struct {
	AdminMoney
	Merchant        Merchant `json:"merchant"`
	Description     string   `json:"description"`
	ValiditySeconds int      `json:"validitySeconds"`
}

func (s *Simulator) adminOrder(w http.ResponseWriter, r *http.Request) {
	var b OrderBody
	if !decodeBody(w, r, &b) {
		return
	}
	amt, err := b.money()
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	if b.ValiditySeconds < 0 || b.ValiditySeconds > int(maxOrderValidity/time.Second) {
		writeError(w, http.StatusBadRequest, "validitySeconds %d: want 0 (the default, %s) up to %d", b.ValiditySeconds,
			s.timing.OrderValidity, int(maxOrderValidity/time.Second))
		return
	}
	o, err := s.CreateOrder(r.Context(), OrderRequest{Amount: amt, Merchant: b.Merchant, Description: b.Description,
		Validity: time.Duration(b.ValiditySeconds) * time.Second})
	if errors.Is(err, ErrTooManyOrders) {
		writeError(w, http.StatusTooManyRequests, "%v", err)
		return
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

// MaxAdminWait is the longest an admin call waits for a final result; the
// simulator's HTTP server must allow writes at least this late.
const MaxAdminWait = 4 * time.Minute

func (s *Simulator) adminPayment(w http.ResponseWriter, r *http.Request) {
	found, ok := s.adminLookup(w, r.PathValue("id"))
	if !ok {
		return
	}
	id := found.RequestID
	if ws := r.URL.Query().Get("wait"); ws != "" {
		d, err := time.ParseDuration(ws)
		if err != nil || d < 0 || d > MaxAdminWait {
			writeError(w, http.StatusBadRequest, "wait %q: want a duration up to %v, like 30s", ws, MaxAdminWait)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		if p, ok := s.Wait(ctx.Done(), id); ok || p.RequestID != "" {
			writeJSON(w, http.StatusOK, p)
			return
		}
	}
	p, ok := s.Payment(id)
	if !ok {
		writeError(w, http.StatusNotFound, "no payment %s", id)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Simulator) adminRefund(w http.ResponseWriter, r *http.Request) {
	var b AdminMoney
	if !decodeBody(w, r, &b) {
		return
	}
	p, ok := s.adminLookup(w, r.PathValue("id"))
	if !ok {
		return
	}
	if b.Currency == "" {
		b.Currency = p.Amount.Currency
	}
	amt, err := b.money()
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), time.Minute)
	defer cancel()
	ref, err := s.Refund(ctx, p.RequestID, amt)
	if err != nil {
		// resultCode is the wallet's answer when it refused the refund.
		writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": err.Error(), "resultCode": ref.ResultCode, "refund": ref})
		return
	}
	writeJSON(w, http.StatusOK, ref)
}

// FaultBody is the JSON body of POST /sim/faults that gives a rule in the
// flag syntax, with who added it ("ui"; default "admin").
type FaultBody struct {
	Spec   string `json:"spec"`
	Source string `json:"source,omitempty"`
}

func (s *Simulator) adminAddFault(w http.ResponseWriter, r *http.Request) {
	var raw json.RawMessage
	if !decodeBody(w, r, &raw) {
		return
	}
	var spec FaultBody
	var rule Rule
	if json.Unmarshal(raw, &spec) == nil && spec.Spec != "" {
		var err error
		if rule, err = ParseRule(spec.Spec); err != nil {
			writeError(w, http.StatusBadRequest, "%v", err)
			return
		}
		rule.Source = spec.Source
	} else if err := json.Unmarshal(raw, &rule); err != nil {
		writeError(w, http.StatusBadRequest, "bad rule: %v", err)
		return
	}
	if rule.Source == "" {
		rule.Source = "admin"
	}
	stored, err := s.faults.Add(rule)
	if err != nil {
		writeError(w, http.StatusBadRequest, "%v", strings.TrimPrefix(err.Error(), "simulator: "))
		return
	}
	writeJSON(w, http.StatusOK, stored)
}
