package main

import (
	"context"
	"os"
	"testing"
)

// TestMain lets the test binary play the app's own process of 'mppwallet
// bench' (its peak-RSS run re-executes the program): with the child's
// environment variable set it runs the command line instead of the tests.
func TestMain(m *testing.M) {
	if os.Getenv(benchAppChildEnv) != "" {
		os.Exit(run(context.Background(), os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}
