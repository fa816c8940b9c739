package simulator

import (
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// errNoAnswer is an answer that a fault dropped: to the network it looks
// exactly like a timeout.
var errNoAnswer = errors.New("no answer (dropped by a fault)")

// peer is whom the simulator calls: an MPP or the acquirer.
type peer struct {
	URL      string
	ClientID string
	Key      *rsa.PublicKey
}

func (m *MPP) peer() peer {
	u := m.URL
	if m.URLFunc != nil {
		u = m.URLFunc()
	}
	return peer{URL: u, ClientID: m.ClientID, Key: m.PublicKey}
}

// effectFor merges the payment's magic effect with the fault rules for api.
func (s *Simulator) effectFor(api string, p *Payment) Effect {
	var e Effect
	if p != nil && p.magic != nil {
		if me, ok := p.magic.Effects[api]; ok {
			e = me
			if api == APINotifyPayment || api == APIPay {
				// One-shot magic: the first exchange only, so retries succeed.
				s.mu.Lock()
				delete(p.magic.Effects, api)
				s.mu.Unlock()
			}
		}
	}
	if fe, ok := s.faults.Take(api); ok {
		e.Drop = e.Drop || fe.Drop
		e.Duplicate = e.Duplicate || fe.Duplicate
		e.CorruptSignature = e.CorruptSignature || fe.CorruptSignature
		e.Delay = max(e.Delay, fe.Delay)
		if e.Result == nil {
			e.Result = fe.Result
		}
		e.RuleID = fe.RuleID
	}
	return e
}

// send makes one signed call to a peer, with the faults in force for api:
// a delay before sending, a corrupt signature, the request sent twice, or
// the answer dropped (reported as errNoAnswer). It never retries: the
// caller decides what an unknown outcome means.
func (s *Simulator) send(ctx context.Context, to peer, api string, timeout time.Duration, req any, resp alipayplus.Responder, p *Payment) error {
	return s.sendTo(ctx, to, api, apiPaths[api], timeout, req, resp, p)
}

// sendTo is send to a path of the caller's choosing (a merchant's
// paymentNotifyUrl).
func (s *Simulator) sendTo(ctx context.Context, to peer, api, path string, timeout time.Duration, req any, resp alipayplus.Responder, p *Payment) error {
	e := s.effectFor(api, p)
	if e.Delay > 0 {
		if p != nil {
			s.step(p, "%s held back %s (fault)", api, e.Delay)
		}
		t := time.NewTimer(e.Delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
	}
	key := s.cfg.Key
	if e.CorruptSignature {
		// Not Alipay+'s key, so neither an MPP nor the acquirer can verify it.
		key = s.cfg.AcquirerKey
		if p != nil {
			s.step(p, "%s sent with a corrupt signature (fault)", api)
		}
	}
	c := alipayplus.NewClient(to.URL, alipayplus.Signer{ClientID: to.ClientID, Key: key}, to.Key,
		alipayplus.WithTimeout(timeout), alipayplus.WithRetry(alipayplus.Retry{}), alipayplus.WithClock(s.cfg.Now),
		alipayplus.WithObserver(func(ex alipayplus.Exchange) {
			if path != apiPaths[api] {
				ex.API = api // a merchant's own URL: the transcript names the API
			}
			var extra []Finding
			if d, ok := disagreement(api, ex.Result, e.Result); ok {
				extra = append(extra, d)
				if p != nil {
					s.noteDisagreement(p, d.Message)
				}
			}
			s.transcript.RecordWith(ex, extra...)
		}), alipayplus.WithLogger(s.log))
	if e.Duplicate {
		if p != nil {
			s.step(p, "%s sent twice (fault)", api)
		}
		_ = c.Call(ctx, path, req, resp)
	}
	err := c.Call(ctx, path, req, resp)
	if e.Drop {
		if p != nil {
			s.step(p, "%s answer dropped (fault)", api)
		}
		return errNoAnswer
	}
	if r := e.Result; r != nil {
		// The wallet's real answer is replaced in transit.
		if p != nil {
			s.step(p, "%s answer replaced by %s %s (fault)", api, r.ResultStatus, r.ResultCode)
		}
		if r.ResultStatus == alipayplus.StatusSuccess {
			return nil
		}
		return &alipayplus.Error{Status: r.ResultStatus, Code: r.ResultCode, Message: r.ResultMessage, API: path}
	}
	return err
}

// outcome classifies a call's error: final S (nil), final F (*Error with
// F), or unknown (anything else).
func outcome(err error) (final bool, r alipayplus.Result) {
	if err == nil {
		return true, alipayplus.Success()
	}
	var apErr *alipayplus.Error
	if errors.As(err, &apErr) && apErr.Status == alipayplus.StatusFail {
		return true, alipayplus.Failure(apErr.Code, apErr.Message)
	}
	if errors.As(err, &apErr) {
		return false, alipayplus.Unknown(apErr.Code, apErr.Message)
	}
	return false, alipayplus.Unknown(alipayplus.CodeUnknownException, fmt.Sprint(err))
}
