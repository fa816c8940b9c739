// Package antom holds the wire types of Antom's acquiring API for in-store
// payments: the API a merchant's POS or backend calls (pay with a scanned
// payment code, inquiryPayment, cancel, refund) and the notifyPayment its
// paymentNotifyUrl receives. It is the API Alipay's own merchant SDKs
// (github.com/alipay/global-open-sdk-go and its Java, Python, PHP and .NET
// siblings) speak. The envelope is Alipay+'s: the same signing, headers and
// result object (package alipayplus), except that the SDKs send
// Request-Time as epoch milliseconds.
package antom
