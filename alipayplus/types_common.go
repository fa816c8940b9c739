package alipayplus

// Env describes the user's device (getPaymentCode) or the store terminal.
type Env struct {
	TerminalType             string `json:"terminalType,omitempty"`
	OSType                   string `json:"osType,omitempty"`
	DeviceTokenID            string `json:"deviceTokenId,omitempty"`
	ClientIP                 string `json:"clientIp,omitempty"`
	CookieID                 string `json:"cookieId,omitempty"`
	UserAgent                string `json:"userAgent,omitempty"`
	StoreTerminalID          string `json:"storeTerminalId,omitempty"`
	StoreTerminalRequestTime string `json:"storeTerminalRequestTime,omitempty"`
}

// Address is a merchant or store address.
type Address struct {
	Region   string `json:"region,omitempty"`
	State    string `json:"state,omitempty"`
	City     string `json:"city,omitempty"`
	Address1 string `json:"address1,omitempty"`
	Address2 string `json:"address2,omitempty"`
	ZipCode  string `json:"zipCode,omitempty"`
}

// Store is the merchant's shop where the payment happens.
type Store struct {
	ReferenceStoreID string   `json:"referenceStoreId,omitempty"`
	StoreName        string   `json:"storeName,omitempty"`
	StoreMCC         string   `json:"storeMCC,omitempty"`
	StoreDisplayName string   `json:"storeDisplayName,omitempty"`
	StoreTerminalID  string   `json:"storeTerminalId,omitempty"`
	StoreOperatorID  string   `json:"storeOperatorId,omitempty"`
	StorePhoneNo     string   `json:"storePhoneNo,omitempty"`
	StoreAddress     *Address `json:"storeAddress,omitempty"`
}

// Merchant is who is paid.
type Merchant struct {
	ReferenceMerchantID  string   `json:"referenceMerchantId,omitempty"`
	MerchantMCC          string   `json:"merchantMCC,omitempty"`
	MerchantName         string   `json:"merchantName,omitempty"`
	MerchantDisplayName  string   `json:"merchantDisplayName,omitempty"`
	MerchantAddress      *Address `json:"merchantAddress,omitempty"`
	MerchantRegisterDate string   `json:"merchantRegisterDate,omitempty"`
	Store                *Store   `json:"store,omitempty"`
}

// Goods is one line of an order.
type Goods struct {
	ReferenceGoodsID string  `json:"referenceGoodsId,omitempty"`
	GoodsName        string  `json:"goodsName,omitempty"`
	GoodsCategory    string  `json:"goodsCategory,omitempty"`
	GoodsBrand       string  `json:"goodsBrand,omitempty"`
	GoodsUnitAmount  *Amount `json:"goodsUnitAmount,omitempty"`
	GoodsQuantity    string  `json:"goodsQuantity,omitempty"`
}

// Order is what the buyer and the merchant agreed.
type Order struct {
	ReferenceOrderID string    `json:"referenceOrderId,omitempty"`
	OrderDescription string    `json:"orderDescription,omitempty"`
	OrderAmount      *Amount   `json:"orderAmount,omitempty"`
	Merchant         *Merchant `json:"merchant,omitempty"`
	Goods            []Goods   `json:"goods,omitempty"`
	Env              *Env      `json:"env,omitempty"`
}

// Quote is an FX rate between two currencies.
type Quote struct {
	QuoteID           string `json:"quoteId,omitempty"`
	QuoteCurrencyPair string `json:"quoteCurrencyPair,omitempty"`
	QuotePrice        string `json:"quotePrice,omitempty"`
	QuoteStartTime    string `json:"quoteStartTime,omitempty"`
	QuoteExpiryTime   string `json:"quoteExpiryTime,omitempty"`
	BaseCurrency      string `json:"baseCurrency,omitempty"`
	QuoteUnit         string `json:"quoteUnit,omitempty"`
}

// PaymentMethod says how the user pays: CONNECT_WALLET with the payment
// code (UPM) as paymentMethodId.
type PaymentMethod struct {
	PaymentMethodType string `json:"paymentMethodType,omitempty"`
	PaymentMethodID   string `json:"paymentMethodId,omitempty"`
	CustomerID        string `json:"customerId,omitempty"`
}

// PaymentMethodConnectWallet is the only payment method type of the MPP APIs.
const PaymentMethodConnectWallet = "CONNECT_WALLET"

// PaymentFactor flags the payment scenario.
type PaymentFactor struct {
	IsInStorePayment       string `json:"isInStorePayment,omitempty"`
	IsCashierPayment       string `json:"isCashierPayment,omitempty"`
	InStorePaymentScenario string `json:"inStorePaymentScenario,omitempty"`
	IsAgreementPayment     string `json:"isAgreementPayment,omitempty"`
	IsPaymentEvaluation    string `json:"isPaymentEvaluation,omitempty"`
}

// SettlementStrategy names the settlement currency.
type SettlementStrategy struct {
	SettlementCurrency string `json:"settlementCurrency,omitempty"`
}

// SurchargeInfo is a surcharge added to the payment.
type SurchargeInfo struct {
	SurchargeAmount *Amount `json:"surchargeAmount,omitempty"`
	SurchargeQuote  *Quote  `json:"surchargeQuote,omitempty"`
}

// PromoDetail is one promotion applied to a payment.
type PromoDetail struct {
	PromoID       string  `json:"promoId,omitempty"`
	PromoName     string  `json:"promoName,omitempty"`
	PromoType     string  `json:"promoType,omitempty"`
	SavingsAmount *Amount `json:"savingsAmount,omitempty"`
}

// PaymentPromoInfo lists promotions.
type PaymentPromoInfo struct {
	PaymentPromoDetails []PromoDetail `json:"paymentPromoDetails,omitempty"`
}

// IndirectMpp identifies an indirect MPP (getPaymentCode).
type IndirectMpp struct {
	IndirectMppID   string `json:"indirectMppId,omitempty"`
	IndirectMppName string `json:"indirectMppName,omitempty"`
}
