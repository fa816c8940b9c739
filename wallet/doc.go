// Package wallet is the domain of mppwallet: users and their balances, money in
// integer minor units, payments, refunds, the ledger of balance movements and
// the rules that decide whether a payment may go through.
//
// It imports only the standard library. Storage sits behind the Store
// interface (see the sqlite subpackage); time comes from a Clock, so every
// rule is testable without sleeping.
//
//	svc := wallet.NewService(store, wallet.WithClock(clock))
//	p, err := svc.Pay(ctx, wallet.PayOrder{...})
package wallet
