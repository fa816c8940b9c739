package render

// QRCellsScaled is [QRCells] with each module scale columns wide and scale
// half rows tall, so the code grows by whole modules (an integer module
// size) and stays square in 1:2 cells. Scale 1 is [QRCells] exactly; from
// scale 2 on, a cell whose two halves agree is background only, so the
// larger code has glyphs (and their possible seams) only where a module
// edge falls in the middle of a cell. A w×h grid takes w·scale columns and
// ceil(h·scale/2) rows.
func QRCellsScaled(g Grid, scale int) Cells {
	if scale <= 1 {
		return QRCells(g)
	}
	w, h := g.Size()
	c := newCells(w*scale, (h*scale+1)/2)
	for y := range c {
		for x := range c[y] {
			top, bottom := colorOf(g.dark(x/scale, 2*y/scale)), colorOf(g.dark(x/scale, (2*y+1)/scale))
			if 2*y+1 >= h*scale {
				bottom = White // the half row past the grid: quiet zone
			}
			if top == bottom {
				c[y][x] = solid(top)
				continue
			}
			c[y][x] = Cell{Rune: GlyphUpperHalf, FG: top, BG: bottom}
		}
	}
	return c
}

// QRFullCellsScaled is [QRFullCells] with each module 2·scale columns wide
// and scale rows tall: background-only cells, no glyph at any scale. A w×h
// grid takes 2w·scale columns and h·scale rows.
func QRFullCellsScaled(g Grid, scale int) Cells {
	if scale < 1 {
		scale = 1
	}
	w, h := g.Size()
	c := newCells(2*w*scale, h*scale)
	for y := range c {
		for x := range c[y] {
			c[y][x] = solid(colorOf(g.dark(x/(2*scale), y/scale)))
		}
	}
	return c
}

// LargestScale is the largest integer scale, from 1 to limit, at which
// size(scale) (a layout's width and height in cells) fits width×height; 1
// when none does, so the caller reports the smallest layout's size.
func LargestScale(size func(scale int) (w, h int), width, height, limit int) int {
	best := 1
	for s := 2; s <= limit; s++ {
		w, h := size(s)
		if w > width || h > height {
			break
		}
		best = s
	}
	return best
}
