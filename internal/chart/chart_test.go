package chart

import (
	"bytes"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func v(x float64) *float64 { return &x }

var charts = map[string]Chart{
	"mttr-by-month": {
		ID: "mttr", Title: "MTTR by month", Unit: Seconds, LabelHeader: "Month", ValueHeader: "MTTR",
		Points: []Point{
			{"2026-01", v(2520)}, {"2026-02", v(1980)}, {"2026-03", nil},
			{"2026-04", v(1500)}, {"2026-05", v(1625.5)}, {"2026-06", v(1210)},
		},
		Target: v(1800),
	},
	"resolved-within-24h": {
		ID: "within-24h", Title: "Resolved within 24 h of the first response", Unit: Ratio,
		Desc:        "Share of problems and incidents resolved within 24 hours of the first response, January to March 2026; the target of 80 % was met in March only.",
		LabelHeader: "Month", ValueHeader: "Share",
		Points: []Point{{"2026-01", v(0.625)}, {"2026-02", v(0.75)}, {"2026-03", v(5.0 / 6)}},
		Target: v(0.8), TargetLabel: "目标 80 %",
	},
	"mttr-by-service": {
		ID: "services", Title: `MTTR by service <script>alert("x")</script>`, Unit: Seconds,
		LabelHeader: "Service", ValueHeader: "MTTR",
		Points: []Point{
			{"postgres", v(3900)},
			{"orders-api & storefront, the whole checkout path", v(1700)},
			{"订单服务", v(600)},
			{"dns", nil},
		},
		Target: v(1800),
	},
	"empty": {ID: "7 empty", Title: "Nothing yet", Unit: Count},
}

func render(name string, c Chart) []byte {
	if strings.HasPrefix(name, "mttr-by-service") || name == "empty" {
		return Bars(c)
	}
	return Line(c)
}

func TestGolden(t *testing.T) {
	for name, c := range charts {
		t.Run(name, func(t *testing.T) {
			got := render(name, c)
			if !bytes.Equal(got, render(name, c)) {
				t.Fatal("two renderings differ")
			}
			path := filepath.Join("testdata", name+".svg")
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
				t.Errorf("%s differs from the golden file; run go test -update and review the diff:\n%s", path, got)
			}
			checkAccessible(t, got)
		})
	}
}

// checkAccessible parses the SVG as XML and checks the root is an image
// labelled by a title and a description that exist, with no script.
func checkAccessible(t *testing.T, svg []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(svg))
	ids := map[string]string{}
	var root xml.StartElement
	depth := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if depth == 0 {
			root = se
		}
		depth++
		for _, a := range se.Attr {
			if a.Name.Local == "id" {
				ids[a.Value] = se.Name.Local
			}
			if strings.HasPrefix(a.Name.Local, "on") || a.Name.Local == "style" {
				t.Errorf("attribute %s on <%s>: no scripts or inline styles (CSP)", a.Name.Local, se.Name.Local)
			}
		}
		if se.Name.Local == "script" || se.Name.Local == "style" {
			t.Errorf("<%s> element in a chart", se.Name.Local)
		}
	}
	attr := map[string]string{}
	for _, a := range root.Attr {
		attr[a.Name.Local] = a.Value
	}
	if root.Name.Local != "svg" || attr["role"] != "img" {
		t.Errorf("root <%s role=%q>, want <svg role=\"img\">", root.Name.Local, attr["role"])
	}
	refs := strings.Fields(attr["aria-labelledby"])
	if len(refs) != 2 || ids[refs[0]] != "title" || ids[refs[1]] != "desc" {
		t.Errorf("aria-labelledby=%q points at %v; want a <title> then a <desc>", attr["aria-labelledby"], ids)
	}
}

func TestEscaping(t *testing.T) {
	c := charts["mttr-by-service"]
	svg := string(Bars(c))
	if strings.Contains(svg, "<script") {
		t.Error("a title's markup reached the SVG unescaped")
	}
	for _, want := range []string{
		`<title id="services-title">MTTR by service &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;</title>`,
		`>orders-api &amp; storefront…<`,
		`<title>orders-api &amp; storefront, the whole checkout path: 28.3 min</title>`,
	} {
		if !strings.Contains(svg, want) {
			t.Errorf("SVG lacks %s", want)
		}
	}
	c.Title = "bell\x07 and\ttab"
	if svg := string(Line(c)); !strings.Contains(svg, `<title id="services-title">bell and tab</title>`) {
		t.Errorf("control characters not dropped or turned to spaces:\n%s", svg)
	}
}

