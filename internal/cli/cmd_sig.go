package cli

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/mppwallet/mppwallet/alipayplus"
)

func sigCmd() *command {
	return &command{name: "sig", summary: "sign a body or check a Signature header, showing what was signed",
		subs: []*command{sigSignCmd(), sigVerifyCmd()}}
}

// sigInputs are the parts of the signed content, shared by sign and verify.
type sigInputs struct {
	data, method, uri, clientID, at, body *string
}

func addSigInputs(fs *pflag.FlagSet, env *cliEnv, timeHelp string) sigInputs {
	return sigInputs{
		data:     dataFlag(fs, env),
		method:   fs.String("method", "POST", "HTTP method"),
		uri:      fs.String("uri", "", "request URI (path and query), e.g. /aps/api/v1/payments/pay"),
		clientID: fs.String("client-id", env.getenv("MPPWALLET_CLIENT_ID"), "Client-Id (env MPPWALLET_CLIENT_ID; default: the data dir's)"),
		at:       fs.String("time", "", timeHelp),
		body:     fs.String("body", "", "`FILE` holding the exact body bytes, or - for standard input"),
	}
}

// resolve fills defaults and reads the body.
func (in sigInputs) resolve(cmd string, env *cliEnv, needTime bool) ([]byte, error) {
	if *in.uri == "" {
		return nil, usagef(cmd, "--uri is required")
	}
	if *in.body == "" {
		return nil, usagef(cmd, "--body FILE (or - for standard input) is required")
	}
	if *in.at == "" {
		if needTime {
			return nil, usagef(cmd, "--time is required (the Request-Time or Response-Time header)")
		}
		*in.at = alipayplus.FormatTime(time.Now())
	}
	if *in.clientID == "" {
		d, err := openDataDir(*in.data)
		if err != nil {
			return nil, err
		}
		c, err := d.loadConfig()
		if err != nil {
			return nil, err
		}
		*in.clientID = c.ClientID
	}
	var r io.Reader
	if *in.body == "-" {
		r = env.stdin
	} else {
		f, err := os.Open(*in.body)
		if err != nil {
			return nil, fmt.Errorf("cannot read the body: %w", unwrapPathError(err))
		}
		defer f.Close()
		r = f
	}
	return io.ReadAll(r)
}

func sigSignCmd() *command {
	return &command{
		name:    "sign",
		summary: "sign a message body and print the Signature header and the exact content signed",
		use:     "--uri URI --body FILE [flags]",
		examples: []string{
			"mppwallet sig sign --uri /aps/api/v1/codes/getPaymentCode --body req.json",
			"echo -n '{}' | mppwallet sig sign --uri /aps/api/v1/codes/inquiryCodeRules --body - \\",
			"    --time 2026-01-02T03:04:05+08:00 --private-key keys/private.pem",
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			in := addSigInputs(fs, env, "the Request-Time to sign with (default: now)")
			keyVersion := fs.String("key-version", "1", "keyVersion to put in the header")
			key := keyFlags{file: fs.String("private-key", "", "private key `FILE` (PEM or base64; env MPPWALLET_PRIVATE_KEY_FILE, or the key itself in MPPWALLET_PRIVATE_KEY; default: the data dir's)"),
				envKey: "MPPWALLET_PRIVATE_KEY", envFile: "MPPWALLET_PRIVATE_KEY_FILE"}
			asJSON := fs.Bool("json", false, "print JSON")
			return func(ctx context.Context, args []string) error {
				body, err := in.resolve("sig sign", env, false)
				if err != nil {
					return err
				}
				fallback := ""
				if !key.given(env) {
					d, err := openDataDir(*in.data)
					if err != nil {
						return err
					}
					fallback = d.mppPrivatePath()
				}
				k, warnings, err := key.privateKey(env, fallback)
				if err != nil {
					return cleanErr(err)
				}
				for _, w := range warnings {
					fmt.Fprintln(env.stderr, "warning:", w)
				}
				content := alipayplus.SignContent(*in.method, *in.uri, *in.clientID, *in.at, body)
				header, err := alipayplus.Signer{ClientID: *in.clientID, KeyVersion: *keyVersion, Key: k}.
					SignatureHeader(*in.method, *in.uri, *in.at, body)
				if err != nil {
					return err
				}
				if *asJSON {
					return json.NewEncoder(env.stdout).Encode(map[string]string{
						"content": string(content), "signature": header, "clientId": *in.clientID, "requestTime": *in.at,
					})
				}
				fmt.Fprintf(env.stdout, "Content signed (%d bytes, between the lines):\n----\n%s\n----\n", len(content), content)
				fmt.Fprintf(env.stdout, "Client-Id: %s\nRequest-Time: %s\nSignature: %s\n", *in.clientID, *in.at, header)
				return nil
			}
		},
	}
}

