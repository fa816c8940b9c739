package wallet

import (
	"crypto/rand"
	"fmt"
	"math/big"
	"time"
)

// Service applies the wallet's rules to the Store: it is the one place where
// balances change.
type Service struct {
	store  Store
	clock  Clock
	loc    *time.Location
	newID  func(now time.Time) string
	events *broker
}

// Option configures a Service.
type Option func(*Service)

// WithClock sets the clock (default SystemClock).
func WithClock(c Clock) Option { return func(s *Service) { s.clock = c } }

// WithLocation sets the time zone whose calendar day the daily limits count
// in (default UTC).
func WithLocation(loc *time.Location) Option { return func(s *Service) { s.loc = loc } }

// WithIDGenerator replaces how payment and refund ids are made.
func WithIDGenerator(f func(now time.Time) string) Option {
	return func(s *Service) { s.newID = f }
}

// NewService returns a Service over store.
func NewService(store Store, opts ...Option) *Service {
	s := &Service{store: store, clock: SystemClock, loc: time.UTC, newID: randomID, events: newBroker()}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Store returns the underlying store, for read-only listings.
func (s *Service) Store() Store { return s.store }

// Now returns the service clock's time.
func (s *Service) Now() time.Time { return s.clock.Now() }

// randomID makes a 28-digit id: the date (for humans) and 20 random digits
// (for uniqueness).
func randomID(now time.Time) string {
	n, err := rand.Int(rand.Reader, new(big.Int).Exp(big.NewInt(10), big.NewInt(20), nil))
	if err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return fmt.Sprintf("%s%020s", now.UTC().Format("20060102"), n.String())
}

// dayBounds returns the start and end of the calendar day holding t.
func (s *Service) dayBounds(t time.Time) (time.Time, time.Time) {
	l := t.In(s.loc)
	start := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, s.loc)
	return start, start.AddDate(0, 0, 1)
}
