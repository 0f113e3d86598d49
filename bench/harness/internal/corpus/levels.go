package corpus

import "math/rand/v2"

const (
	levelDebug = iota
	levelInfo
	levelWarning
	levelError
	levelCritical
	numLevels
)

var levelNames = [numLevels]string{"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}

// Case variants real files contain (the standard itself spells one
// "CRITICAl"), so level matching is exercised case-insensitively.
var levelVariants = [numLevels]string{"debug", "Info", "Warning", "error", "CRITICAl"}

// levelPermille is the share of each level in thousandths: mostly DEBUG
// and INFO, some WARNING and ERROR, few CRITICAL.
var levelPermille = [numLevels]int{380, 500, 75, 40, 5}

func pickLevel(r *rand.Rand) int {
	n := r.IntN(1000)
	for lv, p := range levelPermille {
		if n < p {
			return lv
		}
		n -= p
	}
	return levelInfo
}

// levelText is the level as written: a variant on 1 line in 200.
func levelText(lv int, r *rand.Rand) string {
	if r.IntN(200) == 0 {
		return levelVariants[lv]
	}
	return levelNames[lv]
}
