package mpp

import (
	"github.com/mppwallet/mppwallet/alipayplus"
	"github.com/mppwallet/mppwallet/wallet"
)

// MerchantOf converts the wire merchant (and its store) to the wallet's;
// nil gives the zero Merchant.
func MerchantOf(m *alipayplus.Merchant) wallet.Merchant {
	if m == nil {
		return wallet.Merchant{}
	}
	w := wallet.Merchant{ID: m.ReferenceMerchantID, Name: m.MerchantName, MCC: m.MerchantMCC}
	if m.MerchantAddress != nil {
		w.Region = m.MerchantAddress.Region
	}
	if st := m.Store; st != nil {
		w.StoreID, w.StoreName = st.ReferenceStoreID, st.StoreName
	}
	return w
}
