// Package drainstorage implements the drain_storage extension: a storage
// extension in front of another (file_storage) that knows how much the
// persistent sending queues kept through it hold, so that the aind
// receiver can wait at shutdown until they are empty.
//
// exporterhelper's persistent queue stops its consumers at shutdown and
// leaves what it holds on disk for the next start (collector issue #5902);
// its retries stop with it. The aind receiver shuts down before the
// exporters, while they still send and retry: waiting there for the queues
// to empty, within drain_timeout, is the drain.
//
// internal/metadata is written by hand in mdatagen's layout from
// metadata.yaml.
package drainstorage // import "github.com/AllenNeuralDynamics/otelcol-aind/drainstorage"
