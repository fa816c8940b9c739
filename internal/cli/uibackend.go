package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/alipayplus/simulator/simclient"
	"github.com/mppwallet/mppwallet/internal/mpm"
	"github.com/mppwallet/mppwallet/internal/mpp"
	"github.com/mppwallet/mppwallet/ui"
	"github.com/mppwallet/mppwallet/wallet"
)

// uiBackend gives the app the wallet and the network: the ledger through
// the wallet service, Alipay+ through the client, and the simulator's fault
// rules and transcript through its admin API (embedded or not: the same
// client either way; against the real Alipay+ those screens say the
// gateway is not a simulator).
type uiBackend struct {
	svc       *wallet.Service
	client    *alipayplus.Client
	confirmer *mpp.Confirmer
	// sim is the admin API of the gateway's simulator, when there is no
	// route (tests); route is where the gateway is now (uibackend_peers.go).
	sim     *simclient.Client
	route   *gatewayRoute
	dataDir string
	// region and osType go with every getPaymentCode.
	region, osType string
	// payer runs the Scan screen's payments (uibackend_scan.go).
	payer *mpm.Payer
}

// fetchRetry is how long FetchCodes resends a getPaymentCode that gets no
// answer.
const fetchRetry = 2 * time.Second

func (b *uiBackend) FetchCodes(ctx context.Context, customerID string, n int) ([]wallet.PaymentCode, error) {
	// A few seconds of retries, not the client's ten: the app has its own
	// backoff and says on screen what is down meanwhile.
	resp, err := b.client.RetryingFor(fetchRetry).GetPaymentCode(ctx, &alipayplus.GetPaymentCodeRequest{CustomerID: customerID, Region: b.region,
		CodeQuantity: fmt.Sprint(n), Env: &alipayplus.Env{DeviceTokenID: "mppwallet-tui-" + customerID, TerminalType: "APP", OSType: b.osType}})
	if err != nil {
		return nil, b.peerDown(err)
	}
	out := make([]wallet.PaymentCode, 0, len(resp.PaymentCodeInfoList))
	for _, c := range resp.PaymentCodeInfoList {
		from, err1 := alipayplus.ParseTime(c.CodeValidityStartTime)
		to, err2 := alipayplus.ParseTime(c.CodeExpiryTime)
		if err1 != nil || err2 != nil {
			continue // a code whose validity cannot be read is never shown
		}
		out = append(out, wallet.PaymentCode{Value: c.PaymentCode, ValidFrom: from, ExpiresAt: to})
	}
	return out, nil
}

func (b *uiBackend) Confirm(ctx context.Context, requestID string, approve bool) (wallet.Payment, error) {
	return b.confirmer.Confirm(ctx, requestID, approve)
}

func (b *uiBackend) User(ctx context.Context, id string) (wallet.User, error) {
	return b.svc.User(ctx, id)
}

func (b *uiBackend) Payments(ctx context.Context, customerID string, limit int) ([]wallet.Payment, error) {
	return b.svc.Store().Payments(ctx, wallet.PaymentFilter{CustomerID: customerID, Limit: limit})
}

func (b *uiBackend) Users(ctx context.Context) ([]wallet.User, error) {
	return b.svc.Store().Users(ctx)
}

func (b *uiBackend) Exchanges(ctx context.Context, since int64) ([]ui.Exchange, error) {
	entries, err := b.admin().Transcript(ctx, since)
	if err != nil {
		return nil, err
	}
	out := make([]ui.Exchange, len(entries))
	for i, e := range entries {
		out[i] = ui.Exchange{Seq: e.Seq, At: e.At, Direction: e.Direction, API: e.API, ResultStatus: e.ResultStatus,
			ResultCode: e.ResultCode, Signature: e.Signature, LatencyMs: e.LatencyMs, Findings: len(e.Findings),
			RequestBody: e.RequestBody, ResponseBody: e.ResponseBody, URI: e.URI, HTTPStatus: e.HTTPStatus,
			RequestHeaders: e.RequestHeaders, ResponseHeaders: e.ResponseHeaders, Error: e.Error}
		for _, f := range e.Findings {
			out[i].FindingMessages = append(out[i].FindingMessages, findingLine(f))
		}
		if e.Error != "" && out[i].ResultStatus == "" {
			out[i].ResultStatus = "error"
		}
	}
	return out, nil
}

// findingLine spells a conformance finding out for the inspector.
func findingLine(f simulator.Finding) string {
	where := f.Side
	if f.Field != "" {
		where += " " + f.Field
	}
	return fmt.Sprintf("%s (%s, rule %s): %s", where, f.API, f.Rule, f.Message)
}

// ExportTranscript writes every retained entry as JSON lines to
// DATA/transcripts/transcript-<timestamp>.jsonl.
func (b *uiBackend) ExportTranscript(ctx context.Context) (string, error) {
	entries, err := b.admin().Transcript(ctx, 0)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(b.dataDir, "transcripts")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "transcript-"+time.Now().UTC().Format("20060102T150405.000Z")+".jsonl")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return "", err
	}
	enc := json.NewEncoder(f)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			f.Close()
			return "", err
		}
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	return path, nil
}

func (b *uiBackend) SetOverride(ctx context.Context, customerID string, o wallet.Override) (wallet.User, error) {
	return b.svc.UpdateUser(ctx, customerID, func(u *wallet.User) error { u.Override = o; return nil })
}

// faultInfo is a simulator rule as the app shows it (the default TTL left
// out of the spec).
func faultInfo(r simulator.Rule) ui.FaultInfo {
	until, used := r.Until, r.Used
	r.TTL = 0
	return ui.FaultInfo{ID: r.ID, Spec: r.String(), Until: until, Used: used}
}

func (b *uiBackend) AddFault(ctx context.Context, spec string) (ui.FaultInfo, error) {
	if _, err := simulator.ParseRule(spec); err != nil {
		return ui.FaultInfo{}, err
	}
	r, err := b.admin().AddFault(ctx, spec, "ui")
	if err != nil {
		return ui.FaultInfo{}, err
	}
	return faultInfo(r), nil
}

func (b *uiBackend) Faults(ctx context.Context) ([]ui.FaultInfo, error) {
	rules, err := b.admin().Faults(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]ui.FaultInfo, len(rules))
	for i, r := range rules {
		out[i] = faultInfo(r)
	}
	return out, nil
}

func (b *uiBackend) RemoveFault(ctx context.Context, id int) error {
	return b.admin().RemoveFault(ctx, id)
}
