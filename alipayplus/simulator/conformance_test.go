package simulator

import (
	"bytes"
	"context"
	"crypto/rsa"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// testSignature is a well-formed (but unverifiable) signature header value.
var testSignature = "algorithm=RSA256,keyVersion=1,signature=" + url.QueryEscape("c2lnbmF0dXJlK3ZhbHVlLzEyMw==")

func walletRequestHeader() http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=UTF-8")
	h.Set("Client-Id", "SANDBOX_MPP_1")
	h.Set("Request-Time", "2024-05-01T12:00:00+08:00")
	h.Set("Signature", testSignature)
	return h
}

func walletResponseHeader() http.Header {
	h := http.Header{}
	h.Set("Content-Type", "application/json; charset=UTF-8")
	h.Set("Client-Id", "SANDBOX_MPP_1")
	h.Set("Response-Time", "2024-05-01T12:00:01+08:00")
	h.Set("Signature", testSignature)
	return h
}

// incoming is a request the wallet sent to the simulator.
func incoming(path, body string) alipayplus.Exchange {
	return alipayplus.Exchange{Direction: alipayplus.Incoming, At: time.Now(), API: path, URL: path,
		RequestHeader: walletRequestHeader(), RequestBody: []byte(body),
		ResponseHeader: http.Header{"Content-Type": {"application/json"}}, ResponseBody: []byte(`{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}`),
		HTTPStatus: 200, Result: alipayplus.Success(), Duration: 3 * time.Millisecond}
}

// outgoing is the wallet's answer to a call from the simulator.
func outgoing(path, body string) alipayplus.Exchange {
	return alipayplus.Exchange{Direction: alipayplus.Outgoing, At: time.Now(), API: path, URL: "http://wallet.test" + path,
		RequestHeader: walletRequestHeader(), RequestBody: []byte(`{"paymentRequestId":"r1"}`),
		ResponseHeader: walletResponseHeader(), ResponseBody: []byte(body), HTTPStatus: 200, Duration: 12 * time.Millisecond}
}

func with(ex alipayplus.Exchange, f func(*alipayplus.Exchange)) alipayplus.Exchange {
	f(&ex)
	return ex
}

const (
	cleanPay        = `{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":"Success"},"paymentId":"201000000000000000004444","paymentTime":"2020-01-01T12:01:01+08:30","customerId":"1234567"}`
	cleanGetCode    = `{"customerId":"2160000000000001","codeQuantity":"1","region":"JP","env":{"deviceTokenId":"device_1","terminalType":"APP","osType":"IOS"}}`
	notifyU         = `{"paymentRequestId":"r1","paymentResult":{"resultCode":"PAYMENT_IN_PROCESS","resultStatus":"U"}}`
	notifyUProblem  = "paymentResult.resultStatus U is not allowed: notify only final results (S or F)"
	inquiryInFlight = `{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentResult":{"resultCode":"PAYMENT_IN_PROCESS","resultStatus":"U"}}`
)

type ruleField struct{ rule, field string }

func (r ruleField) String() string { return r.rule + "@" + r.field }