func TestTable(t *testing.T) {
	got := Table(charts["mttr-by-month"])
	var b strings.Builder
	fmt.Fprintf(&b, "%s | %s | %s | target %s\n", got.Caption, got.Headers[0], got.Headers[1], got.Target)
	for _, r := range got.Rows {
		raw := "nil"
		if r.Raw != nil {
			raw = fmt.Sprint(*r.Raw)
		}
		fmt.Fprintf(&b, "%s | %s | %s\n", r.Label, r.Value, raw)
	}
	want := `MTTR by month | Month | MTTR | target 30 min
2026-01 | 42 min | 2520
2026-02 | 33 min | 1980
2026-03 | no data | nil
2026-04 | 25 min | 1500
2026-05 | 27.1 min | 1625.5
2026-06 | 20.2 min | 1210
`
	if b.String() != want {
		t.Errorf("table:\n%s\nwant:\n%s", b.String(), want)
	}
	if e := Table(charts["empty"]); e.Rows == nil || len(e.Rows) != 0 || e.Target != "" {
		t.Errorf("empty chart's table: %+v, want no rows (not nil) and no target", e)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		v    float64
		u    Unit
		want string
	}{
		{45, Seconds, "45 s"},
		{119.96, Seconds, "120 s"},
		{1800, Seconds, "30 min"},
		{7199, Seconds, "120 min"},
		{86400, Seconds, "24 h"},
		{0.8, Ratio, "80 %"},
		{2.0 / 3, Ratio, "66.7 %"},
		{3, Count, "3"},
		{-0.01, Count, "0"},
		{4.25, Count, "4.3"},
	}
	for _, tt := range tests {
		if got := Format(tt.v, tt.u); got != tt.want {
			t.Errorf("Format(%v, %d) = %q, want %q", tt.v, tt.u, got, tt.want)
		}
	}
}

func TestScale(t *testing.T) {
	tests := []struct {
		c    Chart
		want string
	}{
		{Chart{Unit: Seconds, Points: []Point{{"a", v(2520)}}, Target: v(1800)}, "[0 1200 2400 3600]"},
		{Chart{Unit: Seconds, Points: []Point{{"a", v(30)}}}, "[0 10 20 30]"},
		{Chart{Unit: Seconds, Points: []Point{{"a", v(30 * 3600)}}}, "[0 36000 72000 108000]"},
		{Chart{Unit: Ratio, Points: []Point{{"a", v(0.3)}}}, "[0 0.25 0.5 0.75 1]"},
		{Chart{Unit: Count, Points: []Point{{"a", v(7)}}}, "[0 2 4 6 8]"},
		{Chart{Unit: Count, Points: []Point{{"a", nil}}}, "[0 0.25 0.5 0.75 1]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(newScale(tt.c).ticks()); got != tt.want {
			t.Errorf("ticks of %v: %s, want %s", tt.c.Points, got, tt.want)
		}
	}
}

func TestPaletteContrast(t *testing.T) {
	if r := ContrastRatio("#000000", "#ffffff"); r != 21 {
		t.Errorf("black on white: %v, want 21", r)
	}
	// #777777 is the classic near miss: 4.48:1.
	if r := ContrastRatio("#777777", "#FFFFFF"); r < 4.47 || r > 4.49 {
		t.Errorf("#777 on white: %v, want 4.48", r)
	}
	if r := ContrastRatio("777", "#ffffff"); r != 0 {
		t.Errorf("malformed colour: %v, want 0", r)
	}
	for _, c := range []struct {
		name, colour string
		min          float64
	}{
		{"text", textColour, 4.5},
		{"axis labels and no-data text", axisColour, 4.5},
		{"series", seriesColor, 4.5}, // also the colour of value labels' marks
		{"target line and label", targetColor, 4.5},
	} {
		if r := ContrastRatio(c.colour, background); r < c.min {
			t.Errorf("%s %s on %s: %.2f:1, want at least %v:1", c.name, c.colour, background, r, c.min)
		}
	}
}

func TestDescription(t *testing.T) {
	tests := []struct {
		name, want string
	}{
		{"mttr-by-month", "5 of 6 points with data, from 2026-01 to 2026-06. Lowest 20.2 min (2026-06), highest 42 min (2026-01). Target 30 min."},
		{"resolved-within-24h", charts["resolved-within-24h"].Desc},
		{"empty", "No data."},
	}
	for _, tt := range tests {
		if got := description(charts[tt.name]); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
	}
	if got := description(Chart{Points: []Point{{"a", nil}}}); got != "1 points, none with data." {
		t.Errorf("all gaps: %q", got)
	}
}
