package chart

import (
	"fmt"
	"strings"
)

// Bar geometry, in SVG user units.
const (
	barsWidth     = 480
	barsRow       = 24
	barsThickness = 14
	barsTop       = 8
	barsValueRoom = 72 // after the longest bar, for its value
	maxLabelChars = 24
)

// Bars draws c as a small horizontal bar chart, one bar per point in the
// given order, its value written at its end; a point without data says
// so instead of drawing a zero bar. The target is a dashed vertical line.
func Bars(c Chart) []byte {
	n := len(c.Points)
	labelW := 0
	for _, p := range c.Points {
		labelW = max(labelW, labelWidth(shorten(p.Label)))
	}
	x0 := labelW + 16
	pw := float64(barsWidth - x0 - barsValueRoom)
	h := barsTop + n*barsRow + 8
	if c.Target != nil {
		h += 18
	}
	var b strings.Builder
	svgOpen(&b, c, barsWidth, h)
	sc := newScale(c)
	w := func(v float64) float64 { return max(v, 0) / sc.max * pw }

	// The target goes first so that bars and values are drawn over it.
	if c.Target != nil {
		tx := float64(x0) + w(*c.Target)
		bottom := barsTop + n*barsRow
		fmt.Fprintf(&b, `<line x1="%s" x2="%s" y1="%d" y2="%d" stroke="%s" stroke-width="2" stroke-dasharray="4 3"/>`+"\n",
			f(tx), f(tx), barsTop-4, bottom+4, targetColor)
		fmt.Fprintf(&b, `<text x="%s" y="%d" text-anchor="middle" fill="%s">%s</text>`+"\n", f(tx), bottom+20, targetColor, escape(targetLabel(c)))
	}
	fmt.Fprintf(&b, `<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s"/>`+"\n", x0, x0, barsTop, barsTop+n*barsRow, axisColour)
	for i, p := range c.Points {
		top := barsTop + i*barsRow
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end" fill="%s">%s</text>`+"\n", x0-8, top+16, textColour, escape(shorten(p.Label)))
		if p.Value == nil {
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="%s">%s</text>`+"\n", x0+6, top+16, axisColour, NoData)
			continue
		}
		v := Format(*p.Value, c.Unit)
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%s" height="%d" fill="%s"><title>%s: %s</title></rect>`+"\n",
			x0, top+(barsRow-barsThickness)/2, f(w(*p.Value)), barsThickness, seriesColor, escape(p.Label), escape(v))
		fmt.Fprintf(&b, `<text x="%s" y="%d" fill="%s">%s</text>`+"\n", f(float64(x0)+w(*p.Value)+6), top+16, textColour, escape(v))
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

// shorten cuts long labels so the bars keep their room; the bar's tooltip
// and the table keep the whole label.
func shorten(s string) string {
	r := []rune(s)
	if len(r) <= maxLabelChars {
		return s
	}
	return string(r[:maxLabelChars-1]) + "…"
}

// labelWidth estimates the width of s at 12 px: wide scripts take about a
// full em, Latin text a little over half.
func labelWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x1100 && r <= 0x115F || r >= 0x2E80 { // Hangul Jamo, CJK and after
			w += 12
		} else {
			w += 7
		}
	}
	return w
}
