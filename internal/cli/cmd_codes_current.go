package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/pflag"
)

// issuingFlags are the codes flags that only make sense when asking for
// new codes, which --current does not.
var issuingFlags = []string{"count", "region", "print", "gateway"}

// checkCurrentFlags refuses --current with a flag for new codes.
func checkCurrentFlags(fs *pflag.FlagSet) error {
	for _, f := range issuingFlags {
		if fs.Changed(f) {
			return usagef("codes", "--current prints the code the app shows; --%s is for new codes", f)
		}
	}
	return nil
}

// printCurrent prints the code the app running on the data dir shows now:
// one line (code, user, format, expiry, seconds left) or one JSON object.
// It fails when no app runs there, the app shows no code or another user's
// (user, when given), or the code shown has expired.
func printCurrent(env *cliEnv, dataPath, user string, asJSON bool) error {
	if dataPath == "" {
		return errors.New("no data dir: set --data or MPPWALLET_DATA")
	}
	s, err := appOnScreen(dataDir{root: dataPath})
	if err != nil {
		return err
	}
	if user != "" && user != s.UserID {
		return fmt.Errorf("the app (pid %d) shows %s's codes, not %s's (switch users with 3 in the app)", s.PID, s.UserID, user)
	}
	if s.PaymentCode == "" {
		return fmt.Errorf("the app (pid %d) shows no payment code right now: %s", s.PID, s.noCode())
	}
	o := onScreenAt(s, time.Now())
	if o.expired() {
		return fmt.Errorf("the code the app (pid %d) shows expired at %s: is the app stopped or its clock behind?", s.PID, s.CodeExpiryTime)
	}
	if asJSON {
		return json.NewEncoder(env.stdout).Encode(o)
	}
	_, err = fmt.Fprintf(env.stdout, "%s  %s  %s  expires %s (%d s left)\n", o.PaymentCode, o.UserID, o.Format, o.CodeExpiryTime, *o.SecondsLeft)
	return err
}
