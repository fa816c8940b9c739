package cli

import (
	"errors"
	"net"
	"sync"
	"time"
)

// steadyListener is the socket of one of the app's embedded servers (the
// wallet server, the simulator) that outlives the loss of its port: when
// Accept fails for any reason but Close, it listens on the same address
// again, retrying with backoff, so the server stays at the address it
// published in the data dir and its peers find it where they left it.
type steadyListener struct {
	addr string
	done chan struct{}

	mu     sync.Mutex
	ln     net.Listener
	closed bool
	// relistens counts the sockets that replaced a lost one.
	relistens int
}

// keepListening wraps ln, which listens on a TCP address.
func keepListening(ln net.Listener) *steadyListener {
	return &steadyListener{addr: ln.Addr().String(), ln: ln, done: make(chan struct{})}
}

// Accept implements net.Listener.
func (l *steadyListener) Accept() (net.Conn, error) {
	for {
		ln := l.current()
		c, err := ln.Accept()
		if err == nil {
			return c, nil
		}
		if l.isClosed() {
			return nil, net.ErrClosed
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			return nil, err // http.Server waits and accepts again
		}
		ln.Close() // the port is lost: take it again
		if err := l.relisten(); err != nil {
			return nil, err
		}
	}
}

// relisten listens on the address again until it gets it or the listener
// is closed.
func (l *steadyListener) relisten() error {
	wait := 50 * time.Millisecond
	for {
		nl, err := net.Listen("tcp", l.addr)
		if err == nil {
			l.mu.Lock()
			defer l.mu.Unlock()
			if l.closed {
				nl.Close()
				return net.ErrClosed
			}
			l.ln = nl
			l.relistens++
			return nil
		}
		select {
		case <-l.done:
			return net.ErrClosed
		case <-time.After(wait):
		}
		wait = min(wait*2, 2*time.Second)
	}
}

func (l *steadyListener) current() net.Listener {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.ln
}

func (l *steadyListener) isClosed() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.closed
}

// Close implements net.Listener.
func (l *steadyListener) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	close(l.done)
	return l.ln.Close()
}

// Addr implements net.Listener: the address stays the same.
func (l *steadyListener) Addr() net.Addr { return l.current().Addr() }

// lose closes the socket under the listener, as a lost port would.
func (l *steadyListener) lose() { l.current().Close() }