func sigVerifyCmd() *command {
	return &command{
		name:    "verify",
		summary: "check a Signature header against a body; on a mismatch, look for the usual mistakes",
		use:     "--uri URI --body FILE --time T --signature HEADER [flags]",
		examples: []string{
			`mppwallet sig verify --uri /aps/api/v1/payments/pay --body pay.json \`,
			`    --client-id SANDBOX_5YC47N2ZQHJ004124 --time 2026-01-02T03:04:05+08:00 \`,
			`    --signature 'algorithm=RSA256,keyVersion=1,signature=Kq...' --public-key alipayplus_public.pem`,
		},
		setup: func(fs *pflag.FlagSet, env *cliEnv) func(context.Context, []string) error {
			in := addSigInputs(fs, env, "the Request-Time (or Response-Time) header that was signed")
			header := fs.String("signature", "", "the Signature header value")
			key := keyFlags{file: fs.String("public-key", "", "public key `FILE` of the signer (env MPPWALLET_PUBLIC_KEY_FILE, or the key itself in MPPWALLET_PUBLIC_KEY; default: the data dir's Alipay+ public key)"),
				envKey: "MPPWALLET_PUBLIC_KEY", envFile: "MPPWALLET_PUBLIC_KEY_FILE"}
			asJSON := fs.Bool("json", false, "print JSON")
			return func(ctx context.Context, args []string) error {
				if *header == "" {
					return usagef("sig verify", "--signature is required")
				}
				body, err := in.resolve("sig verify", env, true)
				if err != nil {
					return err
				}
				fallback := ""
				if !key.given(env) {
					d, err := openDataDir(*in.data)
					if err != nil {
						return err
					}
					fallback = d.alipayPublicPath()
				}
				pub, err := key.publicKey(env, fallback)
				if err != nil {
					return cleanErr(err)
				}
				content := alipayplus.SignContent(*in.method, *in.uri, *in.clientID, *in.at, body)
				verr := alipayplus.VerifyHeader(pub, *header, *in.method, *in.uri, *in.clientID, *in.at, body)
				hint := ""
				if verr != nil {
					hint = diagnoseSignature(pub, *header, *in.method, *in.uri, *in.clientID, *in.at, body)
				}
				if *asJSON {
					out := map[string]any{"valid": verr == nil, "content": string(content)}
					if verr != nil {
						out["error"] = verr.Error()
						if hint != "" {
							out["hint"] = hint
						}
					}
					if err := json.NewEncoder(env.stdout).Encode(out); err != nil {
						return err
					}
				} else {
					fmt.Fprintf(env.stdout, "Content checked (%d bytes, between the lines):\n----\n%s\n----\n", len(content), content)
					if verr == nil {
						fmt.Fprintln(env.stdout, "signature OK")
					} else {
						fmt.Fprintf(env.stdout, "signature INVALID: %v\n", verr)
						if hint != "" {
							fmt.Fprintf(env.stdout, "hint: %s\n", hint)
						}
					}
				}
				if verr != nil {
					return errSilentFailure
				}
				return nil
			}
		},
	}
}

// diagnoseSignature tries the usual integration mistakes and says which
// one, if any, makes the signature verify.
func diagnoseSignature(pub *rsa.PublicKey, header, method, uri, clientID, at string, body []byte) string {
	h, err := alipayplus.ParseSignatureHeader(header)
	if err != nil {
		return "the header does not parse: it should look like algorithm=RSA256,keyVersion=1,signature=<url-encoded base64>"
	}
	check := func(content []byte) bool { return alipayplus.Verify(pub, content, h.Signature) == nil }
	trimmed := bytes.TrimRight(body, " \r\n\t")
	path, _, _ := strings.Cut(uri, "?")
	tries := []struct {
		content []byte
		says    string
	}{
		{alipayplus.SignContent(method, uri, clientID, at, trimmed),
			"it verifies without the trailing white space/newline of the body file: sign and send the exact same bytes"},
		{alipayplus.SignContent(method, path, clientID, at, body),
			"it verifies with the URI's path only: the query string must be signed as sent"},
		{[]byte(method + " " + uri + "\r\n" + clientID + "." + at + "." + string(body)),
			"it verifies with CRLF after the URI: the content must have a single LF (\\n)"},
		{alipayplus.SignContent(method, "/"+strings.TrimLeft(uri, "/"), clientID, at, body),
			"it verifies with a leading slash on the URI"},
	}
	for _, t := range tries {
		if check(t.content) {
			return t.says
		}
	}
	return "check the key pair (the signer's public key), the Client-Id, the exact time string, and that the body was not re-serialised"
}
