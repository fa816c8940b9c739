package coderules_test

import (
	"bytes"
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/coderules"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/assets"
	"github.com/mppwallet/mppwallet/internal/testkit"
)

// orderCode is one of the simulator's order codes: only its own rule (not
// the embedded sandbox set) supports it.
const orderCode = simulator.DefaultOrderDomain + "/2819990400011234567890123456"

// rulesNetwork is a real simulator on loopback and the wallet's real client
// for inquiryCodeRules; stop takes the simulator down.
type rulesNetwork struct {
	fetch coderules.Fetcher
	stop  func()
}

func newRulesNetwork(t *testing.T) *rulesNetwork {
	t.Helper()
	alipay := testkit.Key(t, "other_private.pem")
	sim, err := simulator.New(simulator.Config{Key: alipay, AcquirerKey: testkit.Key(t, "private.pem")})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(sim.Handler())
	sim.SetURL(srv.URL)
	var once sync.Once
	stop := func() { once.Do(func() { sim.Close(); srv.Close() }) }
	t.Cleanup(stop)
	client := alipayplus.NewClient(srv.URL, alipayplus.Signer{ClientID: "SANDBOX_MPP_TEST", Key: testkit.Key(t, "private.pem")},
		&alipay.PublicKey, alipayplus.WithRetry(alipayplus.Retry{}), alipayplus.WithTimeout(2*time.Second))
	return &rulesNetwork{stop: stop, fetch: func(ctx context.Context) (*alipayplus.InquiryCodeRulesResponse, error) {
		return client.InquiryCodeRules(ctx, &alipayplus.InquiryCodeRulesRequest{})
	}}
}

var cacheNow = time.Date(2026, 11, 25, 4, 0, 0, 0, time.UTC)

func newCache(path string, fetch coderules.Fetcher) *coderules.Cache {
	return coderules.NewCache(coderules.CacheConfig{Path: path, Embedded: assets.SandboxCodeRules, Fetch: fetch,
		Now: func() time.Time { return cacheNow }})
}

// supportsOrderCode reports whether the set knows the simulator's own rule.
func supportsOrderCode(s *coderules.Set) bool { return s.Identify(orderCode).Supported }

