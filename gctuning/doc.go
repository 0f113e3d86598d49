// Package gctuning implements the gc_tuning extension: it sets the Go
// garbage collector's target (GOGC) and, if asked, a soft memory limit
// (GOMEMLIMIT) for the collector process, from the configuration, so that
// the distribution's GC setting is written where an operator reads and
// changes it. The environment wins: a GOGC or GOMEMLIMIT variable is left
// in force, as the Go runtime already applied it.
//
// Why: the collector's live heap is a few MB, so at Go's default GOGC=100
// it collects at the 4 MB minimum goal, about 135 times a second at full
// speed, and a third of the CPU per line goes to garbage collection
// (bench/RESULTS.md). GOGC=400 halves the CPU per line for about 15 MiB.
// The collector's own precedent is the memory_ballast extension, replaced
// by GOMEMLIMIT: a process-wide setting, made explicit.
//
// internal/metadata is written by hand in mdatagen's layout from
// metadata.yaml.
package gctuning // import "github.com/AllenNeuralDynamics/otelcol-aind/gctuning"
