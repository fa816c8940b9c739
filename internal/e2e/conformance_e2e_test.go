package e2e_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// send posts a hand-made request to the simulator as a wallet, signed
// unless sign is false, and returns the result.
func (n *network) send(t *testing.T, path, body string, sign bool, hdr map[string]string) alipayplus.Result {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, n.simURL+path, bytes.NewReader([]byte(body)))
	at := alipayplus.FormatTime(n.clock.Now())
	req.Header.Set("Content-Type", "application/json; charset=UTF-8")
	req.Header.Set("Client-Id", mppClientID)
	req.Header.Set("Request-Time", at)
	if sign {
		sig, _ := alipayplus.Signer{ClientID: mppClientID, Key: n.mppKey}.SignatureHeader("POST", path, at, []byte(body))
		req.Header.Set("Signature", sig)
	}
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r alipayplus.Response
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		t.Fatal(err)
	}
	return r.Result
}

// TestConformanceCatchesBrokenRequests: the simulator answers each broken
// request with the protocol's code and reports the rule and the field.
func TestConformanceCatchesBrokenRequests(t *testing.T) {
	gpc := alipayplus.PathGetPaymentCode
	cases := []struct {
		name      string
		path      string
		body      string
		sign      bool
		hdr       map[string]string
		wantCode  string
		wantRule  string
		wantField string
	}{
		{"number for a string", gpc, `{"customerId":"alice","codeQuantity":3,"env":{"deviceTokenId":"d"}}`, true, nil, "SUCCESS", "string-scalar", "codeQuantity"},
		{"boolean for a string", gpc, `{"customerId":"alice","env":{"deviceTokenId":"d"},"indirectMpp":{"indirectMppId":true}}`, true, nil, "SUCCESS", "string-scalar", "indirectMpp.indirectMppId"},
		{`"" optional region`, gpc, `{"customerId":"alice","region":"","env":{"deviceTokenId":"d"}}`, true, nil, "PARAM_ILLEGAL", "no-empty-string", "region"},
		{"missing customerId", gpc, `{"env":{"deviceTokenId":"d"}}`, true, nil, "PARAM_ILLEGAL", "required", "customerId"},
		{"missing env", gpc, `{"customerId":"alice"}`, true, nil, "PARAM_ILLEGAL", "required", "env"},
		{"missing deviceTokenId", gpc, `{"customerId":"alice","env":{}}`, true, nil, "PARAM_ILLEGAL", "required", "env.deviceTokenId"},
		{"customerId over 64", gpc, `{"customerId":"` + strings.Repeat("a", 65) + `","env":{"deviceTokenId":"d"}}`, true, nil, "PARAM_ILLEGAL", "max-length", "customerId"},
		{"codeQuantity 11", gpc, `{"customerId":"alice","codeQuantity":"11","env":{"deviceTokenId":"d"}}`, true, nil, "PARAM_ILLEGAL", "value-set", "codeQuantity"},
		{"bad osType", gpc, `{"customerId":"alice","env":{"deviceTokenId":"d","osType":"WINDOWS"}}`, true, nil, "PARAM_ILLEGAL", "value-set", "env.osType"},
		{"unsigned", gpc, `{"customerId":"alice","env":{"deviceTokenId":"d"}}`, false, nil, "INVALID_SIGNATURE", "signature", ""},
		{"unknown client", gpc, `{"customerId":"alice","env":{"deviceTokenId":"d"}}`, true, map[string]string{"Client-Id": "SANDBOX_NOBODY"}, "INVALID_CLIENT", "signature", ""},
		{"not JSON", gpc, `customerId=alice`, true, nil, "PARAM_ILLEGAL", "json", ""},
		{"notify with U", alipayplus.PathNotifyPayment, `{"paymentRequestId":"x","paymentResult":{"resultCode":"PAYMENT_IN_PROCESS","resultStatus":"U"}}`, true, nil, "PARAM_ILLEGAL", "value-set", "paymentResult.resultStatus"},
		{"uip without customerId", alipayplus.PathUserInitiatedPay, `{"codeValue":"https://qr.mppwallet.test/x"}`, true, nil, "PARAM_ILLEGAL", "required", "customerId"},
		{"codeValue over 512", alipayplus.PathUserInitiatedPay, `{"codeValue":"` + strings.Repeat("x", 513) + `","customerId":"alice"}`, true, nil, "PARAM_ILLEGAL", "max-length", "codeValue"},
		{"code rules unsigned is accepted", alipayplus.PathInquiryCodeRules, `{}`, false, nil, "SUCCESS", "signature", ""},
		{"code rules with an empty body", alipayplus.PathInquiryCodeRules, ``, false, nil, "SUCCESS", "signature", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := newNetwork(t, fastTiming)
			r := n.send(t, c.path, c.body, c.sign, c.hdr)
			if r.ResultCode != c.wantCode {
				t.Errorf("result %s %s (%s), want %s", r.ResultStatus, r.ResultCode, r.ResultMessage, c.wantCode)
			}
			findings := n.sim.Transcript().Findings()
			found := false
			for _, f := range findings {
				if f.Rule == c.wantRule && (c.wantField == "" || f.Field == c.wantField) && f.Side == "request" {
					found = true
				}
			}
			if !found {
				t.Errorf("findings %+v, want rule %q on field %q", findings, c.wantRule, c.wantField)
			}
		})
	}
}

// TestSeedSamples: the seeds' sample requests get the documented answers.
func TestSeedSamples(t *testing.T) {
	n := newNetwork(t, fastTiming)
	// Seed 000: getPaymentCode with region PH, codeQuantity "3", an indirect MPP.
	seed000 := `{"region":"PH","customerId":"21281****","codeQuantity":"3","env":{"deviceTokenId":"21212****"},` +
		`"indirectMpp":{"indirectMppId":"xxxMppId","indirectMppName":"xxxMppName"}}`
	if r := n.send(t, alipayplus.PathGetPaymentCode, seed000, true, nil); r.ResultCode != "SUCCESS" || r.ResultStatus != "S" || r.ResultMessage != "Success" {
		t.Errorf("seed 000: got %+v, want S SUCCESS Success", r)
	}
	resp2, err := n.client.GetPaymentCode(t.Context(), &alipayplus.GetPaymentCodeRequest{Region: "PH", CustomerID: "21281****", CodeQuantity: "3",
		Env: &alipayplus.Env{DeviceTokenID: "21212****"}, IndirectMpp: &alipayplus.IndirectMpp{IndirectMppID: "xxxMppId", IndirectMppName: "xxxMppName"}})
	if err != nil || len(resp2.PaymentCodeInfoList) != 3 {
		t.Errorf("seed 000 through the client: %v, %d codes", err, len(resp2.PaymentCodeInfoList))
	}
	// Seed 002: inquiryCodeRules with no parameters returns rules and a version.
	rules, err := n.client.InquiryCodeRules(t.Context(), &alipayplus.InquiryCodeRulesRequest{})
	if err != nil || rules.Version != simulator.RulesVersion || len(rules.CodeRules) != 74 || len(rules.Version) > 16 {
		t.Errorf("seed 002: version %q, %d rules, %v; want the 73 sandbox rules plus the simulator's own", rules.Version, len(rules.CodeRules), err)
	}
	own := rules.CodeRules[len(rules.CodeRules)-1]
	if own.PostCodeMatchAction.PostCodeMatchActionType != "DECODE" || !strings.HasPrefix(own.CodeMatchPattern.Prefix, simulator.DefaultOrderDomain) {
		t.Errorf("the simulator's own rule: %+v", own)
	}
}
