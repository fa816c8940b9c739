// Package sqlite stores the wallet in a SQLite database file, using the pure
// Go driver modernc.org/sqlite.
//
// The database runs in WAL mode with a busy timeout, so several processes
// may open the same file at once: a command-line tool adding a user while a
// server runs. Writes go through a single connection whose transactions
// start with BEGIN IMMEDIATE, so each Update holds the write lock from its
// first statement and concurrent read-modify-write cycles are serialised.
// Reads (View and the listing methods) use a separate pool of read-only
// connections and never wait for writers.
//
//	st, err := sqlite.Open("wallet.db")
//	if err != nil { ... }
//	defer st.Close()
//	svc := wallet.NewService(st)
package sqlite
