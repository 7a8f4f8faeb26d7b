// Package chart draws the site's charts as SVG at build time, so they show
// with JavaScript off: a line chart of a KPI by month against its target,
// and a small horizontal bar chart comparing a few things. Every chart is
// an accessible image (role="img", labelled by its title and description)
// and comes with Table, the same data as rows a screen reader can walk.
//
// Output is deterministic: the same chart gives the same bytes, so pages
// do not change between builds when the data does not.
package chart

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// Unit says how values are measured and written.
type Unit int

const (
	// Count is a plain number.
	Count Unit = iota
	// Seconds is a duration, written in s, min or h.
	Seconds
	// Ratio is a share from 0 to 1, written as a percentage.
	Ratio
)

// Point is one labelled value. A nil Value means there is no data for the
// label: it is drawn as a gap and listed as "no data", never as zero.
type Point struct {
	Label string
	Value *float64
}

// Chart is what a chart shows; Line and Bars draw it, Table lists it.
type Chart struct {
	// ID identifies the chart on its page; the title and description ids
	// derive from it, so it must be unique there.
	ID    string
	Title string
	// Desc summarises the chart in a sentence or two for assistive
	// technology. When empty, a neutral summary is written from the data.
	Desc string
	Unit Unit
	// LabelHeader and ValueHeader head the table's columns, such as
	// "Month" and "MTTR".
	LabelHeader string
	ValueHeader string
	Points      []Point
	// Target, when set, is drawn as a dashed reference line labelled
	// TargetLabel ("target 30 min" when empty).
	Target      *float64
	TargetLabel string
}

// Colours. Text colours reach 4.5:1 against the white background and
// graphics 3:1 (WCAG 2.1 AA 1.4.3 and 1.4.11); chart_test.go checks it.
const (
	background  = "#ffffff"
	textColour  = "#1f2328"
	axisColour  = "#57606a"
	gridColour  = "#d0d7de" // decorative only: values are read from labels
	seriesColor = "#0b5cad"
	targetColor = "#b02a20"
)

// Format writes v in unit u as the chart and its table show it.
func Format(v float64, u Unit) string {
	switch u {
	case Seconds:
		a := math.Abs(v)
		switch {
		case a < 120:
			return num(v) + " s"
		case a < 2*3600:
			return num(v/60) + " min"
		default:
			return num(v/3600) + " h"
		}
	case Ratio:
		return num(v*100) + " %"
	}
	return num(v)
}

// num writes v with at most one decimal, and none when it is whole.
func num(v float64) string {
	r := math.Round(v*10) / 10
	if r == 0 {
		r = 0 // no "-0"
	}
	return strconv.FormatFloat(r, 'f', -1, 64)
}

// Row is one line of a chart's table.
type Row struct {
	Label string `json:"label"`
	// Value is formatted in the chart's unit, or "no data".
	Value string `json:"value"`
	// Raw is the value as measured, nil when there is none.
	Raw *float64 `json:"raw"`
}

// TableModel is a chart's data as a table, for screen readers and for
// anyone who prefers numbers to shapes.
type TableModel struct {
	Caption string    `json:"caption"`
	Headers [2]string `json:"headers"`
	Rows    []Row     `json:"rows"`
	// Target is the formatted target, "" when the chart has none.
	Target string `json:"target,omitempty"`
}

// NoData is what a table shows for a point without a value.
const NoData = "no data"

// Table returns the chart's data as rows of label and value.
func Table(c Chart) TableModel {
	t := TableModel{Caption: c.Title, Headers: [2]string{c.LabelHeader, c.ValueHeader}, Rows: []Row{}}
	for _, p := range c.Points {
		r := Row{Label: p.Label, Value: NoData, Raw: p.Value}
		if p.Value != nil {
			r.Value = Format(*p.Value, c.Unit)
		}
		t.Rows = append(t.Rows, r)
	}
	if c.Target != nil {
		t.Target = Format(*c.Target, c.Unit)
	}
	return t
}

