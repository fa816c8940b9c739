package bench

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
)

// signedRequest is a pay request signed before the timed pass, and the
// answer it got.
type signedRequest struct {
	wire   []byte // the whole HTTP request
	answer answer
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

// serverOnly fires pay requests signed in advance at the wallet server, as
// Alipay+ would send them, so that the pass measures the server alone: one
// verification and one signature per answer. The answers are verified
// after the pass.
func serverOnly(ctx context.Context, cfg Config, st *Stack, cores int) (View, error) {
	users, err := st.AddUsers(ctx, "srv", 16, openingBalance)
	if err != nil {
		return View{}, err
	}
	cfg.progress("server: signing %d pay requests (outside the timed passes)", cfg.total())
	lc, err := newLoadClient(st.WalletURL, maxInFlight(cfg.Concurrency))
	if err != nil {
		return View{}, err
	}
	defer lc.close()
	reqs, err := signPayRequests(st, lc, users, cfg.total())
	if err != nil {
		return View{}, err
	}
	pay := func(off int) Op {
		return func(_ context.Context, i int) error { return payOnce(lc, &reqs[off+i]) }
	}
	v, err := passes(ctx, cfg, "server", "server", pay, cores, st.MPPKey, nil)
	if err != nil {
		return v, err
	}
	bad := 0
	for i := range reqs {
		if err := checkAnswer(st, &reqs[i]); err != nil {
			if bad == 0 {
				v.Error = fmt.Sprintf("answer %d: %v", i, err)
			}
			bad++
		}
	}
	if bad > 0 {
		return v, fmt.Errorf("server: %d of %d answers are wrong; first: %s", bad, len(reqs), v.Error)
	}
	return v, nil
}

// signPayRequests builds n pay requests like the simulator's (the seed's
// sample, 1.00 USD) and signs them with Alipay+'s key, on every core.
func signPayRequests(st *Stack, lc *loadClient, users []string, n int) ([]signedRequest, error) {
	now := time.Now()
	reqTime := alipayplus.FormatTime(now)
	expiry := alipayplus.FormatTime(now.Add(time.Hour))
	signer := alipayplus.Signer{ClientID: ClientID, Key: st.AlipayKey}
	m := simulator.DefaultMerchant
	prefix := now.UTC().Format("20060102") + fmt.Sprintf("%08d", now.UnixNano()%1e8)
	out := make([]signedRequest, n)
	sign := func(i int) error {
		amount := alipayplus.Amount{Currency: "USD", Value: fmt.Sprint(chargeMinor)}
		req := &alipayplus.PayRequest{
			AcquirerID: simulator.DefaultAcquirerID, PSPID: simulator.DefaultPSPID,
			Order: &alipayplus.Order{ReferenceOrderID: fmt.Sprintf("ORDER%012d", i), OrderDescription: "bench", OrderAmount: &amount,
				Merchant: &alipayplus.Merchant{ReferenceMerchantID: m.ID, MerchantName: m.Name, MerchantMCC: m.MCC,
					MerchantAddress: &alipayplus.Address{Region: m.Region, City: m.City},
					Store:           &alipayplus.Store{ReferenceStoreID: m.StoreID, StoreName: m.StoreName, StoreMCC: m.MCC, StoreTerminalID: m.TerminalID}}},
			PaymentRequestID: fmt.Sprintf("%s%012d", prefix, i), PaymentAmount: &amount, PayToAmount: &amount,
			PaymentMethod: &alipayplus.PaymentMethod{PaymentMethodType: alipayplus.PaymentMethodConnectWallet,
				PaymentMethodID: fmt.Sprintf("25999902%016d", i), CustomerID: users[i%len(users)]},
			PaymentFactor:     &alipayplus.PaymentFactor{IsInStorePayment: "true", InStorePaymentScenario: "PaymentCode"},
			PaymentExpiryTime: expiry,
		}
		body, err := alipayplus.Encode(req)
		if err != nil {
			return err
		}
		sig, err := signer.SignatureHeader(http.MethodPost, alipayplus.PathPay, reqTime, body)
		if err != nil {
			return err
		}
		out[i] = signedRequest{wire: lc.request(alipayplus.PathPay, http.Header{
			"Content-Type": {"application/json; charset=UTF-8"}, "Client-Id": {ClientID},
			"Request-Time": {reqTime}, "Signature": {sig},
		}, body)}
		return nil
	}
	if r := ClosedLoop(context.Background(), n, runtime.GOMAXPROCS(0), func(_ context.Context, i int) error { return sign(i) }); r.Errors > 0 {
		return nil, r.FirstErr
	}
	return out, nil
}

// payOnce sends one signed request and keeps the answer.
func payOnce(lc *loadClient, r *signedRequest) error {
	status, header, body, err := lc.do(r.wire)
	if err != nil {
		return err
	}
	r.answer = answer{status: status, header: header, body: body}
	return nil
}

// checkAnswer verifies an answer's signature and that it says S.
func checkAnswer(st *Stack, r *signedRequest) error {
	a := r.answer
	if a.status != http.StatusOK {
		return fmt.Errorf("HTTP %d", a.status)
	}
	if err := alipayplus.VerifyHeader(&st.MPPKey.PublicKey, a.header.Get("Signature"), http.MethodPost, alipayplus.PathPay,
		a.header.Get("Client-Id"), a.header.Get("Response-Time"), a.body); err != nil {
		return err
	}
	var resp alipayplus.PayResponse
	if _, err := alipayplus.Decode(a.body, &resp); err != nil {
		return err
	}
	if resp.Result.ResultStatus != alipayplus.StatusSuccess {
		return fmt.Errorf("%s %s", resp.Result.ResultStatus, resp.Result.ResultCode)
	}
	return nil
}