func TestCacheFirstFetchWritesTheFile(t *testing.T) {
	net := newRulesNetwork(t)
	path := filepath.Join(t.TempDir(), "coderules.json")
	c := newCache(path, net.fetch)
	if s := c.Current(); s.Origin != coderules.FromEmbedded || s.Source() != "embedded sandbox set c_16_ignet_25" || supportsOrderCode(s) {
		t.Fatalf("before any fetch: %s, order code supported %v", s.Source(), supportsOrderCode(s))
	}
	s, err := c.Refresh(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if s.Source() != "network "+simulator.RulesVersion || !supportsOrderCode(s) {
		t.Errorf("after the fetch: %s, order code supported %v", s.Source(), supportsOrderCode(s))
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatalf("no cache file: %v", err)
	}
	if fi.Mode().Perm() != 0o644 {
		t.Errorf("cache file mode %v, want 0644", fi.Mode().Perm())
	}
	// Another process (a later command) reads it without the network.
	later := newCache(path, nil)
	cs := later.Current()
	if cs.Source() != "cached "+simulator.RulesVersion+" from 2026-11-25 04:00 UTC" || !supportsOrderCode(cs) || cs.Len() != s.Len() {
		t.Errorf("read back: %s, %d rules (want %d), order code supported %v", cs.Source(), cs.Len(), s.Len(), supportsOrderCode(cs))
	}
	if age, ok := later.Age(); !ok || age != 0 {
		t.Errorf("age %v %v", age, ok)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*"))
	if len(leftovers) != 0 {
		t.Errorf("temporary files left: %v", leftovers)
	}
}

func TestCacheSameVersionLeavesTheFileUntouched(t *testing.T) {
	net := newRulesNetwork(t)
	path := filepath.Join(t.TempDir(), "coderules.json")
	if _, err := newCache(path, net.fetch).Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(path)
	c := newCache(path, net.fetch)
	if s := c.Current(); s.Origin != coderules.FromCache {
		t.Fatalf("a new process starts from %s", s.Source())
	}
	s, err := c.Refresh(context.Background())
	if err != nil || s.Origin != coderules.FromNetwork || s.Version != simulator.RulesVersion {
		t.Fatalf("refresh: %v %s", err, s.Source())
	}
	after, _ := os.ReadFile(path)
	fi, _ := os.Stat(path)
	if !bytes.Equal(before, after) || !fi.ModTime().Equal(old) {
		t.Errorf("the cache was rewritten for the same version (modified %v)", fi.ModTime())
	}
}

func TestCacheNewVersionReplacesTheFile(t *testing.T) {
	net := newRulesNetwork(t)
	path := filepath.Join(t.TempDir(), "coderules.json")
	// The cache holds an older set: the sandbox rules, version c_16_ignet_25.
	older := coderules.NewCache(coderules.CacheConfig{Path: path, Embedded: assets.SandboxCodeRules, Now: func() time.Time { return cacheNow.Add(-48 * time.Hour) },
		Fetch: func(context.Context) (*alipayplus.InquiryCodeRulesResponse, error) {
			var r alipayplus.InquiryCodeRulesResponse
			_, err := alipayplus.Decode(assets.SandboxCodeRules, &r)
			return &r, err
		}})
	if s, err := older.Refresh(context.Background()); err != nil || s.Version != "c_16_ignet_25" {
		t.Fatalf("seeding the cache: %v", err)
	}
	c := newCache(path, net.fetch)
	if s := c.Current(); s.Source() != "cached c_16_ignet_25 from 2026-11-23 04:00 UTC" || supportsOrderCode(s) {
		t.Fatalf("seeded cache reads as %s", s.Source())
	}
	s, err := c.Refresh(context.Background())
	if err != nil || s.Version != simulator.RulesVersion || !supportsOrderCode(s) {
		t.Fatalf("refresh: %v %s", err, s.Source())
	}
	if got := newCache(path, nil).Current(); got.Version != simulator.RulesVersion || got.SavedAt != cacheNow {
		t.Errorf("the file now holds %s", got.Source())
	}
}

func TestCacheNetworkDown(t *testing.T) {
	t.Run("cached set kept", func(t *testing.T) {
		net := newRulesNetwork(t)
		path := filepath.Join(t.TempDir(), "coderules.json")
		if _, err := newCache(path, net.fetch).Refresh(context.Background()); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(path)
		net.stop()
		c := newCache(path, net.fetch)
		s, err := c.Refresh(context.Background())
		if err == nil || !strings.Contains(err.Error(), "could not be fetched") {
			t.Errorf("refresh with the simulator down: err %v", err)
		}
		if s.Origin != coderules.FromCache || !strings.HasPrefix(s.Source(), "cached "+simulator.RulesVersion+" from ") || !supportsOrderCode(s) {
			t.Errorf("rules in use: %s", s.Source())
		}
		if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
			t.Errorf("a failed refresh changed the cache")
		}
	})
	t.Run("no cache: embedded", func(t *testing.T) {
		net := newRulesNetwork(t)
		net.stop()
		path := filepath.Join(t.TempDir(), "coderules.json")
		s, err := newCache(path, net.fetch).Refresh(context.Background())
		if err == nil || s.Origin != coderules.FromEmbedded || s.Source() != "embedded sandbox set c_16_ignet_25" {
			t.Errorf("refresh: %v, rules %s", err, s.Source())
		}
		if !s.Identify("https://aps.testacquirer.com/order/1").Supported {
			t.Errorf("the embedded set does not support the sandbox test acquirer")
		}
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("a cache file was written without rules: %v", err)
		}
	})
	t.Run("offline", func(t *testing.T) {
		s, err := newCache(filepath.Join(t.TempDir(), "coderules.json"), nil).Refresh(context.Background())
		if err == nil || s.Origin != coderules.FromEmbedded {
			t.Errorf("refresh without a fetcher: %v %s", err, s.Source())
		}
	})
}

func TestCacheBadAnswersKeepTheCache(t *testing.T) {
	for _, c := range []struct {
		name string
		resp *alipayplus.InquiryCodeRulesResponse
		err  error
		want string
	}{
		{"no rules", &alipayplus.InquiryCodeRulesResponse{Version: "v2"}, nil, "no codeRules"},
		{"no version", &alipayplus.InquiryCodeRulesResponse{CodeRules: []alipayplus.CodeRule{{}}}, nil, "no version"},
		{"F", nil, &alipayplus.Error{Status: "F", Code: "ACCESS_DENIED"}, "ACCESS_DENIED"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "coderules.json")
			cache := newCache(path, func(context.Context) (*alipayplus.InquiryCodeRulesResponse, error) { return c.resp, c.err })
			s, err := cache.Refresh(context.Background())
			if err == nil || !strings.Contains(err.Error(), c.want) || s.Origin != coderules.FromEmbedded {
				t.Errorf("got %v with %s; want an error saying %q and the embedded set", err, s.Source(), c.want)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("a bad answer was cached")
			}
		})
	}
}

