package checkpoint // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/checkpoint"

// FirstBytes rebuilds the first bytes of a file, at most size of them, from
// the first batch of lines fileconsumer read from it: what fileconsumer
// takes as the file's fingerprint (its first fingerprint_size bytes). It
// returns nil unless the batch starts at offset 0 and its lines are the
// file's bytes: each token followed by the newline the split removed, with
// no decoding and no trimming (the receiver's utf-8-raw encoding and
// trim settings). A line cut at max_log_size ends the rebuilt bytes, as
// the rest of it is not known.
//
// offsets are emit's: offsets[0] is where the batch starts and
// offsets[i+1] where the line after tokens[i] starts.
func FirstBytes(tokens [][]byte, offsets []int64, size int) []byte {
	if len(offsets) < len(tokens)+1 || offsets[0] != 0 || size <= 0 {
		return nil
	}
	out := make([]byte, 0, size)
	for i, tok := range tokens {
		span := offsets[i+1] - offsets[i]
		switch span {
		case int64(len(tok)) + 1: // a line and its newline
			out = append(out, tok...)
			out = append(out, '\n')
		case int64(len(tok)): // the last line, flushed without a newline
			out = append(out, tok...)
		default:
			if span < int64(len(tok)) {
				return nil // not the file's bytes
			}
			out = append(out, tok...) // a cut line: its end is not known
			return clip(out, size)
		}
		if len(out) >= size {
			break
		}
	}
	return clip(out, size)
}

func clip(b []byte, size int) []byte {
	if len(b) > size {
		return b[:size]
	}
	return b
}
