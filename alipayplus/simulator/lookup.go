package simulator

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrNoPayment is wrapped by PaymentByID when no payment has the id.
var ErrNoPayment = errors.New("no payment")

// ErrAmbiguousPayment is wrapped by PaymentByID when a paymentId names more
// than one payment (two wallets, or a wallet and the gateway, chose the
// same id): the paymentRequestId tells them apart.
var ErrAmbiguousPayment = errors.New("ambiguous payment id")

// PaymentByID returns one payment named by its paymentRequestId or by a
// paymentId: the wallet's (what its result page shows), or the gateway's
// for a payment a merchant client made. An exact paymentRequestId wins; a
// paymentId that several payments share is refused.
func (s *Simulator) PaymentByID(id string) (Payment, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, err := s.lookupLocked(id)
	if err != nil {
		return Payment{}, err
	}
	return p.copyOf(), nil
}

// lookupLocked finds the payment PaymentByID describes. Callers hold s.mu.
func (s *Simulator) lookupLocked(id string) (*Payment, error) {
	if p, ok := s.payments[id]; ok {
		return p, nil
	}
	var found []*Payment
	if id != "" {
		for i := len(s.order) - 1; i >= 0; i-- {
			p := s.payments[s.order[i]]
			if p.PaymentID == id || (p.Gateway != nil && p.Gateway.PaymentID == id) {
				found = append(found, p)
			}
		}
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w %s", ErrNoPayment, id)
	case 1:
		return found[0], nil
	}
	ids := make([]string, len(found))
	for i, p := range found {
		ids[i] = p.RequestID
	}
	return nil, fmt.Errorf("%w: paymentId %s names %d payments (paymentRequestId %s): name one by its paymentRequestId",
		ErrAmbiguousPayment, id, len(found), strings.Join(ids, ", "))
}

// adminLookup resolves the admin API's {id}, a paymentRequestId or a
// paymentId, answering 404 (none) or 409 (ambiguous) itself when it
// cannot.
func (s *Simulator) adminLookup(w http.ResponseWriter, id string) (Payment, bool) {
	p, err := s.PaymentByID(id)
	switch {
	case errors.Is(err, ErrAmbiguousPayment):
		writeError(w, http.StatusConflict, "%v", err)
		return Payment{}, false
	case err != nil:
		writeError(w, http.StatusNotFound, "%v", err)
		return Payment{}, false
	}
	return p, true
}