// description is c.Desc, or a summary of the data when it is empty.
func description(c Chart) string {
	if c.Desc != "" {
		return c.Desc
	}
	var lo, hi *Point
	n := 0
	for i := range c.Points {
		p := &c.Points[i]
		if p.Value == nil {
			continue
		}
		n++
		if lo == nil || *p.Value < *lo.Value {
			lo = p
		}
		if hi == nil || *p.Value > *hi.Value {
			hi = p
		}
	}
	var b strings.Builder
	switch {
	case len(c.Points) == 0:
		b.WriteString("No data.")
	case n == 0:
		fmt.Fprintf(&b, "%d points, none with data.", len(c.Points))
	default:
		fmt.Fprintf(&b, "%d of %d points with data, from %s to %s. Lowest %s (%s), highest %s (%s).",
			n, len(c.Points), c.Points[0].Label, c.Points[len(c.Points)-1].Label,
			Format(*lo.Value, c.Unit), lo.Label, Format(*hi.Value, c.Unit), hi.Label)
	}
	if c.Target != nil {
		fmt.Fprintf(&b, " Target %s.", Format(*c.Target, c.Unit))
	}
	return b.String()
}

// escape makes s safe as SVG text or attribute content: characters XML
// forbids are dropped, markup characters escaped.
func escape(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return ' '
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r >= 0xD800 && r <= 0xDFFF:
			return -1
		}
		return r
	}, s)
	return html.EscapeString(s)
}

// idOf keeps the characters an XML id and a URL fragment both accept.
func idOf(s string) string {
	id := strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return '-'
	}, s)
	if id == "" || id[0] >= '0' && id[0] <= '9' || id[0] == '-' {
		id = "chart-" + id
	}
	return id
}

// svgOpen starts an accessible SVG of the given size: role="img",
// labelled by its title and described by its description.
func svgOpen(b *strings.Builder, c Chart, w, h int) {
	id := idOf(c.ID)
	fmt.Fprintf(b, `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-labelledby="%s-title %s-desc" font-family="system-ui, -apple-system, Segoe UI, Noto Sans, Noto Sans CJK SC, sans-serif" font-size="12">`+"\n",
		w, h, w, h, id, id)
	fmt.Fprintf(b, `<title id="%s-title">%s</title>`+"\n", id, escape(c.Title))
	fmt.Fprintf(b, `<desc id="%s-desc">%s</desc>`+"\n", id, escape(description(c)))
	fmt.Fprintf(b, `<rect width="%d" height="%d" fill="%s"/>`+"\n", w, h, background)
}

// scale is the value axis: from 0 to max in steps.
type scale struct {
	max, step float64
}

// newScale picks a top and a round step (1, 2 or 5 times a power of ten)
// so that the largest value and the target fit in about four ticks. Ratios
// end at 100 % unless a value exceeds it.
func newScale(c Chart) scale {
	top := 0.0
	for _, p := range c.Points {
		if p.Value != nil {
			top = math.Max(top, *p.Value)
		}
	}
	if c.Target != nil {
		top = math.Max(top, *c.Target)
	}
	if c.Unit == Ratio && top <= 1 {
		return scale{max: 1, step: 0.25}
	}
	if top <= 0 {
		return scale{max: 1, step: 0.25}
	}
	raw := top / 4
	if c.Unit == Seconds && top >= 120 {
		// Steps in whole minutes or hours read better than 1.25 min.
		unit := 60.0
		if top >= 2*3600 {
			unit = 3600
		}
		st := niceStep(raw/unit) * unit
		return scale{max: math.Ceil(top/st) * st, step: st}
	}
	st := niceStep(raw)
	return scale{max: math.Ceil(top/st) * st, step: st}
}

func niceStep(raw float64) float64 {
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

// ticks are the values the axis labels, from 0 to max.
func (s scale) ticks() []float64 {
	var t []float64
	for i := 0; ; i++ {
		v := float64(i) * s.step
		if v > s.max+s.step/1000 {
			return t
		}
		t = append(t, v)
	}
}

// f writes a coordinate with one decimal, enough at this size and stable.
func f(v float64) string { return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) }
