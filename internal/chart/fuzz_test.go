package chart

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"
)

// FuzzUntrustedText feeds arbitrary titles and labels (they come from
// issue titles and front matter) through every drawing: the output must
// stay well-formed XML with the text as text, never as markup.
func FuzzUntrustedText(f *testing.F) {
	for _, s := range []string{"", "<script>alert(1)</script>", "a & b", `"quoted" 'single'`, "\x00\x1b[31m", "\xff\xfe broken", "]]>", "订单服务", "\uFFFE"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, title, label string) {
		one := 1.0
		c := Chart{ID: label, Title: title, Desc: label, Points: []Point{{label, &one}, {title, nil}}, Target: &one, TargetLabel: label}
		for _, svg := range [][]byte{Line(c), Bars(c), Badge(label, title, "#123456")} {
			dec := xml.NewDecoder(bytes.NewReader(svg))
			for {
				tok, err := dec.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("not well-formed: %v\n%s", err, svg)
				}
				if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "script" {
					t.Fatalf("a <script> element came through:\n%s", svg)
				}
			}
		}
	})
}
