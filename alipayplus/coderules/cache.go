package coderules

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/internal/atomicfile"
)

// Origin says where a rule set came from.
type Origin string

// Origins of a rule set.
const (
	// FromNetwork: fetched with inquiryCodeRules just now.
	FromNetwork Origin = "network"
	// FromCache: read from the cache file (the network was not asked, or
	// did not answer).
	FromCache Origin = "cached"
	// FromEmbedded: the sandbox set built into the binary (no cache yet).
	FromEmbedded Origin = "embedded"
	// FromFile: a rules file the user named.
	FromFile Origin = "file"
)

// Set is a compiled rule set and where it came from.
type Set struct {
	*Matcher
	// Version is the rule set's version (opaque; only equality matters).
	Version string
	Origin  Origin
	// SavedAt is when a cached set was fetched and written.
	SavedAt time.Time
	// Name is the file of a FromFile set.
	Name string
	// Warnings are the rules New skipped or doubted.
	Warnings []string
}

// Source says where the rules came from, for people: "network V",
// "cached V from 2026-11-25 04:00 UTC", "embedded sandbox set V".
func (s *Set) Source() string {
	switch s.Origin {
	case FromNetwork:
		return "network " + s.Version
	case FromCache:
		return fmt.Sprintf("cached %s from %s", s.Version, s.SavedAt.UTC().Format("2006-01-02 15:04 UTC"))
	case FromFile:
		return fmt.Sprintf("file %s %s", s.Name, s.Version)
	}
	return "embedded sandbox set " + s.Version
}

// Parse compiles an inquiryCodeRules response body (a rules file).
func Parse(raw []byte) (*Set, error) {
	var resp alipayplus.InquiryCodeRulesResponse
	if _, err := alipayplus.Decode(raw, &resp); err != nil {
		return nil, err
	}
	if len(resp.CodeRules) == 0 {
		return nil, errors.New("it holds no codeRules")
	}
	m, warns := New(resp.CodeRules)
	return &Set{Matcher: m, Version: resp.Version, Warnings: warns}, nil
}

// Fetcher asks the network for the rules (inquiryCodeRules).
type Fetcher func(ctx context.Context) (*alipayplus.InquiryCodeRulesResponse, error)

// CacheConfig sets up a Cache.
type CacheConfig struct {
	// Path is the cache file, e.g. DATA/coderules.json.
	Path string
	// Embedded is an inquiryCodeRules response body: the rules used while
	// there is no cache.
	Embedded []byte
	// Fetch asks the network; nil means offline (Refresh only loads).
	Fetch Fetcher
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Cache keeps the code rules as an MPP must (protocol §2.3): fetched with
// inquiryCodeRules at start and at least daily, stored in a file that is
// replaced only when the version changes, the cached set kept when the
// network fails, and the embedded sandbox set used while there is no
// cache. It is safe for concurrent use.
type Cache struct {
	cfg CacheConfig

	mu  sync.Mutex
	cur *Set
	// cached is the version in the file ("" when there is none, or it is
	// unreadable).
	cached string
	// notes are the warnings of the last load (a corrupt cache file).
	notes []string
}

// NewCache returns a cache; nothing is read until first use.
func NewCache(cfg CacheConfig) *Cache {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &Cache{cfg: cfg}
}

// cacheFile is the file's form: the rules and version as Alipay+ sent
// them, and when they were fetched.
type cacheFile struct {
	Version   string                `json:"version"`
	SavedAt   string                `json:"savedAt"`
	CodeRules []alipayplus.CodeRule `json:"codeRules"`
}

// Current returns the rules in use, reading the cache file (or the
// embedded set) on first use. It never asks the network.
func (c *Cache) Current() *Set {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == nil {
		c.loadLocked()
	}
	return c.cur
}

// Warnings are the problems met reading the cache file (a corrupt file
// names itself and says which rules are used instead).
func (c *Cache) Warnings() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cur == nil {
		c.loadLocked()
	}
	return append([]string(nil), c.notes...)
}

// Age is how long ago the cached rules were fetched; ok is false when there
// is no usable cache file.
func (c *Cache) Age() (age time.Duration, ok bool) {
	set := c.Current()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cached == "" {
		return 0, false
	}
	if set.Origin == FromNetwork {
		return 0, true
	}
	return c.cfg.Now().Sub(set.SavedAt), true
}

