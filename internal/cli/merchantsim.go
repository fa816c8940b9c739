package cli

import (
	"errors"
	"net/http"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/wallet"
)

// kindNoSimulator is the --json code of a merchant command with no
// simulator to call; kindAmbiguous that of a paymentId several payments
// share.
const (
	kindNoSimulator = "NO_SIMULATOR"
	kindAmbiguous   = "AMBIGUOUS_PAYMENT_ID"
)

// merchantSim is the simulator merchant command cmd calls: a malformed
// --sim is a usage error, and when none runs on a usable data dir the
// failure's kind says so.
func merchantSim(cmd string, sf simFlags) (*simclient.Client, error) {
	if err := checkURL(cmd, "sim", *sf.url); err != nil {
		return nil, err
	}
	c, err := sf.client()
	if err == nil {
		return c, nil
	}
	if *sf.url == "" {
		if _, derr := openDataDir(*sf.data); derr == nil {
			return nil, failKind(kindNoSimulator, err)
		}
	}
	return nil, err
}

// merchantErr gives the simulator's refusals their --json code: an unknown
// payment is ORDER_NOT_EXIST, an ambiguous paymentId its own kind, and the
// wallet's answer (a refused refund) its result.
func merchantErr(err error) error {
	var se *simclient.Error
	if !errors.As(err, &se) {
		return err
	}
	msg := errors.New(se.Message)
	switch {
	case se.Status == http.StatusNotFound:
		return failKind(string(wallet.CodeOrderNotExist), errors.New(se.Message+" (see 'mppwallet merchant payments')"))
	case se.Status == http.StatusConflict:
		return failKind(kindAmbiguous, msg)
	case se.ResultCode != "":
		return &failure{err: msg, kind: se.ResultCode, result: &alipayplus.Result{
			ResultStatus: alipayplus.StatusFail, ResultCode: se.ResultCode, ResultMessage: se.Message}}
	}
	return err
}
