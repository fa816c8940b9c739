package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/antom"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
)

// posDefaultClientID is the Client-Id pos signs as unless --client-id says.
const posDefaultClientID = "MPPWALLET_POS"

// posRegisterTimeout bounds the registration with the simulator.
const posRegisterTimeout = 15 * time.Second

func (d dataDir) posPrivatePath() string { return filepath.Join(d.root, "keys", "pos_private.pem") }
func (d dataDir) posPublicPath() string  { return filepath.Join(d.root, "keys", "pos_public.pem") }

// posConnect sets the till up on the data dir: its key pair (made on first
// use), its registration as a merchant client of the simulator admin
// calls, and the client of that simulator's gateway, verifying answers
// with the data dir's Alipay+ public key. Key warnings go to warn.
func posConnect(ctx context.Context, d dataDir, admin *simclient.Client, clientID string, warn io.Writer) (*antom.Client, error) {
	simURL := admin.URL()
	if _, err := ensureKeyPair(d.posPrivatePath(), d.posPublicPath()); err != nil {
		return nil, fmt.Errorf("the till's key pair: %w", err)
	}
	key, warnings, err := alipayplus.LoadPrivateKeyFile(d.posPrivatePath())
	if err != nil {
		return nil, err
	}
	for _, w := range warnings {
		fmt.Fprintf(warn, "mppwallet: warning: %s\n", w)
	}
	rctx, cancel := context.WithTimeout(ctx, posRegisterTimeout)
	defer cancel()
	err = admin.RegisterMerchantClient(rctx, clientID, string(alipayplus.PublicKeyPEM(&key.PublicKey)))
	switch {
	case errors.Is(err, simclient.ErrUnreachable):
		return nil, fmt.Errorf("no simulator answers at %s: start one with 'mppwallet sim' (or the app, 'mppwallet ui') "+
			"on the data dir %s, or pass --sim URL", simURL, d.root)
	case err != nil:
		return nil, fmt.Errorf("the simulator at %s did not register the till as merchant client %s: %w", simURL, clientID, err)
	}
	peer, err := alipayplus.LoadPublicKeyFile(d.alipayPublicPath())
	if err != nil {
		return nil, fmt.Errorf("cannot verify the gateway's answers without the simulator's public key (%s): %w", d.alipayPublicPath(), err)
	}
	c := antom.NewClient(alipayplus.NewClient(simURL, alipayplus.Signer{ClientID: clientID, Key: key}, peer,
		alipayplus.WithRetry(alipayplus.Retry{}), alipayplus.WithTimeout(posCallTimeout)))
	if err := posProbe(rctx, c, simURL, d); err != nil {
		return nil, err
	}
	return c, nil
}

// posProbe asks the gateway about a payment that does not exist: a signed
// F ORDER_NOT_EXIST shows that it takes the till's requests and that its
// answers verify, before a customer's code is charged (else every sale
// would stay unknown until its deadline).
func posProbe(ctx context.Context, c *antom.Client, simURL string, d dataDir) error {
	_, err := c.InquiryPayment(ctx, &antom.InquiryPaymentRequest{PaymentRequestID: "POS-STARTUP-CHECK"})
	var ae *alipayplus.Error
	switch {
	case err == nil, errors.As(err, &ae) && ae.Code == alipayplus.CodeOrderNotExist:
		return nil
	case errors.Is(err, alipayplus.ErrSignatureMismatch), errors.Is(err, alipayplus.ErrSignatureMissing),
		errors.Is(err, alipayplus.ErrSignatureMalformed):
		return fmt.Errorf("the simulator at %s does not sign with %s: run the till on the data dir the simulator runs on (--data)",
			simURL, d.alipayPublicPath())
	}
	return fmt.Errorf("the acquiring gateway at %s does not answer the till: %w", simURL, err)
}
