package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/alipayplus/simulator"
	"github.com/mppwallet/mppwallet/internal/atomicfile"
)

// merchantClientsPath is where a data dir keeps the merchant clients the
// simulator's gateway knows: registered with 'mppwallet sim
// --merchant-client-id ID --merchant-public-key FILE', remembered for every
// later simulator on the data dir (the embedded one included).
func (d dataDir) merchantClientsPath() string { return filepath.Join(d.root, "merchant-clients.json") }

// storedMerchantClient is one entry of merchant-clients.json: the public
// key in the Developer Center's bare base64.
type storedMerchantClient struct {
	ClientID  string `json:"clientId"`
	PublicKey string `json:"publicKey"`
}

// loadMerchantClients reads merchant-clients.json (none when missing).
func loadMerchantClients(d dataDir) ([]simulator.MerchantClient, error) {
	raw, err := os.ReadFile(d.merchantClientsPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var stored []storedMerchantClient
	if err := json.Unmarshal(raw, &stored); err != nil {
		return nil, fmt.Errorf("%s is not a list of merchant clients: %v (fix or delete it)", d.merchantClientsPath(), err)
	}
	out := make([]simulator.MerchantClient, 0, len(stored))
	for _, s := range stored {
		if err := simulator.CheckClientID(s.ClientID); err != nil {
			return nil, fmt.Errorf("%s: %v", d.merchantClientsPath(), err)
		}
		pub, err := alipayplus.ParsePublicKey([]byte(s.PublicKey))
		if err != nil {
			return nil, fmt.Errorf("%s: merchant client %s: %v", d.merchantClientsPath(), s.ClientID, err)
		}
		out = append(out, simulator.MerchantClient{ClientID: s.ClientID, PublicKey: pub, PublicKeyBase64: alipayplus.PublicKeyBase64(pub)})
	}
	return out, nil
}

// saveMerchantClients writes merchant-clients.json atomically, by Client-Id.
func saveMerchantClients(d dataDir, clients []simulator.MerchantClient) error {
	stored := make([]storedMerchantClient, 0, len(clients))
	for _, c := range clients {
		stored = append(stored, storedMerchantClient{ClientID: c.ClientID, PublicKey: alipayplus.PublicKeyBase64(c.PublicKey)})
	}
	sort.Slice(stored, func(i, j int) bool { return stored[i].ClientID < stored[j].ClientID })
	raw, err := json.MarshalIndent(stored, "", "  ")
	if err != nil {
		return err
	}
	return atomicfile.Write(d.merchantClientsPath(), append(raw, '\n'), 0o644)
}

// parseMerchantFlags pairs --merchant-client-id and --merchant-public-key
// in the order given and loads the keys, before anything is written.
func parseMerchantFlags(ids, keyFiles []string) ([]simulator.MerchantClient, error) {
	if len(ids) != len(keyFiles) {
		return nil, usagef("sim", "--merchant-client-id and --merchant-public-key come in pairs: got %d Client-Id(s) and %d key(s)", len(ids), len(keyFiles))
	}
	seen := map[string]bool{}
	var out []simulator.MerchantClient
	for i, id := range ids {
		if err := simulator.CheckClientID(id); err != nil {
			return nil, usagef("sim", "--merchant-client-id: %v", err)
		}
		if seen[id] {
			return nil, usagef("sim", "--merchant-client-id %s is given twice", id)
		}
		seen[id] = true
		pub, err := alipayplus.LoadPublicKeyFile(keyFiles[i])
		if err != nil {
			return nil, usagef("sim", "--merchant-public-key for %s: %v", id, cleanErr(err))
		}
		out = append(out, simulator.MerchantClient{ClientID: id, PublicKey: pub, PublicKeyBase64: alipayplus.PublicKeyBase64(pub)})
	}
	return out, nil
}

// mergeMerchantClients adds the new clients to the stored ones (a Client-Id
// given again gets its new key) and saves the list when it changed.
func mergeMerchantClients(d dataDir, added []simulator.MerchantClient) ([]simulator.MerchantClient, error) {
	stored, err := loadMerchantClients(d)
	if err != nil {
		return nil, err
	}
	if len(added) == 0 {
		return stored, nil
	}
	byID := map[string]simulator.MerchantClient{}
	for _, c := range stored {
		byID[c.ClientID] = c
	}
	for _, c := range added {
		byID[c.ClientID] = c
	}
	merged := make([]simulator.MerchantClient, 0, len(byID))
	for _, c := range byID {
		merged = append(merged, c)
	}
	sort.Slice(merged, func(i, j int) bool { return merged[i].ClientID < merged[j].ClientID })
	if err := saveMerchantClients(d, merged); err != nil {
		return nil, fmt.Errorf("cannot remember the merchant clients: %w", unwrapPathError(err))
	}
	return merged, nil
}

// registerMerchantClients tells a simulator its merchant clients.
func registerMerchantClients(sim *simulator.Simulator, clients []simulator.MerchantClient) error {
	for _, c := range clients {
		if err := sim.RegisterMerchantClient(c.ClientID, c.PublicKey); err != nil {
			return err
		}
	}
	return nil
}
