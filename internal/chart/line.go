package chart

import (
	"fmt"
	"math"
	"strings"
)

// Line geometry, in SVG user units.
const (
	lineWidth   = 640
	lineHeight  = 260
	lineLeft    = 64 // room for value labels such as "45 min"
	lineRight   = 24
	lineTop     = 24
	lineBottom  = 40
	maxXLabels  = 12
	pointRadius = 3.5
)

// Line draws c as a line chart: one point per label (a month, say), in
// order, joined where consecutive points have data, with the target as a
// dashed reference line. Each point carries a tooltip with its value.
func Line(c Chart) []byte {
	var b strings.Builder
	svgOpen(&b, c, lineWidth, lineHeight)
	pw, ph := float64(lineWidth-lineLeft-lineRight), float64(lineHeight-lineTop-lineBottom)
	sc := newScale(c)
	n := len(c.Points)
	x := func(i int) float64 { return lineLeft + (float64(i)+0.5)*pw/float64(max(n, 1)) }
	y := func(v float64) float64 { return lineTop + ph - v/sc.max*ph }

	for _, t := range sc.ticks() {
		fmt.Fprintf(&b, `<line x1="%d" x2="%s" y1="%s" y2="%s" stroke="%s"/>`+"\n", lineLeft, f(lineLeft+pw), f(y(t)), f(y(t)), gridColour)
		fmt.Fprintf(&b, `<text x="%d" y="%s" text-anchor="end" fill="%s">%s</text>`+"\n", lineLeft-8, f(y(t)+4), textColour, escape(tickLabel(t, c.Unit)))
	}
	fmt.Fprintf(&b, `<line x1="%d" x2="%s" y1="%s" y2="%s" stroke="%s"/>`+"\n", lineLeft, f(lineLeft+pw), f(lineTop+ph), f(lineTop+ph), axisColour)
	every := int(math.Ceil(float64(n) / maxXLabels))
	for i, p := range c.Points {
		if i%every == 0 {
			fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="middle" fill="%s">%s</text>`+"\n", f(x(i)), f(lineTop+ph+18), textColour, escape(p.Label))
		}
	}

	if c.Target != nil {
		ty := y(*c.Target)
		fmt.Fprintf(&b, `<line x1="%d" x2="%s" y1="%s" y2="%s" stroke="%s" stroke-width="2" stroke-dasharray="6 4"/>`+"\n",
			lineLeft, f(lineLeft+pw), f(ty), f(ty), targetColor)
		fmt.Fprintf(&b, `<text x="%s" y="%s" text-anchor="end" fill="%s">%s</text>`+"\n", f(lineLeft+pw), f(ty-6), targetColor, escape(targetLabel(c)))
	}

	// Runs of consecutive points with data become one polyline each: a
	// month without data is a gap, not a drop to zero.
	var run []string
	flush := func() {
		if len(run) > 1 {
			fmt.Fprintf(&b, `<polyline fill="none" stroke="%s" stroke-width="2" points="%s"/>`+"\n", seriesColor, strings.Join(run, " "))
		}
		run = run[:0]
	}
	for i, p := range c.Points {
		if p.Value == nil {
			flush()
			continue
		}
		run = append(run, f(x(i))+","+f(y(*p.Value)))
	}
	flush()
	for i, p := range c.Points {
		if p.Value == nil {
			continue
		}
		fmt.Fprintf(&b, `<circle cx="%s" cy="%s" r="%v" fill="%s"><title>%s: %s</title></circle>`+"\n",
			f(x(i)), f(y(*p.Value)), pointRadius, seriesColor, escape(p.Label), escape(Format(*p.Value, c.Unit)))
	}
	b.WriteString("</svg>\n")
	return []byte(b.String())
}

func targetLabel(c Chart) string {
	if c.TargetLabel != "" {
		return c.TargetLabel
	}
	return "target " + Format(*c.Target, c.Unit)
}

// tickLabel writes an axis value; the origin is a bare 0, since "0 s"
// under "20 min" reads as a change of unit.
func tickLabel(v float64, u Unit) string {
	if v == 0 {
		return "0"
	}
	return Format(v, u)
}
