package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus"
)

func keysCmd() *command {
	return &command{name: "keys", summary: "make RSA key pairs for Alipay+ signing", subs: []*command{keysGenerateCmd()}}
}

func keysGenerateCmd() *command {
	return &command{
		name:    "generate",
		summary: "write an RSA-2048 key pair as PEM and as the Developer Center's base64",
		use:     "--out DIR [flags]",
		examples: []string{
			"mppwallet keys generate --out ./sandbox-keys",
			"mppwallet keys generate --out ./sandbox-keys --json",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			out := fs.String("out", "", "folder to write private.pem, private.b64 (0600), public.pem, public.b64 into")
			asJSON := fs.Bool("json", false, "print the written paths and the public key as JSON")
			return func(ctx context.Context, args []string) error {
				if *out == "" {
					return usagef("keys generate", "--out DIR is required")
				}
				if len(args) > 0 {
					return usagef("keys generate", "unexpected argument %q", args[0])
				}
				priv, pub := filepath.Join(*out, "private.pem"), filepath.Join(*out, "public.pem")
				for _, p := range []string{priv, pub, filepath.Join(*out, "private.b64"), filepath.Join(*out, "public.b64")} {
					if _, err := os.Stat(p); err == nil {
						return fmt.Errorf("%s exists: keys are never overwritten; choose another --out", p)
					}
				}
				k, err := alipayplus.GenerateKey()
				if err != nil {
					return err
				}
				if err := writeKeyPair(k, priv, pub, false); err != nil {
					return cleanErr(err)
				}
				if *asJSON {
					return json.NewEncoder(env.stdout).Encode(map[string]string{
						"privateKeyPem": priv, "privateKeyBase64File": filepath.Join(*out, "private.b64"),
						"publicKeyPem": pub, "publicKeyBase64File": filepath.Join(*out, "public.b64"),
						"publicKeyBase64": alipayplus.PublicKeyBase64(&k.PublicKey),
					})
				}
				fmt.Fprintf(env.stdout, "private key: %s (and private.b64), mode 0600: keep it secret\n", priv)
				fmt.Fprintf(env.stdout, "public key:  %s (and public.b64)\n\n", pub)
				fmt.Fprintf(env.stdout, "Upload this public key in the Alipay+ Developer Center:\n%s\n",
					alipayplus.PublicKeyBase64(&k.PublicKey))
				return nil
			}
		},
	}
}
