// Command mppwallet is a terminal wallet emulator for the Alipay+ payment
// network: it plays a Mobile Payment Provider (wallet app and wallet
// server) so Alipay+ payments can be exercised without a phone.
//
// Run "mppwallet help" for the commands. Exit codes: 0 success, 1 failure
// (or a negative answer, such as a signature that does not verify), 2 bad
// usage (unknown command or flag, missing argument).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	env := &cliEnv{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	err := root().dispatch(ctx, env, args)
	var ue *usageError
	var xe *exitError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errHelp):
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "mppwallet: %v\n", err)
		return 2
	case errors.As(err, &xe):
		fmt.Fprintf(stderr, "mppwallet: %v\n", err)
		return xe.code
	case errors.Is(err, errSilentFailure):
		return 1
	default:
		fmt.Fprintf(stderr, "mppwallet: %v\n", err)
		return 1
	}
}
