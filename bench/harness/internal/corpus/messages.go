package corpus

import (
	"math/rand/v2"
	"strconv"
	"strings"
)

// Message templates by level. {i} is replaced by an integer, {f} by a
// number with two decimals, so messages vary the way formatted log calls
// do while the set of "shapes" stays small.
var messageTemplates = [numLevels][]string{
	levelDebug: {
		"Acquired frame batch {i} ({i} frames)",
		"Stream buffer at {f}% capacity",
		"Polling device, {i} samples pending",
		"Wrote chunk {i} to disk in {f} ms",
		"Harp register 0x{i} read",
		"Reward valve opened for {f} ms",
		"Encoder position {i}",
		"Queue depth {i}",
	},
	levelInfo: {
		"Starting program",
		"Connecting to database",
		"Successfully retrieved data",
		"Session recorded",
		"Trial {i} ended, reward delivered",
		"Recording started on {i} channels",
		"Uploaded {i} files to s3://aind-open-data/",
		"Moving stage to target position",
		"Job {i} submitted to the HPC queue",
		"Loaded {i} sessions",
		"Closing program",
	},
	levelWarning: {
		"Dropped {i} frames in the last second",
		"Disk space below {f} GB on D:",
		"Impedance above threshold on channel {i}",
		"Retrying request ({i}/5)",
		"Timestamp drift of {f} ms between Harp and camera clocks",
	},
	levelError: {
		"Failed to save session: could not connect to database",
		"Camera {i} stopped responding",
		"Upload of {i} files failed",
		"Fail to save subject info: field 'experiment_id' is missing",
		"Could not read config file \"rig.json\"",
	},
	levelCritical: {
		"Acquisition aborted: device disconnected",
		"Out of disk space, stopping recording",
	},
}

type segment struct {
	text string
	hole byte // 0: none, 'i' or 'f'
}

type template []segment

var messages [numLevels][]template

func init() {
	for lv, ts := range messageTemplates {
		for _, t := range ts {
			messages[lv] = append(messages[lv], parseTemplate(t))
		}
	}
}

func parseTemplate(s string) template {
	var t template
	for {
		i := strings.IndexByte(s, '{')
		if i < 0 || i+2 >= len(s) || s[i+2] != '}' {
			return append(t, segment{text: s})
		}
		t = append(t, segment{text: s[:i], hole: s[i+1]})
		s = s[i+3:]
	}
}

// appendMessage appends a message of level lv to b.
func appendMessage(b []byte, lv int, r *rand.Rand) []byte {
	ts := messages[lv]
	for _, sg := range ts[r.IntN(len(ts))] {
		b = append(b, sg.text...)
		switch sg.hole {
		case 'i':
			b = strconv.AppendInt(b, r.Int64N(5000), 10)
		case 'f':
			b = strconv.AppendFloat(b, r.Float64()*100, 'f', 2, 64)
		}
	}
	return b
}
