// Package harness holds the benchmark tools of bench/: the corpus
// generator, the physical reference decoder and the runner that measures
// the distributions. See bench/README.md.
package harness
