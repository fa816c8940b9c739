package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mppwallet/mppwallet/internal/money"
	"github.com/mppwallet/mppwallet/wallet"
	"github.com/mppwallet/mppwallet/wallet/sqlite"
)

// benchService is a wallet on a fresh file with one rich user.
func benchService(b *testing.B) *wallet.Service {
	b.Helper()
	st, err := sqlite.Open(filepath.Join(b.TempDir(), "wallet.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	svc := wallet.NewService(st)
	if _, err := svc.AddUser(context.Background(), wallet.User{ID: "alice", Balance: money.Money{Currency: "USD", Minor: 1 << 50},
		KYCVerified: true}); err != nil {
		b.Fatal(err)
	}
	return svc
}

func benchOrder(i int64) wallet.PayOrder {
	m := money.Money{Currency: "USD", Minor: 100}
	return wallet.PayOrder{RequestID: fmt.Sprintf("PR-%d", i), CustomerID: "alice", Mode: wallet.ModeUPM,
		CodeValue: fmt.Sprintf("2599990200%014d", i), Amount: m, PaymentAmount: m,
		Merchant: wallet.Merchant{ID: "M1", Name: "UGG", StoreName: "UGG-2"}, OrderID: "O1", AcquirerID: "A1", PSPID: "P1"}
}

// BenchmarkLedgerPay is the ledger's part of a payment: one write
// transaction (read the payment, the closed mark and the user, debit, add
// the entry, insert the payment) committed to the WAL.
func BenchmarkLedgerPay(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	var i int64
	b.ReportAllocs()
	for b.Loop() {
		i++
		if p, err := svc.Pay(ctx, benchOrder(i)); err != nil || p.Status != wallet.StatusSucceeded {
			b.Fatalf("pay: %v %v", p.Status, err)
		}
	}
}

// BenchmarkLedgerPayLatency reports the spread of the same transaction's
// latency: a checkpoint inside a commit (two fsyncs) shows at p99.
func BenchmarkLedgerPayLatency(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if p, err := svc.Pay(ctx, benchOrder(int64(i+1))); err != nil || p.Status != wallet.StatusSucceeded {
			b.Fatalf("pay: %v %v", p.Status, err)
		}
		lat = append(lat, time.Since(start))
	}
	slices.Sort(lat)
	at := func(p float64) float64 { return float64(lat[min(len(lat)-1, int(float64(len(lat))*p))].Microseconds()) }
	b.ReportMetric(at(0.50), "p50-µs")
	b.ReportMetric(at(0.99), "p99-µs")
}

// BenchmarkLedgerPayParallel is the same from every core at once: the
// single writer serialises the transactions.
func BenchmarkLedgerPayParallel(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	var n atomic.Int64
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if p, err := svc.Pay(ctx, benchOrder(n.Add(1))); err != nil || p.Status != wallet.StatusSucceeded {
				b.Errorf("pay: %v %v", p.Status, err)
				return
			}
		}
	})
}

// BenchmarkLedgerUser is one read of a user (a View transaction).
func BenchmarkLedgerUser(b *testing.B) {
	svc := benchService(b)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := svc.User(ctx, "alice"); err != nil {
			b.Fatal(err)
		}
	}
}
