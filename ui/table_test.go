package ui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
)

// TestTableFitsTheWindow: a table keeps every column where there is room,
// shrinks the flexible ones on a narrower window, then drops the least
// useful first; no row is wider than the window.
func TestTableFitsTheWindow(t *testing.T) {
	cols := []col{{title: "ID", w: 8}, {title: "Name", w: 20, min: 6}, {title: "Balance", w: 12, right: true},
		{title: "Status", w: 8, drop: 2}, {title: "Note", min: 6, drop: 1}}
	cells := []string{"alice", "Alice Wonderland-Smith", "1000.00 USD", "ACTIVE", "USER_BALANCE_NOT_ENOUGH"}
	for _, c := range []struct {
		width int
		want  []string // titles kept
	}{
		{90, []string{"ID", "Name", "Balance", "Status", "Note"}},
		{45, []string{"ID", "Name", "Balance", "Status", "Note"}},
		{40, []string{"ID", "Name", "Balance", "Status"}},
		{30, []string{"ID", "Name", "Balance"}},
	} {
		tb := fitTable(c.width, cols...)
		var got []string
		for _, i := range tb.keep {
			got = append(got, cols[i].title)
		}
		if strings.Join(got, ",") != strings.Join(c.want, ",") {
			t.Errorf("at %d columns kept %v, want %v", c.width, got, c.want)
		}
		for _, r := range []string{tb.header(), tb.row(cells...)} {
			if w := ansi.StringWidth(r); w > c.width {
				t.Errorf("at %d columns a row is %d wide: %q", c.width, w, r)
			}
		}
		if !strings.Contains(tb.row(cells...), "1000.00 USD") {
			t.Errorf("at %d columns the balance is cut: %q", c.width, tb.row(cells...))
		}
	}
}
