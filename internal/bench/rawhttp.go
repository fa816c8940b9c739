package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"time"
)

// loadClient sends the load: HTTP/1.1 POSTs over keep-alive connections,
// one request per connection at a time, each request's bytes built before
// the timed passes. It is leaner than net/http's client (no per-request
// goroutine hand-offs, header copies or request building), because it runs
// on the machine it measures: every cycle it spends is taken from the
// wallet. Answers are read with net/http's own parser.
type loadClient struct {
	addr string
	free chan *loadConn
}

type loadConn struct {
	c net.Conn
	r *bufio.Reader
}

// loadTimeout bounds one exchange.
const loadTimeout = 30 * time.Second

// newLoadClient sends to the server at base (http://host:port), keeping up
// to conns idle connections.
func newLoadClient(base string, conns int) (*loadClient, error) {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" || u.Host == "" {
		return nil, fmt.Errorf("bench: cannot load %q: want http://host:port", base)
	}
	return &loadClient{addr: u.Host, free: make(chan *loadConn, conns)}, nil
}

// request builds a POST of body to path with header, ready to send.
func (c *loadClient) request(path string, header http.Header, body []byte) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n", path, c.addr, len(body))
	keys := make([]string, 0, len(header))
	for k := range header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range header[k] {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	b.Write(body)
	return b.Bytes()
}

// do sends a request built by request and returns the answer's status,
// header and body.
func (c *loadClient) do(req []byte) (int, http.Header, []byte, error) {
	var lc *loadConn
	select {
	case lc = <-c.free:
	default:
		conn, err := net.DialTimeout("tcp", c.addr, loadTimeout)
		if err != nil {
			return 0, nil, nil, err
		}
		lc = &loadConn{c: conn, r: bufio.NewReader(conn)}
	}
	status, header, body, err := lc.exchange(req)
	if err != nil || header.Get("Connection") == "close" {
		lc.c.Close()
		return status, header, body, err
	}
	select {
	case c.free <- lc:
	default:
		lc.c.Close()
	}
	return status, header, body, nil
}

func (lc *loadConn) exchange(req []byte) (int, http.Header, []byte, error) {
	if err := lc.c.SetDeadline(time.Now().Add(loadTimeout)); err != nil {
		return 0, nil, nil, err
	}
	if _, err := lc.c.Write(req); err != nil {
		return 0, nil, nil, err
	}
	resp, err := http.ReadResponse(lc.r, nil)
	if err != nil {
		return 0, nil, nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, nil, nil, err
	}
	if resp.Close {
		resp.Header.Set("Connection", "close")
	}
	return resp.StatusCode, resp.Header, body, nil
}

// close closes the idle connections.
func (c *loadClient) close() {
	for {
		select {
		case lc := <-c.free:
			lc.c.Close()
		default:
			return
		}
	}
}
