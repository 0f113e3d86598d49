package lokifit // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/lokifit"

// Loki names every structured-metadata entry with otlptranslator's
// LabelNamer: the guard must build the same names to count their lengths and
// to know which names make Loki refuse a request.

// appendLabelName appends what otlptranslator.LabelNamer{}.Build (v1.0.0,
// label_namer.go, strconv.go) makes of name: every run of characters other
// than [a-zA-Z0-9] becomes one '_', a leading digit gets "key_", and a name
// that starts and ends with "__" keeps those. It reports false where Build
// fails: for a name that is empty or would be underscores only. Loki then
// refuses the whole request.
func appendLabelName(dst []byte, name string) ([]byte, bool) {
	start := len(dst)
	reserved := len(name) >= 4 && name[:2] == "__" && name[len(name)-2:] == "__"
	if reserved {
		name = name[2 : len(name)-2]
		dst = append(dst, "__"...)
	} else if name != "" && name[0] >= '0' && name[0] <= '9' {
		dst = append(dst, "key_"...)
	}
	underscore := false
	for _, r := range name {
		if labelNameKeeps(r) {
			dst = append(dst, byte(r))
			underscore = false
		} else if !underscore {
			dst = append(dst, '_')
			underscore = true
		}
	}
	if reserved {
		dst = append(dst, "__"...)
	}
	for _, c := range dst[start:] {
		if c != '_' {
			return dst, true
		}
	}
	return dst, false
}

// labelNameKeeps reports whether LabelNamer.Build keeps r in a label name as
// it is: an ASCII letter or digit. Any other rune, '_' included, becomes
// part of a run of '_'.
func labelNameKeeps(r rune) bool {
	return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')
}

// validLabelName reports whether appendLabelName accepts name, cheaply: a
// name is valid exactly when it holds an ASCII letter or digit.
func validLabelName(name string) bool {
	for i := 0; i < len(name); i++ {
		if labelNameKeeps(rune(name[i])) {
			return true
		}
	}
	return false
}

// AppendLabelName appends the name Loki gives the structured-metadata entry
// of an attribute named name, for code outside the guard; it reports false
// where Loki refuses the name. A map attribute's leaves are named
// AppendLabelName(parent + "_" + key), with parent already built.
func AppendLabelName(dst []byte, name string) ([]byte, bool) {
	return appendLabelName(dst, name)
}
