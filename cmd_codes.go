package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strconv"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/ui/render"
)

func codesCmd() *command {
	return &command{
		name:    "codes",
		summary: "ask Alipay+ for a user's payment codes (User-presented Mode), headless",
		usage:   "codes --user ID [--count N] [--region CC] [--print text|qr] [--gateway URL] [--json]",
		examples: []string{
			"mppwallet codes --user alice",
			"mppwallet codes --user alice --count 3 --json",
			"mppwallet codes --user alice --print qr",
		},
		setup: func(fs *flag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			user := fs.String("user", "", "customerId to get codes for")
			count := fs.Int("count", 1, "how many codes, 1 to 10 (each valid 1 minute, starting 30 s apart)")
			region := fs.String("region", "", "ISO 3166 region where the user pays (required by Alipay+ for CN)")
			printAs := fs.String("print", "text", "text, or qr to draw the first code in the terminal")
			gateway := fs.String("gateway", env.getenv("MPPWALLET_GATEWAY"), "Alipay+ base `URL` (env MPPWALLET_GATEWAY; default: the data dir's, else its running simulator)")
			asJSON := fs.Bool("json", false, "print the codes as a JSON array")
			return func(ctx context.Context, args []string) error {
				if *user == "" {
					return usagef("codes", "--user is required")
				}
				if *count < 1 || *count > 10 {
					return usagef("codes", "--count must be 1 to 10")
				}
				if *printAs != "text" && *printAs != "qr" {
					return usagef("codes", "--print %q: want text or qr", *printAs)
				}
				c, err := walletClient(env, *data, *gateway)
				if err != nil {
					return err
				}
				ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				defer cancel()
				resp, err := c.GetPaymentCode(ctx, &alipayplus.GetPaymentCodeRequest{CustomerID: *user, CodeQuantity: strconv.Itoa(*count),
					Region: *region, Env: &alipayplus.Env{DeviceTokenID: "mppwallet-cli-" + *user, TerminalType: "APP"}})
				if err != nil {
					return cleanErr(err)
				}
				if *asJSON {
					return json.NewEncoder(env.stdout).Encode(resp.PaymentCodeInfoList)
				}
				if *printAs == "qr" && len(resp.PaymentCodeInfoList) > 0 {
					g, err := render.QR(resp.PaymentCodeInfoList[0].PaymentCode)
					if err != nil {
						return err
					}
					fmt.Fprint(env.stdout, g.HalfBlocks())
				}
				for _, pc := range resp.PaymentCodeInfoList {
					fmt.Fprintf(env.stdout, "%s  valid %s → %s\n", pc.PaymentCode, pc.CodeValidityStartTime, pc.CodeExpiryTime)
				}
				return nil
			}
		},
	}
}

// walletClient is the wallet's client for MPP → Alipay+ calls, set up from
// the data dir: its client id and keys, and the gateway (the flag, the
// config, or the simulator running on the data dir).
func walletClient(env *cliEnv, dataPath, gateway string) (*alipayplus.Client, error) {
	d, err := openDataDir(dataPath)
	if err != nil {
		return nil, err
	}
	cfg, err := d.loadConfig()
	if err != nil {
		return nil, err
	}
	if gateway == "" {
		gateway = cfg.Gateway
	}
	if gateway == "" {
		if s, ok := running(d, "sim"); ok {
			gateway = s.URL
		}
	}
	if gateway == "" {
		return nil, fmt.Errorf("no gateway: start 'mppwallet sim' on %s, or pass --gateway URL", d.root)
	}
	key, warnings, err := alipayplus.LoadPrivateKeyFile(d.mppPrivatePath())
	if err != nil {
		return nil, fmt.Errorf("the wallet's key: %w (run 'mppwallet serve' or 'mppwallet sim' once to create it)", cleanErr(err))
	}
	for _, w := range warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	pub, err := alipayplus.LoadPublicKeyFile(d.alipayPublicPath())
	if err != nil {
		return nil, fmt.Errorf("Alipay+'s public key: %w", cleanErr(err))
	}
	return alipayplus.NewClient(gateway, alipayplus.Signer{ClientID: cfg.ClientID, Key: key}, pub,
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 10 * time.Second, Initial: 250 * time.Millisecond, Max: 2 * time.Second})), nil
}