func TestCheckFindings(t *testing.T) {
	long := strings.Repeat("x", 65)
	tests := []struct {
		name string
		ex   alipayplus.Exchange
		want []ruleField
	}{
		// The wallet's answers (Outgoing).
		{"clean pay", outgoing(alipayplus.PathPay, cleanPay), nil},
		{"pay in process", outgoing(alipayplus.PathPay, `{"result":{"resultCode":"PAYMENT_IN_PROCESS","resultStatus":"U"}}`), nil},
		{"pay declined", outgoing(alipayplus.PathPay, `{"result":{"resultCode":"USER_BALANCE_NOT_ENOUGH","resultStatus":"F"}}`), nil},
		{"pay S without paymentId", outgoing(alipayplus.PathPay,
			`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentTime":"2020-01-01T12:01:01+08:00"}`),
			[]ruleField{{"required", "paymentId"}}},
		{"pay S without paymentTime", outgoing(alipayplus.PathPay,
			`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentId":"p1"}`),
			[]ruleField{{"required", "paymentTime"}}},
		{"pay number for a string", outgoing(alipayplus.PathPay,
			`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentId":12345,"paymentTime":"2020-01-01T12:01:01+08:00"}`),
			[]ruleField{{"string-scalar", "paymentId"}}},
		{"pay empty strings", outgoing(alipayplus.PathPay,
			`{"result":{"resultCode":"SUCCESS","resultStatus":"S","resultMessage":""},"paymentId":"p1","paymentTime":"2020-01-01T12:01:01+08:00","customerId":""}`),
			[]ruleField{{"no-empty-string", "customerId"}, {"no-empty-string", "result.resultMessage"}}},
		{"pay resultStatus X", outgoing(alipayplus.PathPay, `{"result":{"resultCode":"SUCCESS","resultStatus":"X"}}`),
			[]ruleField{{"result", "result.resultStatus"}}},
		{"pay without result", outgoing(alipayplus.PathPay, `{"paymentId":"p1"}`),
			[]ruleField{{"result", "result"}}},
		{"pay without resultCode", outgoing(alipayplus.PathPay, `{"result":{"resultStatus":"F"}}`),
			[]ruleField{{"result", "result.resultCode"}}},
		{"pay resultCode too long", outgoing(alipayplus.PathPay, `{"result":{"resultCode":"`+long+`","resultStatus":"F"}}`),
			[]ruleField{{"result", "result.resultCode"}}},
		{"pay resultMessage too long", outgoing(alipayplus.PathPay,
			`{"result":{"resultCode":"RISK_REJECT","resultStatus":"F","resultMessage":"`+strings.Repeat("m", 257)+`"}}`),
			[]ruleField{{"max-length", "result.resultMessage"}}},
		{"pay unknown decline code", outgoing(alipayplus.PathPay, `{"result":{"resultCode":"CARD_DECLINED","resultStatus":"F"}}`),
			[]ruleField{{"value-set", "result.resultCode"}}},
		{"pay U with a decline code", outgoing(alipayplus.PathPay, `{"result":{"resultCode":"RISK_REJECT","resultStatus":"U"}}`),
			[]ruleField{{"value-set", "result.resultCode"}}},
		{"pay S not SUCCESS", outgoing(alipayplus.PathPay,
			`{"result":{"resultCode":"OK","resultStatus":"S"},"paymentId":"p1","paymentTime":"2020-01-01T12:01:01+08:00"}`),
			[]ruleField{{"value-set", "result.resultCode"}}},
		{"pay bad paymentTime and long ids", outgoing(alipayplus.PathPay,
			`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentId":"`+long+`","paymentTime":"2020-01-01 12:01:01","customerId":"`+long+`"}`),
			[]ruleField{{"max-length", "customerId"}, {"max-length", "paymentId"}, {"time-format", "paymentTime"}}},
		{"pay undecodable", with(outgoing(alipayplus.PathPay, `<html>oops</html>`), func(ex *alipayplus.Exchange) {
			ex.HTTPStatus = 500
			ex.Err = errors.New("HTTP 500: body is not a JSON object")
		}), []ruleField{{"http-status", ""}, {"json", ""}}},
		{"pay wrong type", outgoing(alipayplus.PathPay, `{"result":"SUCCESS"}`),
			[]ruleField{{"json", "result"}}},
		{"pay no Signature header", with(outgoing(alipayplus.PathPay, cleanPay), func(ex *alipayplus.Exchange) {
			ex.ResponseHeader.Del("Signature")
			ex.SignatureErr = alipayplus.ErrSignatureMissing
		}), []ruleField{{"signature", "Signature"}}},
		{"pay no Response-Time or Client-Id", with(outgoing(alipayplus.PathPay, cleanPay), func(ex *alipayplus.Exchange) {
			ex.ResponseHeader.Del("Response-Time")
			ex.ResponseHeader.Del("Client-Id")
			ex.SignatureErr = alipayplus.ErrSignatureMismatch
		}), []ruleField{{"signature", "Client-Id"}, {"signature", "Response-Time"}}},
		{"pay signature mismatch", with(outgoing(alipayplus.PathPay, cleanPay), func(ex *alipayplus.Exchange) {
			ex.SignatureErr = fmt.Errorf("pay: response signature: %w", alipayplus.ErrSignatureMismatch)
			ex.Err = ex.SignatureErr
		}), []ruleField{{"signature", "Signature"}}},
		{"pay malformed signature header", with(outgoing(alipayplus.PathPay, cleanPay), func(ex *alipayplus.Exchange) {
			ex.ResponseHeader.Set("Signature", "algorithm=RSA256,keyVersion=1,signature=not base64!")
		}), []ruleField{{"signature", "Signature"}}},
		{"pay no answer", with(outgoing(alipayplus.PathPay, ""), func(ex *alipayplus.Exchange) {
			ex.ResponseHeader, ex.HTTPStatus = nil, 0
			ex.Err = errors.New("context deadline exceeded")
		}), nil},

		{"inquiry in process", outgoing(alipayplus.PathInquiryPayment, inquiryInFlight), nil},
		{"inquiry order not found", outgoing(alipayplus.PathInquiryPayment, `{"result":{"resultCode":"ORDER_NOT_EXIST","resultStatus":"F"}}`), nil},
		{"inquiry U paymentResult with a decline code", outgoing(alipayplus.PathInquiryPayment,
			`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentResult":{"resultCode":"RISK_REJECT","resultStatus":"U"}}`),
			[]ruleField{{"value-set", "paymentResult.resultCode"}}},
		{"inquiry S without paymentResult", outgoing(alipayplus.PathInquiryPayment, `{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}`),
			[]ruleField{{"required", "paymentResult"}}},
		{"inquiry paid without paymentId", outgoing(alipayplus.PathInquiryPayment,
			`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentResult":{"resultCode":"SUCCESS","resultStatus":"S"}}`),
			[]ruleField{{"required", "paymentId"}}},
		{"inquiry bad paymentResult status", outgoing(alipayplus.PathInquiryPayment,
			`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentResult":{"resultCode":"PAYING","resultStatus":"P"}}`),
			[]ruleField{{"result", "paymentResult.resultStatus"}}},
		{"inquiry bad amount", outgoing(alipayplus.PathInquiryPayment,
			`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentResult":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentId":"p1","paymentAmount":{"currency":"JPY","value":"12.5"}}`),
			[]ruleField{{"amount", "paymentAmount"}}},

		{"clean cancel", outgoing(alipayplus.PathCancelPayment, `{"result":{"resultCode":"SUCCESS","resultStatus":"S"}}`), nil},
		{"cancel U odd code", outgoing(alipayplus.PathCancelPayment, `{"result":{"resultCode":"PAYMENT_IN_PROCESS","resultStatus":"U"}}`),
			[]ruleField{{"value-set", "result.resultCode"}}},
		{"clean refund", outgoing(alipayplus.PathRefund, `{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"refundId":"rf1","refundTime":"2024-05-01T12:00:00Z"}`), nil},
		{"refund S without refundId", outgoing(alipayplus.PathRefund, `{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"refundTime":"yesterday"}`),
			[]ruleField{{"required", "refundId"}, {"time-format", "refundTime"}}},

		// The wallet's requests (Incoming).
		{"clean getPaymentCode", incoming(alipayplus.PathGetPaymentCode, cleanGetCode), nil},
		{"clean inquiryCodeRules, empty body", incoming(alipayplus.PathInquiryCodeRules, ""), nil},
		{"getPaymentCode without Signature", with(incoming(alipayplus.PathGetPaymentCode, cleanGetCode), func(ex *alipayplus.Exchange) {
			ex.RequestHeader.Del("Signature")
			ex.SignatureErr = alipayplus.ErrSignatureMissing
		}), []ruleField{{"signature", "Signature"}}},
		{"getPaymentCode without Client-Id", with(incoming(alipayplus.PathGetPaymentCode, cleanGetCode), func(ex *alipayplus.Exchange) {
			ex.RequestHeader.Del("Client-Id")
			ex.SignatureErr = errors.New("the Client-Id header is missing")
		}), []ruleField{{"signature", "Client-Id"}}},
		{"getPaymentCode signature mismatch", with(incoming(alipayplus.PathGetPaymentCode, cleanGetCode), func(ex *alipayplus.Exchange) {
			ex.SignatureErr = alipayplus.ErrSignatureMismatch
		}), []ruleField{{"signature", "Signature"}}},
		{"getPaymentCode unknown client", with(incoming(alipayplus.PathGetPaymentCode, cleanGetCode), func(ex *alipayplus.Exchange) {
			ex.SignatureErr = errors.New(`unknown client "SANDBOX_MPP_1"`)
		}), []ruleField{{"signature", "Client-Id"}}},
		{"getPaymentCode bad Request-Time", with(incoming(alipayplus.PathGetPaymentCode, cleanGetCode), func(ex *alipayplus.Exchange) {
			ex.RequestHeader.Set("Request-Time", "1714536000000")
			ex.SignatureErr = errors.New(`Request-Time header: time "1714536000000" is not ISO 8601`)
		}), []ruleField{{"time-format", "Request-Time"}}},
		{"getPaymentCode wrong Content-Type", with(incoming(alipayplus.PathGetPaymentCode, cleanGetCode), func(ex *alipayplus.Exchange) {
			ex.RequestHeader.Set("Content-Type", "text/plain")
			ex.RequestBody = nil
			ex.Result = alipayplus.Failure(alipayplus.CodeMediaTypeNotAcceptable, "no")
		}), []ruleField{{"content-type", "Content-Type"}}},
		{"getPaymentCode not POST", with(incoming(alipayplus.PathGetPaymentCode, ""), func(ex *alipayplus.Exchange) {
			ex.RequestBody = nil
			ex.Result = alipayplus.Failure(alipayplus.CodeMethodNotSupported, "no")
		}), []ruleField{{"method", ""}}},
		{"getPaymentCode number and empty", with(incoming(alipayplus.PathGetPaymentCode,
			`{"customerId":"","codeQuantity":2,"env":{"deviceTokenId":"d1"}}`), func(ex *alipayplus.Exchange) {
			ex.Violations = []alipayplus.Violation{{Field: "codeQuantity", Kind: alipayplus.NotString, Got: "2"},
				{Field: "customerId", Kind: alipayplus.EmptyString, Got: `""`}}
			ex.Problems = []string{`customerId is "": omit optional fields or send null`}
		}), []ruleField{{"string-scalar", "codeQuantity"}, {"no-empty-string", "customerId"}, {"required", "customerId"}}},
		{"getPaymentCode bad values", incoming(alipayplus.PathGetPaymentCode,
			`{"customerId":"c1","region":"JPN","env":{"deviceTokenId":"d1","osType":"WINDOWS"}}`),
			[]ruleField{{"value-set", "env.osType"}, {"max-length", "region"}, {"value-set", "region"}}},
		{"getPaymentCode undecodable", with(incoming(alipayplus.PathGetPaymentCode, `{"customerId":`), func(ex *alipayplus.Exchange) {
			_, err := alipayplus.Decode(ex.RequestBody, new(alipayplus.GetPaymentCodeRequest))
			ex.Problems = []string{err.Error()}
		}), []ruleField{{"json", ""}}},
		{"getPaymentCode object for a string", incoming(alipayplus.PathGetPaymentCode, `{"customerId":"c1","env":"APP"}`),
			[]ruleField{{"json", "env"}}},
		{"notify U, as the server saw it", with(incoming(alipayplus.PathNotifyPayment, notifyU), func(ex *alipayplus.Exchange) {
			ex.Problems = []string{notifyUProblem}
		}), []ruleField{{"value-set", "paymentResult.resultStatus"}}},
		{"notify U, unvalidated", incoming(alipayplus.PathNotifyPayment, notifyU),
			[]ruleField{{"value-set", "paymentResult.resultStatus"}}},
		{"notify bad time and amount", incoming(alipayplus.PathNotifyPayment,
			`{"paymentRequestId":"r1","paymentResult":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentTime":"2024-05-01T12:00:00","paymentAmount":{"currency":"XXY","value":"100"}}`),
			[]ruleField{{"amount", "paymentAmount"}, {"time-format", "paymentTime"}}},
		{"clean userInitiatedPay", incoming(alipayplus.PathUserInitiatedPay, `{"codeValue":"https://aps.test/281666040000","customerId":"c1"}`), nil},
		{"unknown path", incoming("/aps/api/v1/payments/pay", cleanPay), []ruleField{{"api", ""}}},

		// Not the wallet's.
		{"acquirer incoming", with(incoming(AcquirerPrefix+alipayplus.PathUserInitiatedPay, `{"codeValue":""}`), func(ex *alipayplus.Exchange) {
			ex.RequestHeader = nil
		}), nil},
		{"acquirer outgoing", with(outgoing(alipayplus.PathUserInitiatedPay, `junk`), func(ex *alipayplus.Exchange) {
			ex.URL = "http://127.0.0.1:9/acquirer" + alipayplus.PathUserInitiatedPay
		}), nil},
		{"simulator calling an unknown wallet API", outgoing("/aps/api/v1/payments/other", `junk`), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Check(tt.ex)
			var gotRF []ruleField
			for _, f := range got {
				gotRF = append(gotRF, ruleField{f.Rule, f.Field})
				if f.Message == "" {
					t.Errorf("finding %v has no message", f)
				}
			}
			if fmt.Sprint(gotRF) != fmt.Sprint(tt.want) {
				t.Errorf("Check() = %v\nwant %v\nfindings: %+v", gotRF, tt.want, got)
			}
			wantSide := "request"
			if tt.ex.Direction == alipayplus.Outgoing {
				wantSide = "response"
			}
			api := exchangeAPI(tt.ex)
			for _, f := range got {
				if f.Side != wantSide || f.API != api {
					t.Errorf("finding %+v: want side %q, api %q", f, wantSide, api)
				}
			}
		})
	}
}

