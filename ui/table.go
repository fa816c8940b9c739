package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"
)

// col is a colTable column: its title, its width and the width it may shrink
// to, right alignment, and when it goes on a narrow window: drop 1 goes
// first, then 2, ...; 0 never. Only a column with a min shrinks. A last
// column of width 0 takes what is
// left (at least min).
type col struct {
	title  string
	w, min int
	right  bool
	drop   int
}

// colTable is columns fitted to a width: the least useful columns shrink,
// then go, so every row fits the window and what is left is readable.
type colTable struct {
	cols  []col
	keep  []int // indices into cols, in order
	width []int // by keep
	max   int
}

// fitTable lays cols out in width columns, one space between them.
func fitTable(width int, cols ...col) colTable { return fitColumns(width, 1, cols...) }

// fitColumns lays cols out in width columns, sep columns between them.
func fitColumns(width, sep int, cols ...col) colTable {
	t := colTable{cols: cols, max: width}
	for i := range cols {
		t.keep = append(t.keep, i)
	}
	widths := func() []int {
		out := make([]int, len(t.keep))
		for j, i := range t.keep {
			out[j] = cols[i].w
			if cols[i].w == 0 {
				out[j] = cols[i].min
			}
		}
		return out
	}
	total := func(ws []int) int {
		n := (len(ws) - 1) * sep
		for _, w := range ws {
			n += w
		}
		return n
	}
	ws := widths()
	// Shrink what may shrink, then drop columns in their order.
	for j, i := range t.keep {
		if over := total(ws) - width; over > 0 && cols[i].min > 0 && cols[i].w > cols[i].min {
			ws[j] = max(cols[i].min, ws[j]-over)
		}
	}
	for total(ws) > width {
		victim := -1
		for j, i := range t.keep {
			if d := cols[i].drop; d > 0 && (victim < 0 || d < cols[t.keep[victim]].drop) {
				victim = j
			}
		}
		if victim < 0 {
			break
		}
		t.keep = append(t.keep[:victim:victim], t.keep[victim+1:]...)
		ws = append(ws[:victim:victim], ws[victim+1:]...)
	}
	// What a drop freed goes back to the columns that shrank.
	for j, i := range t.keep {
		if spare := width - total(ws); spare > 0 && cols[i].w > ws[j] {
			ws[j] += min(spare, cols[i].w-ws[j])
		}
	}
	if n := len(t.keep); n > 0 && cols[t.keep[n-1]].w == 0 {
		ws[n-1] = max(cols[t.keep[n-1]].min, width-(total(ws)-ws[n-1]))
	}
	t.width = ws
	return t
}

// header is the titles' row.
func (t colTable) header() string {
	titles := make([]string, len(t.cols))
	for i, c := range t.cols {
		titles[i] = c.title
	}
	return t.row(titles...)
}

// row lays cells (one per column, in the columns' order) out: each cut to
// its column's width, padded, and the row cut to the colTable's width.
func (t colTable) row(cells ...string) string {
	var b strings.Builder
	for j, i := range t.keep {
		if j > 0 {
			b.WriteByte(' ')
		}
		v := ""
		if i < len(cells) {
			v = cells[i]
		}
		w := t.width[j]
		v = ansi.Truncate(v, w, "…")
		pad := strings.Repeat(" ", max(0, w-ansi.StringWidth(v)))
		last := j == len(t.keep)-1
		switch {
		case t.cols[i].right:
			b.WriteString(pad + v)
		case last:
			b.WriteString(v)
		default:
			b.WriteString(v + pad)
		}
	}
	return ansi.Truncate(b.String(), max(t.max, 1), "…")
}