func TestCacheCorruptFileWarnsAndFallsBack(t *testing.T) {
	for _, c := range []struct{ name, body string }{
		{"not json", "{\"version\": \"v1\", \"codeRu"},
		{"empty", ""},
		{"no rules", `{"version":"v1","savedAt":"2026-11-25T04:00:00Z","codeRules":[]}`},
		{"no version", `{"savedAt":"2026-11-25T04:00:00Z","codeRules":[{"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"x"}}]}`},
		{"bad time", `{"version":"v1","savedAt":"yesterday","codeRules":[{"codeMatchPattern":{"matchMethod":"PREFIX","prefix":"x"}}]}`},
		{"wrong types", `{"version":"v1","savedAt":"2026-11-25T04:00:00Z","codeRules":"all of them"}`},
		{"array", `[1,2,3]`},
	} {
		t.Run(c.name, func(t *testing.T) {
			net := newRulesNetwork(t)
			path := filepath.Join(t.TempDir(), "coderules.json")
			if err := os.WriteFile(path, []byte(c.body), 0o644); err != nil {
				t.Fatal(err)
			}
			cache := newCache(path, net.fetch)
			s := cache.Current()
			warns := cache.Warnings()
			if s.Origin != coderules.FromEmbedded || len(warns) != 1 || !strings.Contains(warns[0], path) || !strings.Contains(warns[0], "embedded") {
				t.Fatalf("rules %s, warnings %q", s.Source(), warns)
			}
			// The next refresh replaces the broken file.
			if s, err := cache.Refresh(context.Background()); err != nil || s.Origin != coderules.FromNetwork {
				t.Fatalf("refresh: %v %s", err, s.Source())
			}
			if got := newCache(path, nil); got.Current().Origin != coderules.FromCache || len(got.Warnings()) != 0 {
				t.Errorf("after the refresh the file reads as %s, warnings %q", got.Current().Source(), got.Warnings())
			}
		})
	}
	t.Run("unreadable", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "coderules.json")
		if err := os.Mkdir(dir, 0o700); err != nil { // a directory where the file belongs
			t.Fatal(err)
		}
		cache := newCache(dir, nil)
		if s := cache.Current(); s.Origin != coderules.FromEmbedded || len(cache.Warnings()) != 1 {
			t.Errorf("rules %s, warnings %q", s.Source(), cache.Warnings())
		}
	})
}

func TestParseRulesFile(t *testing.T) {
	s, err := coderules.Parse(assets.SandboxCodeRules)
	if err != nil || s.Version != "c_16_ignet_25" || s.Len() == 0 {
		t.Fatalf("Parse(sandbox) = %v, %v", s, err)
	}
	for _, bad := range []string{"", "nope", `{"codeRules":[]}`} {
		if _, err := coderules.Parse([]byte(bad)); err == nil {
			t.Errorf("Parse(%q) accepted", bad)
		}
	}
}

// TestCacheRunRefreshesOnATimer: a long-running process refreshes at start,
// then every interval, and retries sooner after a failure.
func TestCacheRunRefreshesOnATimer(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var mu sync.Mutex
		var calls []time.Time
		fail := false
		version := "v1"
		fetch := func(context.Context) (*alipayplus.InquiryCodeRulesResponse, error) {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, time.Now())
			if fail {
				return nil, errors.New("connection refused")
			}
			var r alipayplus.InquiryCodeRulesResponse
			_, err := alipayplus.Decode(assets.SandboxCodeRules, &r)
			r.Version = version
			return &r, err
		}
		path := filepath.Join(t.TempDir(), "coderules.json")
		c := coderules.NewCache(coderules.CacheConfig{Path: path, Embedded: assets.SandboxCodeRules, Fetch: fetch})
		ctx, cancel := context.WithCancel(context.Background())
		var sources []string
		done := make(chan struct{})
		start := time.Now()
		go func() {
			defer close(done)
			c.Run(ctx, 24*time.Hour, 2*time.Minute, func(s *coderules.Set, err error) {
				mu.Lock()
				defer mu.Unlock()
				src := s.Source()
				if err != nil {
					src += " (failed)"
				}
				sources = append(sources, src)
			})
		}()
		synctest.Wait()
		count := func() int { mu.Lock(); defer mu.Unlock(); return len(calls) }
		if count() != 1 {
			t.Fatalf("%d fetches at start, want 1", count())
		}
		time.Sleep(24*time.Hour - time.Second)
		synctest.Wait()
		if count() != 1 {
			t.Fatalf("%d fetches before a day passed", count())
		}
		mu.Lock()
		fail, version = true, "v2"
		mu.Unlock()
		time.Sleep(time.Second)
		synctest.Wait()
		time.Sleep(2 * time.Minute) // the retry after the failure
		synctest.Wait()
		mu.Lock()
		fail = false
		mu.Unlock()
		time.Sleep(2 * time.Minute)
		synctest.Wait()
		if s := c.Current(); s.Version != "v2" {
			t.Errorf("after the retries the rules are %s", s.Source())
		}
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		want := []time.Duration{0, 24 * time.Hour, 24*time.Hour + 2*time.Minute, 24*time.Hour + 4*time.Minute}
		if len(calls) != len(want) {
			t.Fatalf("fetches at %v, want %v", calls, want)
		}
		for i, at := range calls {
			if at.Sub(start) != want[i] {
				t.Errorf("fetch %d at +%v, want +%v", i, at.Sub(start), want[i])
			}
		}
		was := "cached v1 from " + start.UTC().Format("2006-01-02 15:04 UTC") + " (failed)"
		wantSources := []string{"network v1", was, was, "network v2"}
		if strings.Join(sources, "|") != strings.Join(wantSources, "|") {
			t.Errorf("reported %q, want %q", sources, wantSources)
		}
	})
}