func TestCheckFindingOrderAndAPI(t *testing.T) {
	ex := with(outgoing(alipayplus.PathPay,
		`{"result":{"resultCode":"SUCCESS","resultStatus":"S"},"paymentId":7,"customerId":""}`), func(ex *alipayplus.Exchange) {
		ex.ResponseHeader.Del("Response-Time")
	})
	got := Check(ex)
	want := []Finding{
		{API: "pay", Side: "response", Rule: "signature", Field: "Response-Time", Message: "the Response-Time header is missing"},
		{API: "pay", Side: "response", Rule: "no-empty-string", Field: "customerId", Message: `customerId is "": omit optional fields or send null`},
		{API: "pay", Side: "response", Rule: "string-scalar", Field: "paymentId", Message: "paymentId is 7: Alipay+ sends every scalar as a string"},
		{API: "pay", Side: "response", Rule: "required", Field: "paymentTime", Message: "paymentTime is required"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Check() =\n%+v\nwant\n%+v", got, want)
	}
	// The server's own violations repeat the decoder's: still reported once.
	ex.Violations = []alipayplus.Violation{{Field: "paymentId", Kind: alipayplus.NotString, Got: "7"}}
	if again := Check(ex); fmt.Sprint(again) != fmt.Sprint(want) {
		t.Errorf("with ex.Violations, Check() = %+v", again)
	}
}

func TestCheckClassifyProblem(t *testing.T) {
	tests := []struct{ problem, field, rule string }{
		{"customerId is required", "customerId", "required"},
		{"env.deviceTokenId is longer than 64 characters", "env.deviceTokenId", "max-length"},
		{`env.osType "X": want one of IOS, ANDROID`, "env.osType", "value-set"},
		{`region "JPN": want a 2-letter ISO 3166 code`, "region", "value-set"},
		{`codeQuantity "11": want 1 to 10`, "codeQuantity", "value-set"},
		{notifyUProblem, "paymentResult.resultStatus", "value-set"},
		{`paymentResult.resultStatus "Q": want S or F`, "paymentResult.resultStatus", "value-set"},
		{`paymentTime: time "x" is not ISO 8601 with an offset (like 2019-11-27T12:01:01+08:00)`, "paymentTime", "time-format"},
		{`paymentAmount: currency "XX" is not an ISO 4217 code`, "paymentAmount", "amount"},
		{"refundAmount: value is required", "refundAmount", "amount"},
		{`payToAmount: value "1e3" is not a whole number of USD minor units`, "payToAmount", "amount"},
		{`customerId is "": omit optional fields or send null`, "customerId", "no-empty-string"},
		{"body is not a JSON object: unexpected EOF", "", "json"},
		{"env: a JSON string cannot be a object", "env", "json"},
		{"something odd happened", "", "invalid"},
		{"paymentId: something odd", "paymentId", "invalid"},
	}
	for _, tt := range tests {
		field, rule := classifyProblem(tt.problem)
		if field != tt.field || rule != tt.rule {
			t.Errorf("classifyProblem(%q) = %q, %q; want %q, %q", tt.problem, field, rule, tt.field, tt.rule)
		}
	}
}

// TestCheckConformanceServerExchange checks Check against exchanges made by
// the real alipayplus.Server, so the problem texts it classifies are the
// ones the server produces.
func TestCheckConformanceServerExchange(t *testing.T) {
	key, err := alipayplus.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	var got []alipayplus.Exchange
	srv := alipayplus.NewServer(alipayplus.ServerConfig{
		ClientID: "ALIPAYPLUS", Key: key,
		PublicKey: func(string) (*rsa.PublicKey, bool) { return &key.PublicKey, true },
		Observe:   func(ex alipayplus.Exchange) { got = append(got, ex) },
	})
	alipayplus.Handle(srv, alipayplus.PathGetPaymentCode, func(_ context.Context, _ *alipayplus.Call, _ *alipayplus.GetPaymentCodeRequest) *alipayplus.GetPaymentCodeResponse {
		return &alipayplus.GetPaymentCodeResponse{Response: alipayplus.Response{Result: alipayplus.Success()}}
	})
	alipayplus.Handle(srv, alipayplus.PathNotifyPayment, func(_ context.Context, _ *alipayplus.Call, _ *alipayplus.NotifyPaymentRequest) *alipayplus.NotifyPaymentResponse {
		return &alipayplus.NotifyPaymentResponse{Response: alipayplus.Response{Result: alipayplus.Success()}}
	})
	signer := alipayplus.Signer{ClientID: "SANDBOX_MPP_1", Key: key}
	send := func(path, body string, signed bool) alipayplus.Exchange {
		t.Helper()
		got = nil
		r := httptest.NewRequest(http.MethodPost, path, bytes.NewReader([]byte(body)))
		ts := alipayplus.FormatTime(time.Now())
		r.Header.Set("Content-Type", "application/json; charset=UTF-8")
		r.Header.Set("Client-Id", signer.ClientID)
		r.Header.Set("Request-Time", ts)
		if signed {
			sig, err := signer.SignatureHeader(http.MethodPost, path, ts, []byte(body))
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Signature", sig)
		}
		srv.ServeHTTP(httptest.NewRecorder(), r)
		if len(got) != 1 {
			t.Fatalf("observed %d exchanges", len(got))
		}
		return got[0]
	}
	tests := []struct {
		name, path, body string
		signed           bool
		want             []ruleField
	}{
		{"clean", alipayplus.PathGetPaymentCode, cleanGetCode, true, nil},
		{"unsigned", alipayplus.PathGetPaymentCode, cleanGetCode, false, []ruleField{{"signature", "Signature"}}},
		{"empty and number", alipayplus.PathGetPaymentCode, `{"customerId":"c1","region":"","codeQuantity":3,"env":{"deviceTokenId":"d"}}`, true,
			[]ruleField{{"string-scalar", "codeQuantity"}, {"no-empty-string", "region"}}},
		{"missing required", alipayplus.PathGetPaymentCode, `{"env":{"deviceTokenId":"d"}}`, true,
			[]ruleField{{"required", "customerId"}}},
		{"undecodable", alipayplus.PathGetPaymentCode, `[1,2]`, true, []ruleField{{"json", ""}}},
		{"notify U", alipayplus.PathNotifyPayment, notifyU, true, []ruleField{{"value-set", "paymentResult.resultStatus"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex := send(tt.path, tt.body, tt.signed)
			var gotRF []ruleField
			for _, f := range Check(ex) {
				gotRF = append(gotRF, ruleField{f.Rule, f.Field})
			}
			if fmt.Sprint(gotRF) != fmt.Sprint(tt.want) {
				t.Errorf("Check() = %v, want %v (problems %q, violations %v, sigErr %v)", gotRF, tt.want, ex.Problems, ex.Violations, ex.SignatureErr)
			}
		})
	}
}
