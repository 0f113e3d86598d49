// Package corpus generates the benchmarks' input: realistic AIND JSON
// Lines, Python logging records per the AIND logging standard
// (docs/aind-logging-standard.md of this repository; the fields of
// docs/mapping.md) from a handful of rigs and services, with nested
// custom fields, tracebacks, a few planted secrets and a few malformed
// lines. The bytes depend only on the seed, the base time, the number of
// lines and the shape options (line size, fields, secrets: shape.go), so
// two runs of a benchmark read the same corpus.
package corpus
