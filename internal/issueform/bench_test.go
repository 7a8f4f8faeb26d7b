package issueform

import "testing"

func BenchmarkParse(b *testing.B) {
	tmpl := loadForm(b, "incident.yml")
	b.SetBytes(int64(len(incidentBody)))
	for i := 0; i < b.N; i++ {
		tmpl.Parse(incidentBody)
	}
}
