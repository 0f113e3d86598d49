package corpus

import (
	"math/rand/v2"
	"strconv"
)

// An extra writes one custom field, as a producer passes it in `extra=`.
// The standard keeps their JSON types, so some are nested objects and
// arrays: the decoders and the mapping must walk them.
type extra func(o *object, r *rand.Rand)

var statuses = []string{"success", "success", "success", "success", "retry", "fail"}

func exStatus(o *object, r *rand.Rand) { o.str("status", statuses[r.IntN(len(statuses))]) }

func exDurationMS(o *object, r *rand.Rand) {
	o.float("duration_ms", 0.5+r.Float64()*1800, 3)
}

func exFrameCount(o *object, r *rand.Rand) { o.int("frame_count", 1000+r.Int64N(900000)) }

func exWater(o *object, r *rand.Rand) { o.float("water_earned_ml", r.Float64()*1.5, 2) }

func exWeight(o *object, r *rand.Rand) { o.float("wt_g", 17+r.Float64()*10, 2) }

func exTrial(o *object, r *rand.Rand) { o.int("trial", r.Int64N(900)) }

var users = []string{"bobby.b", "jane.d", "svc_aind_behavior"}

func exUser(o *object, r *rand.Rand) { o.str("user_id", users[r.IntN(len(users))]) }

func exDatabase(o *object, _ *rand.Rand) { o.str("database", "dataverse") }

func exJobID(o *object, r *rand.Rand) {
	o.str("job_id", "hpc-"+strconv.FormatInt(4_100_000+r.Int64N(90_000), 10))
}

func exBytes(o *object, r *rand.Rand) { o.int("bytes", r.Int64N(1<<40)) }

func exUnits(o *object, r *rand.Rand) { o.int("units", r.Int64N(700)) }

func exPipeline(o *object, _ *rand.Rand) { o.str("pipeline_name", "aind-ephys-pipeline-kilosort25") }

func exCapsule(o *object, _ *rand.Rand) { o.str("process_name", "capsule-9f1d2c3e") }

var probes = []string{`"ProbeA"`, `"ProbeB"`, `"ProbeC"`}

// exProbe: a nested object.
func exProbe(o *object, r *rand.Rand) {
	o.key("probe")
	o.b = append(o.b, `{"name": `...)
	o.b = append(o.b, probes[r.IntN(len(probes))]...)
	o.b = append(o.b, `, "serial": 18005106`...)
	o.b = strconv.AppendInt(o.b, r.Int64N(10), 10)
	o.b = append(o.b, `, "sample_rate_hz": 30000.0}`...)
}

// exChannels: an array of strings.
func exChannels(o *object, r *rand.Rand) {
	o.raw("bad_channels", [...]string{`[]`, `[191]`, `["AP12", "AP13"]`, `[7, 8, 9]`}[r.IntN(4)])
}

// exStage: a nested object of floats.
func exStage(o *object, r *rand.Rand) {
	o.key("stage_position_mm")
	o.b = append(o.b, `{"x": `...)
	o.b = strconv.AppendFloat(o.b, r.Float64()*10-5, 'f', 3, 64)
	o.b = append(o.b, `, "y": `...)
	o.b = strconv.AppendFloat(o.b, r.Float64()*10-5, 'f', 3, 64)
	o.b = append(o.b, `, "z": `...)
	o.b = strconv.AppendFloat(o.b, r.Float64(), 'f', 4, 64)
	o.b = append(o.b, '}')
}

// exROI: an array of integers.
func exROI(o *object, r *rand.Rand) {
	o.key("roi")
	o.b = append(o.b, '[')
	o.b = strconv.AppendInt(o.b, r.Int64N(64), 10)
	o.b = append(o.b, `, 0, 512, 512]`...)
}

// exCamera: an object holding an array.
func exCamera(o *object, r *rand.Rand) {
	o.raw("camera", [...]string{
		`{"serial": "21990405", "fps": 60, "binning": [2, 2]}`,
		`{"serial": "21990411", "fps": 30, "binning": [1, 1]}`,
	}[r.IntN(2)])
}

func exPatch(o *object, r *rand.Rand) {
	o.key("patch")
	o.b = append(o.b, `{"index": `...)
	o.b = strconv.AppendInt(o.b, r.Int64N(40), 10)
	o.b = append(o.b, `, "reward_available": `...)
	o.b = strconv.AppendBool(o.b, r.IntN(2) == 0)
	o.b = append(o.b, '}')
}
