package cli

import (
	"fmt"
	"io"
	"net"
)

// warnIfExposed says loudly, on stderr, when a server listens beyond this
// machine (0.0.0.0, ::, ":PORT" or a LAN address) rather than on
// loopback: what it serves is then open to the network. why adds what a
// stranger could do there.
func warnIfExposed(w io.Writer, server string, addr net.Addr, why string) {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || tcp.IP.IsLoopback() {
		return
	}
	fmt.Fprintf(w, "WARNING: %s listens on %s, which other machines can reach%s; use --listen 127.0.0.1:%d to keep it on this one\n",
		server, addr, why, tcp.Port)
}
