package cli

import (
	"fmt"
	"net"
	"net/url"
)

// checkURL refuses, as a usage error of cmd, a --flag value that is not an
// http or https URL with a host (an empty value is left to the default).
func checkURL(cmd, flag, v string) error {
	if v == "" {
		return nil
	}
	if u, err := url.Parse(v); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usagef(cmd, "--%s %q: want an http or https URL such as http://127.0.0.1:7576", flag, v)
	}
	return nil
}

// listenAddrProblem says what is wrong with addr as a listen address
// (HOST:PORT, the host optional), or "" when nothing is.
func listenAddrProblem(addr string) string {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Sprintf("--listen %q: want HOST:PORT such as 127.0.0.1:7575 (port 0 picks a free one)", addr)
	}
	if _, err := net.LookupPort("tcp", port); err != nil {
		return fmt.Sprintf("--listen %q: port %q is not a port number from 0 to 65535", addr, port)
	}
	return ""
}
