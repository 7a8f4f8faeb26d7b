package scorecard

import (
	"slices"
	"strconv"
)

// Badge colours by rank. White text on each has a contrast ratio of at
// least 4.5:1 (WCAG AA); badge_test.go checks it.
const (
	badgeTopColour    = "#7a5c00" // the highest level: a dark gold
	badgeMiddleColour = "#4f5b66" // levels in between: slate
	badgeLowColour    = "#8a4b20" // the lowest level: bronze
	badgeNoneColour   = "#b02a20" // no level reached
)

// Badge draws a card's shields-style badge: "scorecard" then the level and
// score, such as "gold 92", or "no level 40". levels are the configured
// levels, lowest first; the colour follows the level's rank, since the
// names are configurable.
func Badge(c Card, levels []string) []byte {
	value := c.Level
	if value == "" {
		value = "no level"
	}
	if c.Score != nil {
		value += " " + strconv.Itoa(*c.Score)
	}
	colour := badgeNoneColour
	switch i := slices.Index(levels, c.Level); {
	case c.Level == "" || i < 0:
	case i == len(levels)-1:
		colour = badgeTopColour
	case i == 0:
		colour = badgeLowColour
	default:
		colour = badgeMiddleColour
	}
	return badgeSVG("scorecard", value, colour)
}
