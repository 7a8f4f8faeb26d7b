package ticket

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

// A ticket line is looked at before it is decoded, for what the decoder
// would take without a word: a lone UTF-16 surrogate escape (\ud800),
// which it turns into U+FFFD, and more events than MaxEventsPerTicket,
// which it would decode whole before anyone could count them. Both scans
// cost nothing on the lines a sync writes: the first runs only on a line
// holding a surrogate escape at all, the second only on a line long
// enough to hold that many events.

// minEventBytes is the fewest bytes an event takes in a line: {} and a
// comma.
const minEventBytes = 3

// loneSurrogate returns the offset in line of the first \u escape that
// is half a surrogate pair, or -1.
func loneSurrogate(line []byte) int {
	if !bytes.Contains(line, []byte(`\u`)) || !hasSurrogateEscape(line) {
		return -1
	}
	inString := false
	for i := 0; i < len(line); i++ {
		switch c := line[i]; {
		case c == '"':
			inString = !inString
		case c == '\\' && inString && i+1 < len(line):
			if line[i+1] != 'u' {
				i++
				continue
			}
			r, ok := hex4(line, i+2)
			if !ok {
				i++
				continue
			}
			switch {
			case utf16.IsSurrogate(r) && r < 0xdc00:
				// A high half wants a low half right after it.
				if lo, ok := lowHalf(line, i+6); ok && utf16.DecodeRune(r, lo) != '\uFFFD' {
					i += 11
					continue
				}
				return i
			case utf16.IsSurrogate(r):
				return i
			}
			i += 5
		}
	}
	return -1
}

// hasSurrogateEscape is the quick test: some \u escape in line names a
// surrogate (D800–DFFF), whether or not it is in a string.
func hasSurrogateEscape(line []byte) bool {
	for rest := line; ; {
		i := bytes.Index(rest, []byte(`\u`))
		if i < 0 {
			return false
		}
		if r, ok := hex4(rest, i+2); ok && utf16.IsSurrogate(r) {
			return true
		}
		rest = rest[i+2:]
	}
}

func lowHalf(line []byte, i int) (rune, bool) {
	if i+1 >= len(line) || line[i] != '\\' || line[i+1] != 'u' {
		return 0, false
	}
	r, ok := hex4(line, i+2)
	return r, ok && r >= 0xdc00 && r <= 0xdfff
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(b[i:i+4]), 16, 32)
	return rune(v), err == nil
}

// countEvents counts the elements of the line's top-level "events"
// arrays (every key the decoder would take for it: any case, escaped or
// not), stopping once it passes limit. A line that is not JSON gives a
// count of no meaning; the decoder refuses it after.
func countEvents(line []byte, limit int) int {
	if len(line) < limit*minEventBytes {
		return 0
	}
	return countEventsUpTo(line, limit)
}

// countEventsUpTo is countEvents on a line of any length.
func countEventsUpTo(line []byte, limit int) int {
	n := 0
	depth := 0
	inEvents := false // inside a top-level events array, at depth 2
	empty := true     // the events array has no element yet
	var lastKey []byte
	for i := 0; i < len(line) && n <= limit; i++ {
		switch c := line[i]; c {
		case '"':
			end := stringEnd(line, i)
			if depth == 1 {
				lastKey = line[i : end+1]
			}
			if inEvents && depth == 2 && empty {
				n, empty = n+1, false
			}
			i = end
		case '{', '[':
			if inEvents && depth == 2 && empty {
				n, empty = n+1, false
			}
			if c == '[' && depth == 1 && isEventsKey(lastKey) {
				inEvents, empty = true, true
			}
			depth++
		case '}', ']':
			depth--
			if depth == 1 {
				inEvents = false
			}
		case ',':
			if inEvents && depth == 2 {
				n++
			}
		case ' ', '\t', '\r', '\n', ':':
		default:
			if inEvents && depth == 2 && empty {
				n, empty = n+1, false
			}
		}
	}
	return n
}

// stringEnd returns the offset of the quote that closes the string
// starting at line[i], or the last offset.
func stringEnd(line []byte, i int) int {
	for j := i + 1; j < len(line); j++ {
		switch line[j] {
		case '\\':
			j++
		case '"':
			return j
		}
	}
	return len(line) - 1
}

func isEventsKey(quoted []byte) bool {
	if len(quoted) < 2 {
		return false
	}
	if !bytes.ContainsRune(quoted, '\\') {
		return bytes.EqualFold(quoted[1:len(quoted)-1], []byte("events"))
	}
	var s string
	if json.Unmarshal(quoted, &s) != nil {
		return false
	}
	return strings.EqualFold(s, "events")
}

// fieldAt names the JSON field of line whose text holds offset: "title",
// "events[3].actor.login", "fields.impact"; "" when none does.
func fieldAt(line []byte, offset int) string {
	dec := json.NewDecoder(bytes.NewReader(line))
	type frame struct {
		object    bool
		key       string
		index     int
		expectKey bool
	}
	var stack []frame
	path := func() string {
		var b strings.Builder
		for _, f := range stack {
			if f.object {
				if b.Len() > 0 {
					b.WriteByte('.')
				}
				b.WriteString(f.key)
			} else {
				fmt.Fprintf(&b, "[%d]", f.index)
			}
		}
		return b.String()
	}
	// afterValue moves the enclosing container past one value.
	afterValue := func() {
		if len(stack) == 0 {
			return
		}
		top := &stack[len(stack)-1]
		if top.object {
			top.expectKey = true
		} else {
			top.index++
		}
	}
	for {
		start := dec.InputOffset()
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return ""
		}
		end := dec.InputOffset()
		isKey := len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].expectKey
		if s, ok := tok.(string); ok && isKey {
			stack[len(stack)-1].key, stack[len(stack)-1].expectKey = s, false
			if int64(offset) >= start && int64(offset) < end {
				return path()
			}
			continue
		}
		if int64(offset) >= start && int64(offset) < end {
			if _, ok := tok.(string); ok {
				return path()
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, expectKey: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			afterValue()
		default:
			afterValue()
		}
	}
}

// The head of a line too long to decode is searched for its number and
// class, which a line written by WriteSnapshot starts with.
var (
	headNumber = regexp.MustCompile(`^\s*\{\s*"number"\s*:\s*(\d{1,18})`)
	headClass  = regexp.MustCompile(`"class"\s*:\s*"([a-z-]{1,32})"`)
)

// headOf reads the number and class from the first bytes of a line, as
// far as they go; zero values when they are not there.
func headOf(head []byte) (int, Class) {
	var n int
	if m := headNumber.FindSubmatch(head); m != nil {
		n, _ = strconv.Atoi(string(m[1]))
	}
	var c Class
	if m := headClass.FindSubmatch(head); m != nil {
		c = Class(m[1])
	}
	return n, c
}
