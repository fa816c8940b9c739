package simulator

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"log/slog"
	"math/big"
	"net/http"
	"sync"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// Default identifiers of the simulated network.
const (
	DefaultAcquirerID       = "1022188000000000001"
	DefaultAcquirerClientID = "SANDBOX_ACQ_SIM"
	DefaultPSPID            = "1022172000000000001"
	// AnswerClientID is the Client-Id the simulator signs its answers for
	// when a request carries none: Alipay+ has no Client-Id of its own, but
	// an answer must be signed for one, or nobody could verify it.
	AnswerClientID = "ALIPAYPLUS_SIMULATOR"
	// DefaultOrderDomain is where the acquirer's private order codes point.
	DefaultOrderDomain = "https://qr.mppwallet.test"
)

// Timing holds the network's clocks; zero fields take the defaults.
type Timing struct {
	// CodeValidity is how long a payment code is valid (1 minute).
	CodeValidity time.Duration
	// CodeStep is how long after a code the next one starts (30 s, so codes
	// overlap by 30 s).
	CodeStep time.Duration
	// PaymentExpiry is paymentExpiryTime after the payment starts (3 min).
	PaymentExpiry time.Duration
	// PayTimeout is how long Alipay+ waits for pay (8 s).
	PayTimeout time.Duration
	// InquiryTimeout is how long it waits for inquiryPayment (5 s).
	InquiryTimeout time.Duration
	// CancelTimeout is how long it waits for cancelPayment (8 s).
	CancelTimeout time.Duration
	// InquiryFirst is the first wait before inquiring (2 s); it doubles up
	// to InquiryMax (20 s).
	InquiryFirst time.Duration
	InquiryMax   time.Duration
	// OrderValidity is how long a merchant's order code can be paid (10 min).
	OrderValidity time.Duration
	// GatewayWait is how long the acquiring gateway's pay, cancel and
	// refund wait for the wallet before answering U (10 s).
	GatewayWait time.Duration
	// CancelWindow is how long after a gateway payment the merchant may
	// cancel it (24 h).
	CancelWindow time.Duration
	// NotifyAttempts is how often the gateway sends a notifyPayment the
	// merchant does not acknowledge (8), waiting InquiryFirst, doubling up
	// to InquiryMax, between tries.
	NotifyAttempts int
}

func (t Timing) withDefaults() Timing {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&t.CodeValidity, time.Minute)
	def(&t.CodeStep, 30*time.Second)
	def(&t.PaymentExpiry, 3*time.Minute)
	def(&t.PayTimeout, 8*time.Second)
	def(&t.InquiryTimeout, 5*time.Second)
	def(&t.CancelTimeout, 8*time.Second)
	def(&t.InquiryFirst, 2*time.Second)
	def(&t.InquiryMax, 20*time.Second)
	def(&t.OrderValidity, 10*time.Minute)
	def(&t.GatewayWait, 10*time.Second)
	def(&t.CancelWindow, 24*time.Hour)
	if t.NotifyAttempts <= 0 {
		t.NotifyAttempts = 8
	}
	return t
}

// Config configures a Simulator.
type Config struct {
	// Key is Alipay+'s private key: it signs answers and requests to MPPs.
	Key *rsa.PrivateKey
	// AcquirerKey is the simulated acquirer's key (generated when nil).
	AcquirerKey *rsa.PrivateKey
	// Now is the clock (default time.Now).
	Now    func() time.Time
	Logger *slog.Logger
	// Transcript records every exchange (default: in memory, 1000 entries).
	Transcript *Transcript
	// Faults holds injected faults (default: none).
	Faults *Faults
	// NoMagic turns magic amounts off.
	NoMagic bool
	Timing  Timing
	// FX converts currencies (default DefaultFX).
	FX *FX
	// OrderDomain is the fixed HTTPS origin of order codes.
	OrderDomain string
	// AdminToken, when set, is the bearer token every admin request but
	// GET /sim/health must carry (Authorization: Bearer TOKEN). Empty, the
	// admin API answers loopback peers only, with no token: for tests and
	// programs that keep the simulator to themselves.
	AdminToken string
	// AdminTokenHint says where a client finds the token, in the answer to
	// a request without it: a path, never the token.
	AdminTokenHint string
	// AdminHosts are host:port names, besides loopback names and the host
	// of the URL given to SetURL, that an admin request's Host may carry
	// (the address the simulator was told to listen on).
	AdminHosts []string
}

// MPP is a wallet registered with the network.
type MPP struct {
	// ClientID is the MPP's Client-Id: its calls carry it, and Alipay+'s
	// calls to it carry it too.
	ClientID string
	// PublicKey verifies the MPP's requests and answers.
	PublicKey *rsa.PublicKey
	// URL is the base URL of the MPP's server (pay, inquiryPayment, ...).
	URL string
	// URLFunc, when set, is asked for the URL at every call instead (for a
	// wallet server that may start, stop or move).
	URLFunc func() string
	// PSPID is the MPP's id in Alipay+ (pspId).
	PSPID string
	// Currency is the wallet's settlement currency (default USD).
	Currency string
	// CustomerCurrency, when set, tells a customer's own currency. A
	// customer's currency never changes, so each answer is asked for once
	// and remembered (the wallet's ledger is not read for every charge).
	CustomerCurrency func(customerID string) (string, bool)

	currencies *sync.Map // customerID → currency, from CustomerCurrency
}

