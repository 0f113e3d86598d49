// Package pickle is a restricted unpickler for the frames of Python
// logging's SocketHandler: pickle.dumps(record.__dict__, 1), one dict of a
// log record per frame, decoded straight into a pcommon.Map.
//
// Safety is by construction: nothing is ever imported, called or built.
// The data opcodes of protocols 0 to 5 are read; the object opcodes
// (GLOBAL, REDUCE, NEWOBJ, BUILD, PERSID...) are evaluated symbolically, an
// object becoming the string "<module.Name object>" and counted in
// Report.Objects, except for the few constructors Python uses to pickle
// plain data (bytes at protocols 0-2, bytearray, set, frozenset), which are
// read as that data. Claimed lengths are checked against the bytes left
// before anything is allocated, the memo never grows faster than the
// opcodes, and the conversion of shared or cyclic values is bounded in
// depth and size. Errors never quote the data. See design.md.
package pickle // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/pickle"
