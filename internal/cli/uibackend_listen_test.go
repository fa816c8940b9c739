package cli

import (
	"errors"
	"io"
	"net"
	"net/http"
	"testing"
)

// An embedded server whose port is lost takes it again: the next request
// at the address it published is answered, and Close still ends it.
func TestEmbeddedServerSurvivesALostPort(t *testing.T) {
	raw, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln := keepListening(raw)
	srv := newHTTPServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") }))
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	url := "http://" + ln.Addr().String()
	get := func(when string) {
		t.Helper()
		c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
		resp, err := c.Get(url)
		if err != nil {
			t.Fatalf("%s: %v", when, err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(b) != "ok" {
			t.Fatalf("%s: %q", when, b)
		}
	}
	get("before")
	for i := range 3 {
		ln.lose()
		cliWaitFor(t, "the port taken again", func() bool {
			ln.mu.Lock()
			defer ln.mu.Unlock()
			return ln.relistens == i+1
		})
		get("after losing the port")
	}
	if got := ln.Addr().String(); "http://"+got != url {
		t.Errorf("the address moved to %s", got)
	}
	srv.Close()
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve after Close: %v", err)
	}
}
