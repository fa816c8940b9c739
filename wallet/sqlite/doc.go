// Package sqlite stores the wallet in a SQLite database file, using the pure
// Go driver modernc.org/sqlite.
//
// The database runs in WAL mode with a busy timeout, so several processes
// may open the same file at once: a command-line tool adding a user while a
// server runs. Writes go through a single connection whose transactions
// start with BEGIN IMMEDIATE, so each Update holds the write lock from its
// first statement and concurrent read-modify-write cycles are serialised.
// Updates that queue up while one runs are committed together (group
// commit), each in its own savepoint so it stands or falls alone; every
// Update returns only after its commit. Statements are prepared once.
//
// Durability: synchronous=NORMAL in WAL mode. A commit is written to the
// WAL before Update returns, so it survives the process being killed
// (SIGKILL, a crash); the WAL is synced at checkpoints, so a power loss or
// kernel crash may lose the last commits before one (never corrupting the
// file). FULL would sync the WAL at every commit, which costs a disk flush
// per payment.
// Reads (View and the listing methods) use a separate pool of read-only
// connections and never wait for writers.
//
//	st, err := sqlite.Open("wallet.db")
//	if err != nil { ... }
//	defer st.Close()
//	svc := wallet.NewService(st)
package sqlite
