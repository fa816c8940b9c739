package sqlite_test

import (
	"bytes"
	"os"
	"os/exec"
	"sync"
	"testing"

	"github.com/mppwallet/mppwallet/wallet"
)

// childEnv, when set, makes TestCrossProcessUpdates act as a child process
// incrementing the user in the database file it names.
const childEnv = "WALLET_SQLITE_TEST_CHILD_DB"

// perProcess is how many increments each process makes.
const perProcess = 25

// incrementMany runs perProcess concurrent increments of u1 on st.
func incrementMany(t *testing.T, st wallet.Store) {
	t.Helper()
	var wg sync.WaitGroup
	for range perProcess {
		wg.Go(func() {
			if err := st.Update(t.Context(), increment("u1")); err != nil {
				t.Errorf("Update: %v", err)
			}
		})
	}
	wg.Wait()
}

func TestCrossProcessUpdates(t *testing.T) {
	if path := os.Getenv(childEnv); path != "" {
		incrementMany(t, openAt(t, path))
		return
	}
	st, path := open(t)
	start := fullUser("u1")
	update(t, st, func(tx wallet.Tx) error { return tx.InsertUser(start) })

	const children = 2
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	for range children {
		cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^TestCrossProcessUpdates$", "-test.count=1")
		cmd.Env = append(os.Environ(), childEnv+"="+path)
		out := new(bytes.Buffer)
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs = append(cmds, cmd), append(outs, out)
	}
	incrementMany(t, st)
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("child %d: %v\n%s", i, err, outs[i])
		}
	}

	view(t, st, func(tx wallet.Tx) error {
		u, err := tx.User("u1")
		if got, want := u.Balance.Minor-start.Balance.Minor, int64((children+1)*perProcess); got != want {
			t.Errorf("balance grew by %d, want %d", got, want)
		}
		return err
	})
}
