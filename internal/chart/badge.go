package chart

import (
	"fmt"
	"math"
)

// BadgeLabelColour is the grey of a badge's label half. White on it is
// 7.5:1.
const BadgeLabelColour = "#555555"

// Badge draws a shields-style badge: label on grey, value on colour, in
// white 11 px Verdana. colour must keep white text at 4.5:1 (check it with
// ContrastRatio). The SVG stands alone (an <img> or a file) and carries
// its text as a title and an aria-label for screen readers.
func Badge(label, value, colour string) []byte {
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
		lw, BadgeLabelColour,
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
