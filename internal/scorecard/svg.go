package scorecard

import (
	"fmt"
	"html"
	"math"
	"strconv"
	"strings"
)

// badgeLabelColour is the grey of a badge's label half. White on it is
// 7.5:1.
const badgeLabelColour = "#555555"

// badgeSVG draws a shields-style badge: label on grey, value on colour, in
// white 11 px Verdana. colour must keep white text at 4.5:1 (check it with
// contrastRatio). The SVG stands alone (an <img> or a file) and carries
// its text as a title and an aria-label for screen readers.
func badgeSVG(label, value, colour string) []byte {
	lw, vw := badgeTextWidth(label)+10, badgeTextWidth(value)+10
	w := lw + vw
	l, v := escape(label), escape(value)
	return fmt.Appendf(nil, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="20" viewBox="0 0 %d 20" role="img" aria-label="%s: %s">`+
		`<title>%s: %s</title>`+
		`<rect width="%d" height="20" rx="3" fill="%s"/>`+
		`<rect x="%d" width="%d" height="20" rx="3" fill="%s"/>`+
		`<rect x="%d" width="4" height="20" fill="%s"/>`+
		`<g fill="#ffffff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" font-size="11">`+
		`<text x="%d" y="14" textLength="%d">%s</text>`+
		`<text x="%d" y="14" textLength="%d">%s</text>`+
		`</g></svg>`+"\n",
		w, w, l, v,
		l, v,
		lw, badgeLabelColour,
		lw, vw, escape(colour),
		lw, escape(colour),
		lw/2, lw-10, l,
		lw+vw/2, vw-10, v)
}

// badgeTextWidth estimates the width in pixels of s in 11 px Verdana, the
// font shields.io badges use. textLength in the SVG makes the text fit
// exactly whatever font the viewer has, so the estimate only has to be
// close.
func badgeTextWidth(s string) int {
	w := 0.0
	for _, r := range s {
		switch {
		case r == ' ':
			w += 3.9
		case r == 'i' || r == 'l' || r == 'j' || r == '.' || r == ',' || r == ':':
			w += 3.1
		case r == 'f' || r == 't' || r == 'r' || r == '-':
			w += 4.4
		case r == 'm' || r == 'w' || r == 'M' || r == 'W':
			w += 9.9
		case r >= '0' && r <= '9':
			w += 7
		case r >= 'A' && r <= 'Z':
			w += 7.6
		case r < 0x80:
			w += 6.7
		default:
			w += 11 // CJK and other wide scripts
		}
	}
	return int(math.Ceil(w))
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

// contrastRatio is the WCAG 2.1 contrast ratio of two colours written
// #rrggbb, from 1 to 21. AA asks 4.5 for text and 3 for graphics. It
// returns 0 when a colour is not in that form.
func contrastRatio(a, b string) float64 {
	la, ok1 := luminance(a)
	lb, ok2 := luminance(b)
	if !ok1 || !ok2 {
		return 0
	}
	hi, lo := math.Max(la, lb), math.Min(la, lb)
	return (hi + 0.05) / (lo + 0.05)
}

// luminance is the relative luminance of WCAG 2.1.
func luminance(hex string) (float64, bool) {
	hex = strings.TrimPrefix(hex, "#")
	if len(hex) != 6 {
		return 0, false
	}
	v, err := strconv.ParseUint(hex, 16, 32)
	if err != nil {
		return 0, false
	}
	lin := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(v>>16&0xff) + 0.7152*lin(v>>8&0xff) + 0.0722*lin(v&0xff), true
}
