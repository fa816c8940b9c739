package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// simFlags locate a running simulator: --sim URL, $MPPWALLET_SIM, or the
// one running on the data dir.
type simFlags struct {
	data, url *string
}

func addSimFlags(fs *pflag.FlagSet, env *cliEnv) simFlags {
	return simFlags{
		data: dataFlag(fs, env),
		url:  fs.String("sim", env.getenv("MPPWALLET_SIM"), "simulator base `URL` (env MPPWALLET_SIM; default: the 'mppwallet sim' running on the data dir)"),
	}
}

func (f simFlags) resolve() (string, error) {
	if *f.url != "" {
		return strings.TrimRight(*f.url, "/"), nil
	}
	d, err := openDataDir(*f.data)
	if err != nil {
		return "", err
	}
	if s, ok := running(d, "sim"); ok {
		return s.URL, nil
	}
	return "", fmt.Errorf("no simulator is running on %s: start 'mppwallet sim' there, or pass --sim URL", d.root)
}

// adminError is an error answer from the simulator's admin API.
type adminError struct {
	Status     int
	Message    string `json:"error"`
	ResultCode string `json:"resultCode"`
}

func (e *adminError) Error() string {
	if e.ResultCode != "" {
		return e.ResultCode + ": " + e.Message
	}
	return e.Message
}

// callAdmin sends a JSON request to the simulator's admin API and decodes
// the answer into out.
func callAdmin(ctx context.Context, method, url string, body, out any, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, url, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("cannot reach the simulator: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return fmt.Errorf("reading the simulator's answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		ae := &adminError{Status: resp.StatusCode}
		if json.Unmarshal(raw, ae) != nil || ae.Message == "" {
			ae.Message = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(raw)))
		}
		return ae
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("the simulator's answer is not what was expected: %w", err)
	}
	return nil
}
