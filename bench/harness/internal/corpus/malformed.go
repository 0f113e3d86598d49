package corpus

import "math/rand/v2"

// Lines that are not JSON, as real log files hold a few: a write cut by a
// crash, a stray print(), a Python dict repr, and json.dumps' default
// allow_nan=True writing NaN. Collectors must keep them (as raw text), so
// they count as records, and decoders count them as errors.
const (
	malformedTruncated = iota
	malformedPrint
	malformedRepr
	malformedNaN
	numMalformedKinds
)

// malformLine turns line, a complete JSON object, into a malformed line.
func malformLine(line []byte, r *rand.Rand) []byte {
	switch r.IntN(numMalformedKinds) {
	case malformedTruncated:
		return line[:len(line)/2]
	case malformedPrint:
		return append(line[:0], "Recording started, press Ctrl+C to stop (Harp board 2.1, firmware 1.12)"...)
	case malformedRepr:
		return append(line[:0], "{'timestamp': '2026-02-09 21:19:24,061', 'level': 'INFO', 'message': 'Closing program'}"...)
	default:
		line = line[:len(line)-1]
		return append(line, `, "snr": NaN}`...)
	}
}
