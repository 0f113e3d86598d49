package corpus

import (
	"math/rand/v2"
	"strconv"
)

// Python tracebacks, as logging.exception() puts them in exc_text: many
// lines, quotes and (on Windows rigs) backslashes, all escaped into one
// JSON string. The first frame is the logging function's own.
var tracebackTails = []struct {
	code, tail string
}{
	{
		code: "    n = self._device.read(buffer)\n",
		tail: `  File "C:\Python311\Lib\site-packages\serial\serialwin32.py", line 288, in read` + "\n" +
			`    raise SerialException("ReadFile failed ({!r})".format(ctypes.WinError()))` + "\n" +
			"serial.serialutil.SerialException: ReadFile failed (OSError(22, 'The I/O operation has been aborted because of either a thread exit or an application request.', None, 995))",
	},
	{
		code: "    conn = psycopg2.connect(self.dsn, connect_timeout=5)\n",
		tail: `  File "/usr/local/lib/python3.11/site-packages/psycopg2/__init__.py", line 122, in connect` + "\n" +
			"    conn = _connect(dsn, connection_factory=connection_factory, **kwasync)\n" +
			"psycopg2.OperationalError: connection to server at \"10.128.0.12\", port 5432 failed: timeout expired",
	},
	{
		code: "    with open(path) as f:\n",
		tail: "FileNotFoundError: [Errno 2] No such file or directory: 'rig.json'",
	},
	{
		code: "    metadata = Session.model_validate(raw)\n",
		tail: `  File "/opt/conda/lib/python3.11/site-packages/pydantic/main.py", line 596, in model_validate` + "\n" +
			"    return cls.__pydantic_validator__.validate_python(\n" +
			"pydantic_core._pydantic_core.ValidationError: 1 validation error for Session\n" +
			"experimenter_full_name\n  Field required [type=missing, input_value={'subject_id': '713491'}, input_type=dict]",
	},
}

// appendTraceback appends a traceback raised in fn at line of path.
func appendTraceback(b []byte, path, fn string, line int64, r *rand.Rand) []byte {
	t := tracebackTails[r.IntN(len(tracebackTails))]
	b = append(b, "Traceback (most recent call last):\n  File \""...)
	b = append(b, path...)
	b = append(b, "\", line "...)
	b = strconv.AppendInt(b, line+1, 10)
	b = append(b, ", in "...)
	b = append(b, fn...)
	b = append(b, '\n')
	b = append(b, t.code...)
	return append(b, t.tail...)
}
