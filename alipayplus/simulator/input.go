package simulator

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// maxOrderValidity is the longest an order code can be paid.
const maxOrderValidity = 24 * time.Hour

// checkOrderFields refuses what a till typed that an Alipay+ message cannot
// carry (the Order model's lengths), before anything is spent or stored:
// otherwise the wallet would refuse the pay with PARAM_ILLEGAL and the
// customer's code would be gone.
func checkOrderFields(description, orderID string, m Merchant) error {
	for _, f := range []struct {
		name, value string
		max         int
	}{
		{"the description (orderDescription)", description, 256},
		{"the order id (referenceOrderId)", orderID, 64},
		{"the merchant name", m.Name, 256},
		{"the merchant id", m.ID, 64},
		{"the merchant's MCC", m.MCC, 32},
		{"the store id", m.StoreID, 64},
		{"the store name", m.StoreName, 256},
		{"the terminal id", m.TerminalID, 64},
		{"the city", m.City, 128},
	} {
		if utf8.RuneCountInString(f.value) > f.max {
			return fmt.Errorf("%s is longer than %d characters", f.name, f.max)
		}
	}
	if m.Region != "" && len(m.Region) != 2 {
		return fmt.Errorf("the merchant's region %q: want a 2-letter ISO 3166 code", m.Region)
	}
	return nil
}
