package githubtest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

var start = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)

func get(t *testing.T, s *Server, path string, header ...string) (*http.Response, []byte, error) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, strings.TrimSuffix(s.URL, "/")+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := s.Client().Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// The fake behaves as GitHub does where a client can get it wrong.
func TestServerShapes(t *testing.T) {
	now := func() time.Time { return start.Add(365 * 24 * time.Hour) }
	s := New("northwind-parcel", "operations", now)
	defer s.Close()
	s.Seed(45, start)

	// Without state=all only open issues come back, 30 to a page.
	_, body, err := get(t, s, "/repos/northwind-parcel/operations/issues")
	if err != nil {
		t.Fatal(err)
	}
	var page []map[string]any
	json.Unmarshal(body, &page)
	for _, is := range page {
		if is["state"] != "open" {
			t.Fatalf("default listing returned a %v issue", is["state"])
		}
		if _, ok := is["closed_at"]; !ok || is["closed_at"] != nil {
			t.Fatalf("open issue closed_at = %v, want a JSON null", is["closed_at"])
		}
	}
	resp, body, _ := get(t, s, "/repos/northwind-parcel/operations/issues?state=all&per_page=20&sort=updated&direction=asc")
	json.Unmarshal(body, &page)
	link := resp.Header.Get("Link")
	if len(page) != 20 || !strings.Contains(link, `/repositories/1296269/issues?`) || !strings.Contains(link, `page=2&per_page=20&sort=updated&state=all>; rel="next"`) || !strings.Contains(link, `page=3&per_page=20&sort=updated&state=all>; rel="last"`) {
		t.Errorf("%d issues, Link %q", len(page), link)
	}
	prs := 0
	for _, is := range page {
		if _, ok := is["pull_request"]; ok {
			prs++
		}
	}
	if prs == 0 {
		t.Errorf("the listing must include pull requests, as GitHub's does")
	}
	if resp.Header.Get("X-RateLimit-Remaining") != "4998" || resp.Header.Get("X-RateLimit-Resource") != "core" {
		t.Errorf("rate headers %v", resp.Header)
	}

	// The same question with its ETag: 304, no body, not counted.
	etag := resp.Header.Get("ETag")
	resp, body, _ = get(t, s, "/repos/northwind-parcel/operations/issues?state=all&per_page=20&sort=updated&direction=asc", "If-None-Match", etag)
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 || resp.Header.Get("X-RateLimit-Remaining") != "4998" {
		t.Errorf("conditional request: %d, %d bytes, remaining %s", resp.StatusCode, len(body), resp.Header.Get("X-RateLimit-Remaining"))
	}

	// Faults.
	s.Inject(Fault{Kind: DropConnection}, Fault{Kind: SecondaryLimit}, Fault{Kind: TruncatedJSON})
	if _, _, err := get(t, s, "/repos/northwind-parcel/operations/issues/1/timeline"); err == nil {
		t.Errorf("a dropped connection must fail the read")
	}
	resp, body, _ = get(t, s, "/repos/northwind-parcel/operations/issues/1/timeline")
	var eb map[string]string
	json.Unmarshal(body, &eb)
	if resp.StatusCode != 403 || resp.Header.Get("Retry-After") != "" || !strings.HasSuffix(eb["documentation_url"], "#about-secondary-rate-limits") {
		t.Errorf("secondary limit: %d %v %q", resp.StatusCode, resp.Header, body)
	}
	_, body, err = get(t, s, "/repos/northwind-parcel/operations/issues/1/timeline")
	if err != nil || json.Valid(body) {
		t.Errorf("truncated JSON: err %v, valid %v", err, json.Valid(body))
	}
	if s.Pending() != 0 {
		t.Errorf("%d faults left", s.Pending())
	}
	resp, _, _ = get(t, s, "/repos/someone/else/issues")
	if resp.StatusCode != 404 {
		t.Errorf("unknown repository: %d", resp.StatusCode)
	}
}
