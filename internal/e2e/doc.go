// Package e2e holds end-to-end tests of the two sides of the network: the
// Alipay+ simulator (alipayplus/simulator) driving a real wallet server
// (internal/mpp over wallet and its SQLite ledger) on loopback, each with
// its real client. They live here, outside alipayplus/, because they need
// the wallet, which the protocol packages never import. The package has no
// code of its own.
package e2e
