// Command mppwallet is a terminal wallet emulator for the Alipay+ payment
// network: it plays a Mobile Payment Provider (wallet app and wallet
// server) so Alipay+ payments can be exercised without a phone.
//
// Run "mppwallet --help" for the commands (internal/cli). Exit codes: 0
// success, 1 failure (or a negative answer, such as a signature that does
// not verify), 2 bad usage (unknown command or flag, missing argument).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/mppwallet/mppwallet/internal/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	code := cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
