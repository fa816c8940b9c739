package cli

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	tea "charm.land/bubbletea/v2"
)

func uiCmd() *command {
	return &command{
		name:    "ui",
		summary: "the wallet app (the default with no command): a rotating payment code, the result page, and a Scan screen for merchants' codes",
		use:     "[flags]",
		examples: []string{
			"mppwallet",
			"mppwallet ui --user alice --barcode",
			"mppwallet ui --data /tmp/demo --user kenji",
			"mppwallet ui --qr seamless --present",
			"NO_COLOR=1 mppwallet ui --theme light",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			data := dataFlag(fs, env)
			user := fs.String("user", env.getenv("MPPWALLET_USER"), "customerId to show codes for (env MPPWALLET_USER; default: the first user, or a new demo user)")
			barcode := fs.Bool("barcode", env.getenv("MPPWALLET_BARCODE") != "", "start on the Code 128 barcode instead of the QR code (env MPPWALLET_BARCODE=1)")
			gateway := fs.String("gateway", env.getenv("MPPWALLET_GATEWAY"), "Alipay+ base `URL` (env MPPWALLET_GATEWAY; default: a simulator running on the data dir, else an embedded one)")
			theme := fs.String("theme", env.getenv("MPPWALLET_THEME"), "the terminal's background `THEME`, dark or light, for codes drawn without colours (env MPPWALLET_THEME; default: ask the terminal)")
			region := fs.String("region", env.getenv("MPPWALLET_REGION"), "ISO 3166 `CC` where the user pays, sent with getPaymentCode (env MPPWALLET_REGION; Alipay+ requires it for CN)")
			batchEnv := env.getenv("MPPWALLET_CODE_BATCH")
			batchDefault, batchErr := 4, error(nil)
			if batchEnv != "" {
				batchDefault, batchErr = strconv.Atoi(batchEnv)
			}
			batch := fs.Int("code-batch", batchDefault, "payment codes to ask for at once, 1-10 (env MPPWALLET_CODE_BATCH)")
			qr := fs.String("qr", env.getenv("MPPWALLET_QR"), "how to draw the QR `STYLE`: compact (half blocks) or seamless (coloured spaces, for terminals that show seams); remembered for the data dir, like the g key (env MPPWALLET_QR)")
			present := fs.Bool("present", env.getenv("MPPWALLET_PRESENT") != "", "the presentation layout for demos: only the code, as large as the window allows, its countdown and the result (env MPPWALLET_PRESENT=1)")
			noMagic := fs.Bool("no-magic", false, "turn magic amounts off in the app's embedded simulator, as 'sim --no-magic' does")
			osType := fs.String("os-type", cmp.Or(env.getenv("MPPWALLET_OS_TYPE"), "ANDROID"), "the device's osType sent with getPaymentCode, IOS or ANDROID (env MPPWALLET_OS_TYPE)")
			return func(ctx context.Context, args []string) error {
				switch *theme {
				case "", "auto", "dark", "light":
				default:
					return usagef("ui", "--theme %q: want dark or light", *theme)
				}
				if batchErr != nil && *batch == batchDefault {
					return usagef("ui", "MPPWALLET_CODE_BATCH=%q: want a number from 1 to 10", batchEnv)
				}
				if *batch < 1 || *batch > 10 {
					return usagef("ui", "--code-batch %d: want 1 to 10 (getPaymentCode's codeQuantity)", *batch)
				}
				*osType = strings.ToUpper(*osType)
				if *osType != "IOS" && *osType != "ANDROID" {
					return usagef("ui", "--os-type %q: want IOS or ANDROID", *osType)
				}
				if *region != "" && !isRegion(*region) {
					return usagef("ui", "--region %q: want a two-letter ISO 3166 code such as SG", *region)
				}
				if err := checkURL("ui", "gateway", *gateway); err != nil {
					return err
				}
				if err := checkQRStyle("ui", *qr); err != nil {
					return err
				}
				if *qr != "" {
					if err := saveUIPrefs(*data, uiPrefs{QR: *qr}); err != nil {
						return err
					}
				}
				return runUI(ctx, env, uiOptions{dataPath: *data, userID: *user, gateway: *gateway, theme: *theme, region: strings.ToUpper(*region),
					osType: *osType, batch: *batch, barcode: *barcode, qr: *qr, present: *present, seams: terminalSeams(env.getenv), noMagic: *noMagic})
			}
		},
	}
}

// isRegion reports whether s looks like an ISO 3166 alpha-2 code.
func isRegion(s string) bool {
	return len(s) == 2 && strings.IndexFunc(strings.ToUpper(s), func(r rune) bool { return r < 'A' || r > 'Z' }) < 0
}

// runUI starts the wallet server (and, unless one runs on the data dir or
// a gateway is given, the embedded simulator) in this process, publishes
// both for other commands (merchant charge), and runs the app.
func runUI(ctx context.Context, env *cliEnv, o uiOptions) error {
	s, err := startUI(o)
	if err != nil {
		return err
	}
	defer s.close()
	p := tea.NewProgram(s.app, tea.WithContext(ctx), tea.WithInput(env.stdin), tea.WithOutput(env.stdout))
	if _, err := p.Run(); err != nil && !errors.Is(err, tea.ErrProgramKilled) && ctx.Err() == nil {
		return err
	}
	return nil
}
