package scorecard

import (
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func score(n int) *int { return &n }

func TestBadgeGolden(t *testing.T) {
	levels := []string{"bronze", "silver", "gold"}
	tests := []struct {
		name string
		card Card
	}{
		{"gold", Card{Level: "gold", Score: score(92)}},
		{"none", Card{Level: "", Score: score(40)}},
		{"unmeasured", Card{Level: "bronze"}},
	}
	for _, tt := range tests {
		got := Badge(tt.card, levels)
		path := filepath.Join("testdata", "badge-"+tt.name+".svg")
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to write it)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs; run go test -update and review the diff:\n%s", path, got)
		}
	}
}

func TestBadgeText(t *testing.T) {
	levels := []string{"bronze", "<silver>", `g"old`}
	tests := []struct {
		card      Card
		title     string
		fill      string
		wantLevel int
	}{
		{Card{Level: `g"old`, Score: score(92)}, `scorecard: g"old 92`, badgeTopColour, 2},
		{Card{Level: "<silver>", Score: score(71)}, "scorecard: <silver> 71", badgeMiddleColour, 1},
		{Card{Level: "bronze"}, "scorecard: bronze", badgeLowColour, 0},
		{Card{Score: score(0)}, "scorecard: no level 0", badgeNoneColour, -1},
	}
	for _, tt := range tests {
		svg := Badge(tt.card, levels)
		var doc struct {
			Role  string `xml:"role,attr"`
			Label string `xml:"aria-label,attr"`
			Title string `xml:"title"`
			Rects []struct {
				Fill string `xml:"fill,attr"`
			} `xml:"rect"`
			Texts []string `xml:"g>text"`
		}
		if err := xml.Unmarshal(svg, &doc); err != nil {
			t.Fatalf("badge is not well-formed XML: %v\n%s", err, svg)
		}
		if doc.Role != "img" || doc.Title != tt.title || doc.Label != tt.title {
			t.Errorf("role=%q title=%q aria-label=%q, want img and %q", doc.Role, doc.Title, doc.Label, tt.title)
		}
		if len(doc.Rects) != 3 || doc.Rects[1].Fill != tt.fill {
			t.Errorf("%s: rects %+v, want the value in %s", tt.title, doc.Rects, tt.fill)
		}
		if want := strings.TrimPrefix(tt.title, "scorecard: "); len(doc.Texts) != 2 || doc.Texts[1] != want {
			t.Errorf("texts %q, want scorecard and %q", doc.Texts, want)
		}
		if bytes.Contains(svg, []byte("<silver>")) {
			t.Errorf("level name not escaped:\n%s", svg)
		}
	}
}

func TestBadgeContrast(t *testing.T) {
	for _, bg := range []string{badgeLabelColour, badgeTopColour, badgeMiddleColour, badgeLowColour, badgeNoneColour} {
		if r := contrastRatio("#ffffff", bg); r < 4.5 {
			t.Errorf("white on %s: %.2f:1, want at least 4.5:1", bg, r)
		}
	}
}