// Simulator is the Alipay+ network: serve its Handler, register MPPs, and
// use Charge and CreateOrder as a merchant would.
type Simulator struct {
	cfg        Config
	timing     Timing
	fx         *FX
	faults     *Faults
	transcript *Transcript
	log        *slog.Logger
	handler    http.Handler
	acq        *acquirer

	mu   sync.Mutex
	url  string
	mpps map[string]*MPP
	// merchants are the merchant clients of the acquiring gateway.
	merchants map[string]*rsa.PublicKey
	gw        *gateway
	codes     map[string]*issuedCode
	payments  map[string]*Payment
	order     []string // payment request ids, oldest first
	byCode    map[string]string
	// nextPaymentSweep is when prunePaymentsLocked sweeps next.
	nextPaymentSweep time.Time

	bg   sync.WaitGroup
	ctx  context.Context
	stop context.CancelFunc
}

// New returns a simulator. Serve its Handler and tell it its own URL with
// SetURL (the acquirer is reached over HTTP at URL + AcquirerPrefix).
func New(cfg Config) (*Simulator, error) {
	if cfg.Key == nil {
		return nil, fmt.Errorf("simulator: an Alipay+ private key is required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Transcript == nil {
		cfg.Transcript = NewTranscript(1000, nil)
	}
	if cfg.Faults == nil {
		cfg.Faults = NewFaults(cfg.Now, nil)
	}
	if cfg.FX == nil {
		cfg.FX = DefaultFX()
	}
	if cfg.OrderDomain == "" {
		cfg.OrderDomain = DefaultOrderDomain
	}
	if cfg.AcquirerKey == nil {
		k, err := alipayplus.GenerateKey()
		if err != nil {
			return nil, err
		}
		cfg.AcquirerKey = k
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &Simulator{
		cfg: cfg, timing: cfg.Timing.withDefaults(), fx: cfg.FX, faults: cfg.Faults, transcript: cfg.Transcript,
		log: cfg.Logger, mpps: map[string]*MPP{}, codes: map[string]*issuedCode{}, payments: map[string]*Payment{},
		byCode: map[string]string{}, ctx: ctx, stop: cancel,
	}
	s.acq = newAcquirer(s)
	s.gw = newGateway(s)
	s.handler = s.routes()
	return s, nil
}

// Handler serves the Alipay+ APIs, the acquirer (under AcquirerPrefix) and
// the admin API (under /sim/).
func (s *Simulator) Handler() http.Handler { return s.handler }

// SetURL tells the simulator the base URL it is served at.
func (s *Simulator) SetURL(u string) {
	s.mu.Lock()
	s.url = u
	s.mu.Unlock()
}

// URL is the base URL set with SetURL.
func (s *Simulator) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// Register adds or replaces an MPP.
func (s *Simulator) Register(m MPP) {
	if m.PSPID == "" {
		m.PSPID = DefaultPSPID
	}
	if m.Currency == "" {
		m.Currency = "USD"
	}
	m.currencies = new(sync.Map)
	s.mu.Lock()
	s.mpps[m.ClientID] = &m
	s.mu.Unlock()
}

// Faults returns the fault rules, to add or remove faults at run time.
func (s *Simulator) Faults() *Faults { return s.faults }

// Transcript returns the record of every exchange.
func (s *Simulator) Transcript() *Transcript { return s.transcript }

// AcquirerPublicKey is the simulated acquirer's public key.
func (s *Simulator) AcquirerPublicKey() *rsa.PublicKey { return &s.cfg.AcquirerKey.PublicKey }

// Close stops background work (inquiries and cancels in flight) and waits
// for it.
func (s *Simulator) Close() {
	s.stop()
	s.bg.Wait()
}

func (s *Simulator) mpp(clientID string) (*MPP, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.mpps[clientID]
	return m, ok
}

func (s *Simulator) publicKey(clientID string) (*rsa.PublicKey, bool) {
	m, ok := s.mpp(clientID)
	if !ok || m.PublicKey == nil {
		return nil, false
	}
	return m.PublicKey, true
}

// customerCurrency is the currency a customer's wallet pays in.
func (m *MPP) customerCurrency(customerID string) string {
	if m.currencies != nil { // nil unless registered
		if c, ok := m.currencies.Load(customerID); ok {
			return c.(string)
		}
	}
	if m.CustomerCurrency != nil {
		if c, ok := m.CustomerCurrency(customerID); ok && c != "" {
			if m.currencies != nil {
				m.currencies.Store(customerID, c)
			}
			return c
		}
	}
	return m.Currency
}

// digits returns n random decimal digits.
func digits(n int) string {
	max := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil)
	v, err := rand.Int(rand.Reader, max)
	if err != nil {
		panic(fmt.Sprintf("crypto/rand failed: %v", err))
	}
	return fmt.Sprintf("%0*s", n, v.String())
}

// newRequestID makes a paymentRequestId: the date and 20 random digits.
func (s *Simulator) newRequestID() string {
	return s.cfg.Now().UTC().Format("20060102") + digits(20)
}

func (s *Simulator) timeString(t time.Time) string {
	return alipayplus.FormatTime(t.In(s.cfg.Now().Location()))
}
