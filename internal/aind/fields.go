package aind // import "github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"

// Role says what the mapping does with an AIND key.
type Role uint8

const (
	// RoleAttribute keeps the key as a record attribute of the same name.
	RoleAttribute Role = iota
	// RoleTimestamp sets the record's Timestamp.
	RoleTimestamp
	// RoleLevel sets SeverityText and SeverityNumber.
	RoleLevel
	// RoleMessage becomes the body.
	RoleMessage
	// RoleInt becomes an integer attribute named Target; numeric strings
	// become ints.
	RoleInt
	// RoleRename becomes an attribute named Target, value unchanged.
	RoleRename
	// RoleFilePath becomes Target; Primary says whether the key wins over
	// the other keys of its role (pathname wins over filename).
	RoleFilePath
	// RoleStacktrace becomes exception.stacktrace.
	RoleStacktrace
	// RoleScope names the instrumentation scope (the logger name).
	RoleScope
	// RoleID is a high-cardinality identifier: always a record attribute,
	// always a string, never on the resource.
	RoleID
	// RoleLevelNumber is Python's levelno: it sets SeverityNumber, which it
	// gives exactly where a level name may be one the tables do not know,
	// and SeverityText only when no level name is given.
	RoleLevelNumber
	// RoleDropped is not kept: what it holds another field holds too.
	RoleDropped
)

// Field is one row of the mapping's record field table.
type Field struct {
	Key    string
	Role   Role
	Target string
	// Primary is set on the key that wins when several keys share a Target
	// or a role (timestamp over created); the others apply only to records
	// without it.
	Primary bool
	// StandsFor names the AIND key that this key of another protocol stands
	// for (Python's LogRecord: created for timestamp). It counts as that
	// key where the standard requires one, but the standard's rules on the
	// form of a value do not apply to it: its form is its protocol's.
	StandsFor string
}

// Semantic-convention attribute names the mapping writes.
const (
	AttrCodeLineNumber     = "code.line.number"
	AttrCodeFunctionName   = "code.function.name"
	AttrCodeFilePath       = "code.file.path"
	AttrProcessPID         = "process.pid"
	AttrProcessExecutable  = "process.executable.name"
	AttrThreadID           = "thread.id"
	AttrThreadName         = "thread.name"
	AttrExceptionStack     = "exception.stacktrace"
	AttrExceptionType      = "exception.type"
	AttrExceptionMessage   = "exception.message"
	ResourceServiceName    = "service.name"
	ResourceServiceVersion = "service.version"
	ResourceHostName       = "host.name"
)

// Standard keys whose names other code refers to.
const (
	KeyTimestamp       = "timestamp"
	KeyLevel           = "level"
	KeyMessage         = "message"
	KeySubjectID       = "subject_id"
	KeyAcquisitionName = "acquisition_name"
	KeySpecimenID      = "specimen_id"
	KeyUserID          = "user_id"
	KeySoftwareName    = "software_name"
)

// Fields is the mapping's record field table. Keys not listed here, and not
// resource fields, stay record attributes under their own name. The keys of
// Python's LogRecord (the socket input's frames, and JSON formatters that
// write them) are rows of the same table.
var Fields = []Field{
	{Key: KeyTimestamp, Role: RoleTimestamp, Primary: true},
	{Key: KeyLevel, Role: RoleLevel, Primary: true},
	{Key: KeyMessage, Role: RoleMessage, Primary: true},
	{Key: "created", Role: RoleTimestamp, StandsFor: KeyTimestamp},
	{Key: "levelname", Role: RoleLevel, StandsFor: KeyLevel},
	{Key: "levelno", Role: RoleLevelNumber, StandsFor: KeyLevel},
	{Key: "msg", Role: RoleMessage, StandsFor: KeyMessage},
	// msecs is created's fraction; relativeCreated is created less the time
	// the logging module was loaded.
	{Key: "msecs", Role: RoleDropped},
	{Key: "relativeCreated", Role: RoleDropped},
	{Key: "lineno", Role: RoleInt, Target: AttrCodeLineNumber},
	{Key: "funcName", Role: RoleRename, Target: AttrCodeFunctionName},
	{Key: "pathname", Role: RoleFilePath, Target: AttrCodeFilePath, Primary: true},
	{Key: "filename", Role: RoleFilePath, Target: AttrCodeFilePath},
	{Key: "process", Role: RoleInt, Target: AttrProcessPID},
	{Key: "processName", Role: RoleRename, Target: AttrProcessExecutable},
	{Key: "thread", Role: RoleInt, Target: AttrThreadID},
	{Key: "threadName", Role: RoleRename, Target: AttrThreadName},
	{Key: "exc_info", Role: RoleStacktrace, Target: AttrExceptionStack},
	{Key: "exc_text", Role: RoleStacktrace, Target: AttrExceptionStack},
	{Key: "stack_info", Role: RoleStacktrace, Target: AttrExceptionStack},
	{Key: "traceback", Role: RoleStacktrace, Target: AttrExceptionStack},
	{Key: "exc_type", Role: RoleRename, Target: AttrExceptionType},
	{Key: "exc_message", Role: RoleRename, Target: AttrExceptionMessage},
	{Key: "name", Role: RoleScope},
	{Key: KeySubjectID, Role: RoleID},
	{Key: KeyAcquisitionName, Role: RoleID},
	{Key: KeySpecimenID, Role: RoleID},
	{Key: KeyUserID, Role: RoleID},
}

// DefaultResourceFields maps the AIND keys that describe where a record comes
// from to resource attributes. They are low-cardinality by the standard's
// meaning, so they are safe as Loki stream labels.
func DefaultResourceFields() map[string]string {
	return map[string]string{
		"hostname":         ResourceHostName,
		KeySoftwareName:    ResourceServiceName,
		"software_version": ResourceServiceVersion,
		"rig_id":           "rig_id",
		"rig_name":         "rig_id", // mpetk's name for it
		"instrument_id":    "instrument_id",
		"pipeline_name":    "pipeline_name",
		"process_name":     "process_name",
	}
}

// IsHighCardinality reports whether key is one of the identifiers that must
// never become a resource attribute (and so never a Loki stream label).
func IsHighCardinality(key string) bool {
	for _, f := range Fields {
		if f.Role == RoleID && f.Key == key {
			return true
		}
	}
	return false
}
