// Package simulator is an Alipay+ network in a box: the Alipay+ side of the
// MPP APIs (getPaymentCode, inquiryCodeRules, userInitiatedPay,
// notifyPayment), a simulated acquirer (ACQP) that issues private order
// codes and answers Alipay+'s userInitiatedPay, and merchant tools that
// charge a payment code or create an order. It drives a wallet (ours, or
// any MPP server under test) over HTTP only, exactly as Alipay+ would:
// signed pay requests, inquiry at growing intervals, cancel at expiry.
//
// Faults can be injected per API (forced results, latency, dropped or
// duplicated messages, corrupt signatures), by rule or by magic amounts;
// every exchange goes to a transcript with a conformance verdict.
package simulator
