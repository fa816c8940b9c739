package simulator

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/assets"
)

// RulesVersion is the version of the simulator's code rules: the sandbox
// set it embeds plus its own order-code rule.
const RulesVersion = "c_16_ignet_25+s1"

// routes builds the handler: the Alipay+ APIs at their real paths, the
// acquirer under AcquirerPrefix and the admin API under /sim/.
func (s *Simulator) routes() http.Handler {
	ap := alipayplus.NewServer(alipayplus.ServerConfig{
		ClientID: AnswerClientID, Key: s.cfg.Key, Now: s.cfg.Now, Logger: s.log, PublicKey: s.publicKey,
		Observe:   func(ex alipayplus.Exchange) { s.transcript.Record(ex) },
		Intercept: func(path string, call *alipayplus.Call) alipayplus.Fault { return s.intercept(apiName(path), call) },
	})
	alipayplus.Handle(ap, alipayplus.PathGetPaymentCode, s.getPaymentCode)
	alipayplus.Handle(ap, alipayplus.PathInquiryCodeRules, s.inquiryCodeRules, alipayplus.Unsigned(), alipayplus.EmptyBody())
	alipayplus.Handle(ap, alipayplus.PathUserInitiatedPay, s.userInitiatedPay)
	alipayplus.Handle(ap, alipayplus.PathNotifyPayment, s.notifyPayment)
	mux := http.NewServeMux()
	mux.Handle("/sim/", s.adminHandler())
	mux.Handle(AcquirerPrefix+"/", s.acq)
	mux.Handle("/ams/", s.gw.handler())
	mux.Handle("/", ap)
	return mux
}

// intercept applies fault rules (and, for notifyPayment, the payment's
// magic amount) to an incoming request.
func (s *Simulator) intercept(api string, call *alipayplus.Call) alipayplus.Fault {
	var p *Payment
	if api == APINotifyPayment {
		var body struct {
			PaymentRequestID string `json:"paymentRequestId"`
		}
		if json.Unmarshal(call.Raw, &body) == nil {
			s.mu.Lock()
			p = s.payments[body.PaymentRequestID]
			s.mu.Unlock()
		}
	}
	e := s.effectFor(api, p)
	if p != nil && (e.Result != nil || e.Drop || e.Delay > 0 || e.CorruptSignature) {
		s.step(p, "%s answered with a fault: %s", api, describeEffect(e))
	}
	return e.ServerFault()
}

func describeEffect(e Effect) string {
	var parts []string
	if e.Result != nil {
		parts = append(parts, "result "+e.Result.ResultStatus+" "+e.Result.ResultCode)
	}
	if e.Delay > 0 {
		parts = append(parts, "delay "+e.Delay.String())
	}
	if e.Drop {
		parts = append(parts, "answer dropped")
	}
	if e.CorruptSignature {
		parts = append(parts, "corrupt signature")
	}
	return strings.Join(parts, ", ")
}

// codeRules is the rule set the simulator serves.
func (s *Simulator) codeRules() ([]alipayplus.CodeRule, error) {
	var sandbox alipayplus.InquiryCodeRulesResponse
	if _, err := alipayplus.Decode(assets.SandboxCodeRules, &sandbox); err != nil {
		return nil, err
	}
	own := alipayplus.CodeRule{
		CodeMatchPattern:    &alipayplus.CodeMatchPattern{MatchMethod: "PREFIX", Prefix: s.cfg.OrderDomain + "/" + orderPathPrefix[:8], Priority: "9000"},
		PostCodeMatchAction: &alipayplus.PostCodeMatchAction{PostCodeMatchActionType: "DECODE"},
		ExtendInfo:          `{"matchResult":"{\"routerType\":\"AC_CODE\"}"}`,
	}
	return append(sandbox.CodeRules, own), nil
}

func (s *Simulator) inquiryCodeRules(context.Context, *alipayplus.Call, *alipayplus.InquiryCodeRulesRequest) *alipayplus.InquiryCodeRulesResponse {
	rules, err := s.codeRules()
	if err != nil {
		return &alipayplus.InquiryCodeRulesResponse{Response: alipayplus.Response{
			Result: alipayplus.Unknown(alipayplus.CodeUnknownException, "cannot load the code rules")}}
	}
	return &alipayplus.InquiryCodeRulesResponse{Response: alipayplus.Response{Result: alipayplus.Success()},
		CodeRules: rules, Version: RulesVersion}
}
