package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/ui/render"
)

func codesCmd() *command {
	return &command{
		name:    "codes",
		summary: "ask Alipay+ for a user's payment codes (User-presented Mode), headless",
		use:     "(--user ID | --current) [flags]",
		examples: []string{
			"mppwallet codes --user alice",
			"mppwallet codes --user alice --count 3 --json",
			"mppwallet codes --user alice --print qr",
			"mppwallet codes --user alice --print barcode",
			"mppwallet codes --current --json",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			user := fs.String("user", "", "customerId to get codes for")
			count := fs.Int("count", 1, "how many codes, 1 to 10 (each valid 1 minute, starting 30 s apart)")
			region := fs.String("region", "", "ISO 3166 region where the user pays (required by Alipay+ for CN)")
			printAs := fs.String("print", "text", "text, or qr or barcode (Code 128) to draw the first code, black on white, in the terminal")
			gateway := fs.String("gateway", env.getenv("MPPWALLET_GATEWAY"), "Alipay+ base `URL` (env MPPWALLET_GATEWAY; default: the data dir's, else its running simulator)")
			asJSON := fs.Bool("json", false, "print one JSON object per code per line: paymentCode, codeValidityStartTime, codeExpiryTime")
			current := fs.Bool("current", false, "print the code the app running on the data dir shows now (no new code; --user checks whose it is)")
			return func(ctx context.Context, args []string) error {
				if *current {
					if err := checkCurrentFlags(fs); err != nil {
						return err
					}
					return printCurrent(env, *data, *user, *asJSON)
				}
				if *user == "" {
					return usagef("codes", "--user is required (or --current for the code the app shows)")
				}
				if *count < 1 || *count > 10 {
					return usagef("codes", "--count must be 1 to 10")
				}
				if *printAs != "text" && *printAs != "qr" && *printAs != "barcode" {
					return usagef("codes", "--print %q: want text, qr or barcode", *printAs)
				}
				if *region != "" && !isRegion(*region) {
					return usagef("codes", "--region %q: want a two-letter ISO 3166 code such as SG", *region)
				}
				if err := checkURL("codes", "gateway", *gateway); err != nil {
					return err
				}
				if err := checkUserID("codes", "user", *user); err != nil {
					return err
				}
				if err := knownUser(ctx, *data, "codes", *user); err != nil {
					return err
				}
				c, done, err := walletClient(env, *data, *gateway)
				if err != nil {
					return err
				}
				defer done()
				ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
				defer cancel()
				resp, err := c.GetPaymentCode(ctx, &alipayplus.GetPaymentCodeRequest{CustomerID: *user, CodeQuantity: strconv.Itoa(*count),
					Region: strings.ToUpper(*region), Env: &alipayplus.Env{DeviceTokenID: "mppwallet-cli-" + *user, TerminalType: "APP"}})
				if err != nil {
					return keepCause(cleanErr(err), err)
				}
				if *asJSON {
					enc := json.NewEncoder(env.stdout)
					for _, pc := range resp.PaymentCodeInfoList {
						if err := enc.Encode(pc); err != nil {
							return err
						}
					}
					return nil
				}
				if *printAs != "text" && len(resp.PaymentCodeInfoList) > 0 {
					cells, err := codeCells(resp.PaymentCodeInfoList[0].PaymentCode, *printAs)
					if err != nil {
						return err
					}
					fmt.Fprint(env.stdout, cells.ANSI(render.TrueColor))
				}
				for _, pc := range resp.PaymentCodeInfoList {
					fmt.Fprintf(env.stdout, "%s  valid %s → %s\n", pc.PaymentCode, pc.CodeValidityStartTime, pc.CodeExpiryTime)
				}
				return nil
			}
		},
	}
}

// knownUser fails unless id is a user of the ledger in the data dir at
// dataPath (see requireUser).
func knownUser(ctx context.Context, dataPath, cmd, id string) error {
	_, st, _, err := openWallet(dataPath)
	if err != nil {
		return err
	}
	defer st.Close()
	return requireUser(ctx, st, cmd, "user", id)
}

// walletClient is the wallet's client for MPP → Alipay+ calls, set up from
// the data dir: its client id and keys, and the gateway (the flag, the
// config, or the simulator running on the data dir). With none of those it
// starts an embedded simulator for the call; done stops it.
func walletClient(env *cliEnv, dataPath, gateway string) (c *alipayplus.Client, done func(), err error) {
	return newWalletClient(env, dataPath, gateway, true)
}

// errNoGateway is the failure of a call that must reach the Alipay+ the
// wallet works with, when there is none to reach.
var errNoGateway = errors.New("no Alipay+ gateway to tell: start 'mppwallet sim' on this data dir, or pass --gateway URL")

// newWalletClient is walletClient; without embedded, no gateway is
// errNoGateway instead of an embedded simulator.
func newWalletClient(env *cliEnv, dataPath, gateway string, embedded bool) (c *alipayplus.Client, done func(), err error) {
	done = func() {}
	d, err := openDataDir(dataPath)
	if err != nil {
		return nil, done, err
	}
	cfg, err := d.loadConfig()
	if err != nil {
		return nil, done, err
	}
	if gateway == "" {
		gateway = cfg.Gateway
	}
	if gateway == "" {
		if s, ok := running(d, "sim"); ok {
			gateway = s.URL
		}
	}
	if gateway == "" && !embedded {
		return nil, done, errNoGateway
	}
	if _, err := ensureKeyPair(d.mppPrivatePath(), d.mppPublicPath()); err != nil {
		return nil, done, cleanErr(err)
	}
	key, warnings, err := alipayplus.LoadPrivateKeyFile(d.mppPrivatePath())
	if err != nil {
		return nil, done, fmt.Errorf("the wallet's key: %w", cleanErr(err))
	}
	for _, w := range warnings {
		fmt.Fprintln(env.stderr, "warning:", w)
	}
	if gateway == "" {
		if gateway, _, done, err = embeddedSim(d, simulator.MPP{ClientID: cfg.ClientID, PublicKey: &key.PublicKey}, nil); err != nil {
			return nil, func() {}, err
		}
		fmt.Fprintln(env.stderr, "note: no simulator runs on this data dir, so an embedded one issued these codes; "+
			"they cannot be charged once this command ends (start 'mppwallet sim' or 'mppwallet' for that)")
	}
	pub, err := alipayplus.LoadPublicKeyFile(d.alipayPublicPath())
	if err != nil {
		done()
		return nil, func() {}, fmt.Errorf("Alipay+'s public key: %w", cleanErr(err))
	}
	return alipayplus.NewClient(gateway, alipayplus.Signer{ClientID: cfg.ClientID, Key: key}, pub,
		alipayplus.WithRetry(alipayplus.Retry{Deadline: 10 * time.Second, Initial: 250 * time.Millisecond, Max: 2 * time.Second})), done, nil
}

// codeCells draws a payment code as a QR (half blocks) or a Code 128
// barcode (2 modules per column, 6 rows).
func codeCells(code, kind string) (render.Cells, error) {
	if kind == "qr" {
		g, err := render.QR(code)
		if err != nil {
			return nil, err
		}
		return render.QRCells(g), nil
	}
	g, err := render.Barcode(code)
	if err != nil {
		return nil, err
	}
	return render.BarcodeCells(g, 2, 6)
}
