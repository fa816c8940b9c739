package sqlite

import (
	"context"
	"database/sql"
	"time"
)

// checkpointEvery is how many commits the writer makes before it asks for
// a checkpoint: a payment changes about a dozen pages, so this is near
// the 1000 WAL pages at which SQLite would checkpoint by itself. Every
// finishEvery-th checkpoint is finished by the writer, so that the WAL
// starts over: it holds at most some 500 payments (about 25 MB). (Vars for
// the tests.)
var checkpointEvery, finishEvery = 64, 8

// checkpointTimeout bounds one checkpoint.
const checkpointTimeout = 30 * time.Second

// checkpointer copies the WAL back into the database file off the write
// path. SQLite's automatic checkpoint runs inside the commit that crosses
// 1000 WAL pages, copying them and syncing twice: that payment waited for
// the disk (the ledger's p99 was 40 times its median). The writer's
// connection has wal_autocheckpoint off and asks this goroutine instead. It
// runs a PASSIVE checkpoint on a reader connection, which blocks neither the
// writer nor the readers. While writes keep coming, such a checkpoint never
// quite catches up, and the WAL can only start over from its beginning
// once one has: so every finishEvery-th one is finished by the writer
// between two transactions (the few pages committed meanwhile; this one
// waits for the disk, once in some 500 payments), and the WAL stays small
// under any load. Durability is unchanged: with
// synchronous=NORMAL the WAL is synced at checkpoints, as before, and a
// process that is killed loses no committed transaction (they are in the
// WAL). When the last connection to the file closes, SQLite checkpoints
// what is left.
type checkpointer struct {
	db   *sql.DB
	kick chan struct{}
	stop chan struct{}
	done chan struct{}
	// finish completes a checkpoint on the writer's connection.
	finish func()
	// after, when set (tests), is called after each checkpoint.
	after func()
}

// newCheckpointer makes a checkpointer for the reader pool db; start it
// once the writer exists.
func newCheckpointer(db *sql.DB) *checkpointer {
	return &checkpointer{db: db, kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
}

// start runs the checkpointer; finish completes each checkpoint.
func (c *checkpointer) start(finish func()) {
	c.finish = finish
	go c.loop()
}

// ask requests a checkpoint without waiting (one pending ask is enough).
func (c *checkpointer) ask() {
	select {
	case c.kick <- struct{}{}:
	default:
	}
}

func (c *checkpointer) loop() {
	defer close(c.done)
	for n := 1; ; n++ {
		select {
		case <-c.kick:
			c.checkpoint(n%finishEvery == 0)
		case <-c.stop:
			return
		}
	}
}

// checkpoint runs one PASSIVE checkpoint, finished by the writer when
// finish is set; an error is left for the next one (the WAL only grows
// meanwhile).
func (c *checkpointer) checkpoint(finish bool) {
	ctx, cancel := context.WithTimeout(context.Background(), checkpointTimeout)
	defer cancel()
	var busy, log, done int
	_ = c.db.QueryRowContext(ctx, qCheckpoint).Scan(&busy, &log, &done)
	if finish {
		c.finish()
	}
	if c.after != nil {
		c.after()
	}
}

// close stops the checkpointer after the checkpoint it runs.
func (c *checkpointer) close() {
	select {
	case <-c.stop:
		return
	default:
		close(c.stop)
	}
	if c.finish != nil { // started
		<-c.done
	}
}
