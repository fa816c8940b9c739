package simulator

import (
	"crypto/rsa"
	"fmt"
	"net/http"
	"sort"
	"strings"
	"unicode"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// MerchantClient is a merchant system registered to call the acquiring
// gateway: its Client-Id and the public key that verifies its requests.
type MerchantClient struct {
	ClientID  string         `json:"clientId"`
	PublicKey *rsa.PublicKey `json:"-"`
	// PublicKeyBase64 is the key as the Developer Center shows it.
	PublicKeyBase64 string `json:"publicKey"`
}

// CheckClientID reports whether id can be a merchant's Client-Id: 1 to 64
// printable ASCII characters without spaces.
func CheckClientID(id string) error {
	if id == "" || len(id) > 64 {
		return fmt.Errorf("a Client-Id has 1 to 64 characters, not %d", len(id))
	}
	for _, r := range id {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) || r == ' ' {
			return fmt.Errorf("Client-Id %q: only printable ASCII without spaces", id)
		}
	}
	return nil
}

// RegisterMerchantClient lets a merchant system call the gateway as
// clientID, its requests verified with pub. Registering the same Client-Id
// again replaces its key.
func (s *Simulator) RegisterMerchantClient(clientID string, pub *rsa.PublicKey) error {
	if err := CheckClientID(clientID); err != nil {
		return err
	}
	if pub == nil {
		return fmt.Errorf("merchant client %s: a public key is required", clientID)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.merchants == nil {
		s.merchants = map[string]*rsa.PublicKey{}
	}
	s.merchants[clientID] = pub
	return nil
}

// MerchantClients lists the registered merchant clients by Client-Id.
func (s *Simulator) MerchantClients() []MerchantClient {
	s.mu.Lock()
	out := make([]MerchantClient, 0, len(s.merchants))
	for id, k := range s.merchants {
		out = append(out, MerchantClient{ClientID: id, PublicKey: k, PublicKeyBase64: alipayplus.PublicKeyBase64(k)})
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ClientID < out[j].ClientID })
	return out
}

// merchantKey returns the key that verifies a merchant client's requests.
func (s *Simulator) merchantKey(clientID string) (*rsa.PublicKey, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.merchants[clientID]
	return k, ok
}

// MerchantClientBody is the JSON body of POST /sim/merchant-clients: the
// public key as PEM or as the Developer Center's bare base64.
type MerchantClientBody struct {
	ClientID  string `json:"clientId"`
	PublicKey string `json:"publicKey"`
}

func (s *Simulator) adminRegisterMerchant(w http.ResponseWriter, r *http.Request) {
	var b MerchantClientBody
	if !decodeBody(w, r, &b) {
		return
	}
	if strings.TrimSpace(b.PublicKey) == "" {
		writeError(w, http.StatusBadRequest, "publicKey is required (PEM or bare base64)")
		return
	}
	pub, err := alipayplus.ParsePublicKey([]byte(b.PublicKey))
	if err != nil {
		writeError(w, http.StatusBadRequest, "publicKey: %v", err)
		return
	}
	if err := s.RegisterMerchantClient(b.ClientID, pub); err != nil {
		writeError(w, http.StatusBadRequest, "%v", err)
		return
	}
	writeJSON(w, http.StatusOK, MerchantClient{ClientID: b.ClientID, PublicKey: pub, PublicKeyBase64: alipayplus.PublicKeyBase64(pub)})
}
