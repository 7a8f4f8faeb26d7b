package scorecard

import (
	"bytes"
	"encoding/xml"
	"io"
	"testing"
)

func TestContrastRatio(t *testing.T) {
	if r := contrastRatio("#000000", "#ffffff"); r != 21 {
		t.Errorf("black on white = %v, want 21", r)
	}
	// #777 on white is the classic just-too-light grey: 4.48:1.
	if r := contrastRatio("#777777", "#FFFFFF"); r < 4.47 || r > 4.49 {
		t.Errorf("#777 on white = %v, want 4.48", r)
	}
	if r := contrastRatio("777", "#ffffff"); r != 0 {
		t.Errorf("a malformed colour = %v, want 0", r)
	}
}

// FuzzBadgeText feeds arbitrary text (level names come from opsqa.yaml)
// through the badge: the output must stay well-formed XML with the text as
// text, never as markup.
func FuzzBadgeText(f *testing.F) {
	for _, s := range []string{"", "<script>alert(1)</script>", "a & b", `"quoted" 'single'`, "\x00\x1b[31m", "\xff\xfe broken", "]]>", "订单服务", "\uFFFE"} {
		f.Add(s, s)
	}
	f.Fuzz(func(t *testing.T, label, value string) {
		svg := badgeSVG(label, value, "#123456")
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
	})
}
