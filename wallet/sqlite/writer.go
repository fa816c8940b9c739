package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mppwallet/mppwallet/wallet"
)

// maxBatch is the most Update functions committed in one transaction.
const maxBatch = 64

// errClosed is what Update returns once the store is closed.
var errClosed = errors.New("sqlite: the store is closed")

// writer runs the Update functions on the single writing connection. When
// several are waiting, it runs them one after the other in one transaction,
// each inside a savepoint, and commits once (group commit): the commit
// (writing the changed pages to the WAL, taking and dropping the locks) is
// most of a write's cost, and the queued functions share it. Each caller
// is answered only after the commit, so an answered Update is as durable
// as before; a function that fails rolls back to its savepoint and leaves
// the others alone; a failed commit fails every function of the batch. The
// functions still run strictly one at a time, in arrival order, each
// seeing the writes of those before it: the same as separate transactions.
type writer struct {
	// conn is the writing connection, held for the store's life; its
	// statements, BEGIN IMMEDIATE and COMMIT included, are prepared once.
	conn  *sql.Conn
	stmts *stmtCache
	// checkpoint asks for a checkpoint; it is called every
	// checkpointEvery commits.
	checkpoint func()
	commits    int
	// ckpt asks the writer to finish a checkpoint between transactions
	// (checkpoint.go); the writer closes the channel it is given when done.
	ckpt    chan chan struct{}
	reqs    chan *writeReq
	closing chan struct{}
	stopped chan struct{}
}

// writeReq is one Update waiting for its result.
type writeReq struct {
	ctx      context.Context
	fn       func(wallet.Tx) error
	err      error
	panicked bool
	panicVal any
	done     chan struct{}
}

func newWriter(ctx context.Context, db *sql.DB, checkpoint func()) (*writer, error) {
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	stmts, err := prepare(ctx, conn, readQueries, writeQueries)
	if err != nil {
		conn.Close()
		return nil, err
	}
	w := &writer{conn: conn, stmts: stmts, checkpoint: checkpoint, ckpt: make(chan chan struct{}), reqs: make(chan *writeReq),
		closing: make(chan struct{}), stopped: make(chan struct{})}
	go w.loop()
	return w, nil
}

// update hands fn to the writer and waits for its result; a panic in fn
// continues in the caller.
func (w *writer) update(ctx context.Context, fn func(wallet.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &writeReq{ctx: ctx, fn: fn, done: make(chan struct{})}
	select {
	case w.reqs <- r:
	case <-w.closing:
		return errClosed
	case <-ctx.Done():
		return ctx.Err()
	}
	<-r.done // the writer always answers, after the commit
	if r.panicked {
		panic(r.panicVal)
	}
	return r.err
}

// close stops the writer once the batch it runs is committed and releases
// its connection.
func (w *writer) close() error {
	select {
	case <-w.closing:
		return nil // closed before
	default:
		close(w.closing)
	}
	<-w.stopped
	return errors.Join(w.stmts.close(), w.conn.Close())
}

func (w *writer) loop() {
	defer close(w.stopped)
	for {
		var batch []*writeReq
		select {
		case r := <-w.reqs:
			batch = append(batch, r)
		case done := <-w.ckpt:
			w.finishCheckpoint()
			close(done)
			continue
		case <-w.closing:
			return
		}
	more: // everyone who queued while the last batch ran
		for len(batch) < maxBatch {
			select {
			case r := <-w.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		w.run(batch)
		for _, r := range batch {
			close(r.done)
		}
	}
}

// run runs a batch in one transaction and sets every request's result.
func (w *writer) run(batch []*writeReq) {
	// The transaction is not tied to any caller's context: one caller
	// giving up must not roll back the others' writes.
	bg := context.Background()
	if _, err := w.stmts.get(qBegin).ExecContext(bg); err != nil {
		for _, r := range batch {
			r.err = fmt.Errorf("sqlite: begin: %w", err)
		}
		return
	}
	savepoints := len(batch) > 1
	var ok []*writeReq
	for i, r := range batch {
		if err := r.ctx.Err(); err != nil {
			r.err = err // gave up before its turn: fn never runs
			continue
		}
		x := &tx{ctx: context.WithoutCancel(r.ctx), q: w.conn, stmt: w.stmts.get}
		if savepoints {
			if _, err := x.exec(qSavepoint); err != nil {
				w.abort(batch[i:], ok, err)
				return
			}
		}
		r.panicked, r.panicVal, r.err = call(r.fn, x)
		if r.err == nil && !r.panicked {
			if savepoints {
				if _, err := x.exec(qRelease); err != nil {
					w.abort(batch[i:], ok, err)
					return
				}
			}
			ok = append(ok, r)
			continue
		}
		if !savepoints {
			w.rollback()
			return
		}
		if _, err := x.exec(qRollbackTo); err != nil {
			w.abort(batch[i+1:], ok, err)
			return
		}
		if _, err := x.exec(qRelease); err != nil {
			w.abort(batch[i+1:], ok, err)
			return
		}
	}
	if len(ok) == 0 {
		w.rollback()
		return
	}
	if _, err := w.stmts.get(qCommit).ExecContext(bg); err != nil {
		w.rollback() // if SQLite left the transaction open
		for _, r := range ok {
			r.err = fmt.Errorf("sqlite: commit: %w", err)
		}
		return
	}
	if w.commits++; w.commits >= checkpointEvery {
		w.commits = 0
		w.checkpoint()
	}
}

// finishCheckpoint checkpoints what the background checkpoint left (the
// few pages committed while it ran): between transactions nothing new is
// written meanwhile, so the whole WAL is copied back and the next write
// transaction starts the WAL over from its beginning. Without this the WAL
// would grow for as long as writes keep coming.
func (w *writer) finishCheckpoint() {
	ctx, cancel := context.WithTimeout(context.Background(), checkpointTimeout)
	defer cancel()
	var busy, log, done int
	_ = w.stmts.get(qCheckpoint).QueryRowContext(ctx).Scan(&busy, &log, &done)
}

// finish hands finishCheckpoint to the writer's goroutine and waits for it
// (or for the writer to stop).
func (w *writer) finish() {
	done := make(chan struct{})
	select {
	case w.ckpt <- done:
		<-done
	case <-w.closing:
	}
}

// rollback ends the transaction, undoing it. An error means there was no
// transaction left to undo.
func (w *writer) rollback() {
	_, _ = w.stmts.get(qRollback).ExecContext(context.Background())
}

// abort rolls the whole transaction back after a savepoint could not be
// handled: the functions that had succeeded and those not yet run fail.
func (w *writer) abort(rest, ok []*writeReq, err error) {
	w.rollback()
	err = fmt.Errorf("sqlite: savepoint: %w", err)
	for _, r := range ok {
		r.err = err
	}
	for _, r := range rest {
		if r.err == nil && !r.panicked {
			r.err = err
		}
	}
}

// call runs fn, turning a panic into a value to re-panic in the caller.
func call(fn func(wallet.Tx) error, x *tx) (panicked bool, val any, err error) {
	defer func() {
		if p := recover(); p != nil {
			panicked, val = true, p
		}
	}()
	return false, nil, fn(x)
}
