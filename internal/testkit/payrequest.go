package testkit

import "github.com/mppwallet/mppwallet/alipayplus"

// PayRequest is the seed's UPM pay sample (customer pays 100 JPY as 1000
// KRW) under the given paymentRequestId.
func PayRequest(id, customer string) *alipayplus.PayRequest {
	return &alipayplus.PayRequest{
		AcquirerID: "1022188000000000001", PSPID: "1022172000000000001",
		Order: &alipayplus.Order{
			ReferenceOrderID: "OrderID_0101010001", OrderDescription: "SHOES",
			OrderAmount: &alipayplus.Amount{Currency: "JPY", Value: "100"},
			Merchant: &alipayplus.Merchant{
				ReferenceMerchantID: "M0000000001", MerchantMCC: "5411", MerchantName: "UGG",
				MerchantAddress: &alipayplus.Address{Region: "JP", City: "Tokyo"},
				Store:           &alipayplus.Store{ReferenceStoreID: "S0000000001", StoreName: "UGG-2", StoreMCC: "5411"},
			},
		},
		PaymentRequestID: id,
		PaymentAmount:    &alipayplus.Amount{Currency: "JPY", Value: "100"},
		PaymentMethod: &alipayplus.PaymentMethod{PaymentMethodType: "CONNECT_WALLET",
			PaymentMethodID: "281006020000000000125733", CustomerID: customer},
		PayToAmount:   &alipayplus.Amount{Currency: "KRW", Value: "1000"},
		PaymentQuote:  &alipayplus.Quote{QuoteID: "1234567", QuoteCurrencyPair: "JPY/KRW", QuotePrice: "10.0000"},
		PaymentFactor: &alipayplus.PaymentFactor{IsInStorePayment: "true", InStorePaymentScenario: "PaymentCode"},
	}
}
