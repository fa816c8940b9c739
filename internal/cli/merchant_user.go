package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Where the code 'merchant charge --user' charges came from (chargeJSON's
// codeFrom).
const (
	codeFromApp   = "app"
	codeFromFresh = "fresh"
)

// userCode is the payment code 'merchant charge --user' charges: the one
// the user's running app shows, else a fresh one.
type userCode struct {
	code string
	// from is codeFromApp or codeFromFresh.
	from string
	// why says, in a few words, where the code came from and why.
	why string
}

// codeForUser finds the code to charge for user on the data dir at
// dataPath: the code the app running there shows now, when it shows one
// of user's that has not expired; else a fresh code that the wallet asks
// the simulator at simURL (the one that will charge it) for, as 'codes
// --user' does. An unknown user is an error naming 'users list'.
func codeForUser(ctx context.Context, env *cliEnv, dataPath, user, simURL string) (userCode, error) {
	if err := knownUser(ctx, dataPath, "merchant charge", user); err != nil {
		return userCode{}, err
	}
	d, err := openDataDir(dataPath)
	if err != nil {
		return userCode{}, err
	}
	s, err := appOnScreen(d)
	var reason string
	switch {
	case err != nil:
		reason = fmt.Sprintf("no app runs on %s", d.root)
	case s.UserID != user:
		reason = fmt.Sprintf("the app (pid %d) shows %s's codes", s.PID, s.UserID)
	case s.PaymentCode == "":
		reason = fmt.Sprintf("the app (pid %d) shows no code: %s", s.PID, s.noCode())
	case onScreenAt(s, time.Now()).expired():
		reason = fmt.Sprintf("the code the app (pid %d) shows has expired", s.PID)
	default:
		return userCode{code: s.PaymentCode, from: codeFromApp, why: fmt.Sprintf("on the app's screen (pid %d)", s.PID)}, nil
	}
	code, err := freshCode(ctx, env, dataPath, user, simURL)
	if err != nil {
		return userCode{}, fmt.Errorf("%s, and no fresh code could be issued for %s: %w", reason, user, err)
	}
	return userCode{code: code, from: codeFromFresh, why: fmt.Sprintf("fresh, issued for %s (%s)", user, reason)}, nil
}

// freshCode asks the simulator at simURL, as the wallet of the data dir,
// for one payment code for user (getPaymentCode).
func freshCode(ctx context.Context, env *cliEnv, dataPath, user, simURL string) (string, error) {
	c, done, err := newWalletClient(env, dataPath, simURL, false)
	if err != nil {
		return "", err
	}
	defer done()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	resp, err := c.GetPaymentCode(ctx, &alipayplus.GetPaymentCodeRequest{CustomerID: user, CodeQuantity: "1",
		Env: &alipayplus.Env{DeviceTokenID: "mppwallet-cli-" + user, TerminalType: "APP"}})
	if err != nil {
		return "", keepCause(cleanErr(err), err)
	}
	if len(resp.PaymentCodeInfoList) == 0 || resp.PaymentCodeInfoList[0].PaymentCode == "" {
		return "", fmt.Errorf("getPaymentCode answered no code")
	}
	return resp.PaymentCodeInfoList[0].PaymentCode, nil
}