// loadLocked reads the cache file, else the embedded set. Callers hold
// c.mu.
func (c *Cache) loadLocked() {
	c.notes, c.cached = nil, ""
	if set, err := c.readFile(); err == nil {
		c.cur, c.cached = set, set.Version
		return
	} else if !errors.Is(err, os.ErrNotExist) {
		c.notes = append(c.notes, fmt.Sprintf("the code-rule cache %s is unusable (%v); using the embedded sandbox set until the next refresh replaces it", c.cfg.Path, err))
	}
	set, err := Parse(c.cfg.Embedded)
	if err != nil {
		// The embedded set is part of the binary; a broken one is a build
		// error, but never a crash: an empty matcher supports nothing.
		c.notes = append(c.notes, "the embedded code rules are unusable: "+err.Error())
		set = &Set{Matcher: &Matcher{}}
	}
	set.Origin = FromEmbedded
	c.cur = set
}

func (c *Cache) readFile() (*Set, error) {
	if c.cfg.Path == "" {
		return nil, os.ErrNotExist
	}
	raw, err := os.ReadFile(c.cfg.Path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, err
	}
	var f cacheFile
	if _, err := alipayplus.Decode(raw, &f); err != nil {
		return nil, err
	}
	saved, err := time.Parse(time.RFC3339Nano, f.SavedAt)
	switch {
	case f.Version == "":
		return nil, errors.New("no version")
	case len(f.CodeRules) == 0:
		return nil, errors.New("no codeRules")
	case err != nil:
		return nil, fmt.Errorf("savedAt: %v", err)
	}
	m, warns := New(f.CodeRules)
	return &Set{Matcher: m, Version: f.Version, Origin: FromCache, SavedAt: saved, Warnings: warns}, nil
}

// Refresh asks the network for the rules. When the version differs from
// the cached one it replaces the cache file (atomically); when it is the
// same the file is left untouched. On failure the rules in use stay (the
// cache, else the embedded set) and the error says why. It returns the
// rules in use either way.
func (c *Cache) Refresh(ctx context.Context) (*Set, error) {
	cur := c.Current()
	if c.cfg.Fetch == nil {
		return cur, errors.New("no Alipay+ gateway to ask")
	}
	resp, err := c.cfg.Fetch(ctx)
	if err == nil {
		switch {
		case resp == nil || len(resp.CodeRules) == 0:
			err = errors.New("inquiryCodeRules answered no codeRules")
		case resp.Version == "":
			err = errors.New("inquiryCodeRules answered no version")
		}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		if c.cur.Origin == FromNetwork && c.cur.Version == c.cached {
			// What the network said before is what the cache holds.
			set := *c.cur
			set.Origin = FromCache
			c.cur = &set
		}
		return c.cur, fmt.Errorf("the code rules could not be fetched: %w", err)
	}
	now := c.cfg.Now()
	if resp.Version == c.cached {
		set := *c.cur
		set.Origin = FromNetwork
		if set.Version != resp.Version || set.Matcher == nil {
			m, warns := New(resp.CodeRules)
			set = Set{Matcher: m, Version: resp.Version, Origin: FromNetwork, SavedAt: now, Warnings: warns}
		}
		c.cur = &set
		return c.cur, nil
	}
	m, warns := New(resp.CodeRules)
	set := &Set{Matcher: m, Version: resp.Version, Origin: FromNetwork, SavedAt: now, Warnings: warns}
	if c.cfg.Path != "" {
		b, err := json.MarshalIndent(cacheFile{Version: resp.Version, SavedAt: now.UTC().Format(time.RFC3339Nano), CodeRules: resp.CodeRules}, "", "  ")
		if err == nil {
			// The rules are public: 0644 (inside the 0700 data dir).
			err = atomicfile.Write(c.cfg.Path, append(b, '\n'), 0o644)
		}
		if err != nil {
			// The new rules are used; the old file stays for next time.
			c.cur = set
			return set, fmt.Errorf("the code rules %s were fetched but not cached: %w", resp.Version, err)
		}
		c.cached, c.notes = resp.Version, nil
	}
	c.cur = set
	return set, nil
}

// Run refreshes the rules now and then every interval (use at most a day)
// until ctx ends; after a failure it tries again after retry. Each outcome
// is passed to report, which may be nil. Timers come from package time, so
// tests drive Run inside a testing/synctest bubble.
func (c *Cache) Run(ctx context.Context, interval, retry time.Duration, report func(*Set, error)) {
	for {
		set, err := c.Refresh(ctx)
		if report != nil && ctx.Err() == nil {
			report(set, err)
		}
		wait := interval
		if err != nil {
			wait = retry
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
	}
}

// Refresh intervals for long-running processes: the Alipay+ server SDK
// pulls every 30 minutes and retries 2 minutes after a failure; the
// documentation asks for at least daily.
const (
	RefreshInterval = 6 * time.Hour
	RetryInterval   = 2 * time.Minute
)
