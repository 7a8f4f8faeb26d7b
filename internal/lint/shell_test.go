package lint

import "testing"

// TestShellSource: what the parser sees keeps every line and column of
// the block.
func TestShellSource(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"script unchanged", "ls -l\n", "ls -l\n"},
		{"placeholders become words", "kubectl logs <pod-name> -n <ns>\n", "kubectl logs _pod-name_ -n _ns_\n"},
		{"redirections stay", "cmd <in.txt >out 2>&1 <<EOF\nx\nEOF\n", "cmd <in.txt >out 2>&1 <<EOF\nx\nEOF\n"},
		{"CRLF", "if true; then\r\n  echo ok\r\nfi\r\n", "if true; then\n  echo ok\nfi\n"},
		{"session", "$ uptime\n 10:00 up (load\n$ psql -c 'x' \\\n    --quiet\n(1 row)\n$\n",
			"  uptime\n\n  psql -c 'x' \\\n    --quiet\n\n \n"},
		{"dollar inside is not a prompt", "echo $ HOME\n$ ls\n", "echo $ HOME\n$ ls\n"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := shellSource(c.in); got != c.want {
				t.Errorf("shellSource(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
		})
	}
}
