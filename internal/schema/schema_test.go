package schema

import "testing"

// TestShippedSchemasCompile compiles every shipped schema: they compile
// on first use, so a broken one would otherwise surface only when a
// document of its kind is linted.
func TestShippedSchemasCompile(t *testing.T) {
	s, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(s.schemas) < 10 {
		t.Fatalf("%d schemas loaded, want every *.schema.json", len(s.schemas))
	}
	for name := range s.schemas {
		sch, err := s.compiled(name)
		if err != nil || sch == nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	if sch, err := s.compiled("no-such-kind"); sch != nil || err != nil {
		t.Errorf("unknown schema: got %v, %v; want nil, nil", sch, err)
	}
}
