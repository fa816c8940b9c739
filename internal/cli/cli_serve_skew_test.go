package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/alipayplus"
)

// serve --max-clock-skew refuses a pay signed with a Request-Time too far
// from its clock (PARAM_ILLEGAL, nothing debited); without it any
// Request-Time whose signature verifies is taken.
func TestServeMaxClockSkew(t *testing.T) {
	cases := []struct {
		age     time.Duration // how far the Request-Time is behind the server's clock
		refused bool
	}{
		{0, false},
		{10 * time.Minute, true},
		{-10 * time.Minute, true}, // ahead
		{30 * time.Second, false},
	}
	for _, flags := range [][]string{nil, {"--max-clock-skew", "1m"}} {
		t.Run(fmt.Sprint(flags), func(t *testing.T) {
			dir := cliDataDir(t)
			cliAddUser(t, dir, "--id", "alice", "--balance", "100.00")
			s := cliStartServe(t, dir, flags...)
			paid := int64(0)
			for i, c := range cases {
				refused := c.refused && flags != nil
				client := s.alipayClient(t, dir, alipayplus.WithClock(func() time.Time { return time.Now().Add(-c.age) }),
					alipayplus.WithRetry(alipayplus.Retry{Deadline: 0, Initial: time.Millisecond, Max: time.Millisecond}))
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				_, err := client.Pay(ctx, cliPayRequest(fmt.Sprintf("pr-skew-%d", i), "alice", "100"))
				cancel()
				var apErr *alipayplus.Error
				switch {
				case refused && (!errors.As(err, &apErr) || apErr.Status != "F" || apErr.Code != alipayplus.CodeParamIllegal):
					t.Errorf("Request-Time %s old: err %v, want F PARAM_ILLEGAL", c.age, err)
				case !refused && err != nil:
					t.Errorf("Request-Time %s old: err %v, want paid", c.age, err)
				case !refused:
					paid += 100
				}
			}
			want := strconv.FormatInt(10000-paid, 10)
			if b := cliSimBalance(t, dir, "alice"); !cliAmountIs(b, "USD", want) {
				t.Errorf("balance %+v, want USD %s (a refused pay debits nothing)", b, want)
			}
		})
	}
}
