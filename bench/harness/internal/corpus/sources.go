package corpus

import "time"

// A source is one program writing logs: a rig's acquisition software, a
// data transfer service, a Code Ocean capsule. The corpus mixes a handful
// of them, so resource attributes (host, service, rig) have the low
// cardinality of a real deployment while records vary.
type source struct {
	weight     int // relative share of the lines
	software   string
	version    string
	hosts      []string
	rig        string
	instrument string // "" when the producer does not log it
	loggers    []logger
	pid        int64
	threads    []thread // nil when the formatter omits thread fields
	// The formatter's optional fields: with instrument and threads they
	// make 13 to 15 fixed fields; custom fields bring a line to 12–16.
	pathname, process bool
	// Formatter quirks seen in real producers (see the standard's note on
	// types): separators, string pids, integer subject ids, zone offsets.
	spaced       bool
	pidAsString  bool
	subjectAsInt bool
	zone         *time.Location
	tsLayout     string
	subjects     []string // a rig runs one or two sessions an hour
	extras       []extra  // the custom fields this program logs
}

type logger struct {
	name     string
	pathname string
	funcs    []function
	// session: the logger adds the session's subject_id and
	// acquisition_name (a LoggerAdapter does it in practice); device and
	// service loggers log outside any session.
	session bool
}

type function struct {
	name  string
	lines []int64
}

type thread struct {
	id   int64
	name string
}

const (
	// Python's datetime.isoformat() of an aware UTC time ends in +00:00;
	// formatters that post-process it write Z.
	layoutZ      = "2006-01-02T15:04:05.000000Z07:00"
	layoutOffset = "2006-01-02T15:04:05.000000-07:00"
)

// pacific is the rigs' local zone (Seattle, standard time): Windows rig
// PCs log local time with its offset.
var pacific = time.FixedZone("PST", -8*3600)

var sources = []source{
	{
		weight: 30, software: "aind-ephys", version: "2.3.1",
		hosts: []string{"W10DT713512"}, rig: "ephys_9_acq", instrument: "EPHYS1",
		loggers: []logger{
			{"ephys.acq", `C:\aind\ephys\acq.py`, []function{
				{"start_recording", []int64{112, 131}}, {"poll_stream", []int64{204, 219, 233}}}, true},
			{"ephys.probes", `C:\aind\ephys\probes.py`, []function{
				{"check_impedance", []int64{58, 77}}}, false},
		},
		pid:     9312, // no pathname, no process: thread fields instead
		threads: []thread{{12913, "MainThread"}, {14020, "Thread-2 (stream)"}, {14188, "Thread-3 (writer)"}},
		spaced:  false, zone: time.UTC, tsLayout: layoutZ,
		subjects: []string{"713491", "713655"},
		extras:   []extra{exFrameCount, exProbe, exDurationMS, exChannels, exStatus},
	},
	{
		weight: 22, software: "aind-vr-foraging", version: "0.6.3",
		hosts: []string{"W10DT714046", "W10DT714047"}, rig: "vr_foraging_4",
		loggers: []logger{
			{"vr_foraging.rig", `C:\git\vr_foraging\rig.py`, []function{
				{"run", []int64{88}}, {"on_trial_end", []int64{141, 156}}}, true},
			{"vr_foraging.task", `C:\git\vr_foraging\task.py`, []function{
				{"next_patch", []int64{301, 322}}}, true},
		},
		pid: 4480, process: true, spaced: false, subjectAsInt: true, zone: pacific, tsLayout: layoutOffset,
		subjects: []string{"745213"},
		extras:   []extra{exTrial, exWater, exWeight, exPatch, exStatus},
	},
	{
		weight: 14, software: "waterlog", version: "1.0.4.dev0",
		hosts: []string{"w10dt700140"}, rig: "frg_1_a",
		loggers: []logger{
			{"waterlog.session", "/opt/waterlog/session.py", []function{
				{"record_session", []int64{64, 90}}, {"save", []int64{121}}}, true},
		},
		pid: 1231, process: true, pidAsString: true, spaced: true, zone: time.UTC, tsLayout: layoutZ,
		subjects: []string{"713491", "714392"},
		extras:   []extra{exWater, exWeight, exUser, exDatabase, exStatus},
	},
	{
		weight: 14, software: "aind-meso", version: "0.4.0",
		hosts: []string{"W10DT714200"}, rig: "meso_1", instrument: "MESO1",
		loggers: []logger{
			{"meso.scanimage", `D:\aind\meso\scanimage_bridge.py`, []function{
				{"acquire_stack", []int64{240, 266}}, {"set_roi", []int64{98}}}, true},
			{"meso.stage", `D:\aind\meso\stage.py`, []function{
				{"move_to", []int64{45, 61}}}, false},
		},
		pid: 7720, process: true,
		spaced: false, zone: time.UTC, tsLayout: layoutZ,
		subjects: []string{"721004"},
		extras:   []extra{exStage, exROI, exFrameCount, exDurationMS, exCamera},
	},
	{
		weight: 12, software: "aind-dts", version: "1.14.0",
		hosts: []string{"aind-dts-prod-01", "aind-dts-prod-02"}, rig: "ephys_9_acq",
		loggers: []logger{
			{"dts.server", "/app/dts/server.py", []function{
				{"submit_jobs", []int64{402, 455}}, {"get_job_status", []int64{610}}}, false},
			{"dts.hpc", "/app/dts/hpc.py", []function{
				{"submit_job", []int64{133, 171}}}, true},
		},
		pid: 1, pathname: true, spaced: false, zone: time.UTC, tsLayout: layoutOffset,
		subjects: []string{"713491", "713655", "721004"},
		extras:   []extra{exJobID, exBytes, exDurationMS, exStatus, exUser},
	},
	{
		weight: 8, software: "aind-ephys-spikesort", version: "0.3.2",
		hosts: []string{"codeocean-worker-3f2a"}, rig: "ephys_9_acq",
		loggers: []logger{
			{"spikesort.pipeline", "/code/run_capsule.py", []function{
				{"main", []int64{37, 52, 80}}, {"run_kilosort", []int64{144}}}, true},
		},
		pid: 57, process: true,
		threads: []thread{{140245119936320, "MainThread"}},
		spaced:  false, zone: time.UTC, tsLayout: layoutZ,
		subjects: []string{"709341"},
		extras:   []extra{exPipeline, exCapsule, exUnits, exDurationMS, exStatus},
	},
}
