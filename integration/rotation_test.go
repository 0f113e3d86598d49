//go:build integration && reliability

package integration

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.etcd.io/bbolt"
	"google.golang.org/protobuf/encoding/protowire"
)

// rotatingLog is capsule.jsonl written by several producers of one process
// (as threads sharing one logging handler) and rotated every limit bytes.
//
// rename: the handler itself rotates, under its lock, as Python's
// RotatingFileHandler does: close, rename capsule.jsonl to capsule.jsonl.N,
// open a new capsule.jsonl. Rotated files are never deleted here, so that
// a loss can only be the collector's.
//
// copytruncate: an outside rotator (logrotate's copytruncate) copies
// capsule.jsonl to capsule.jsonl.N and truncates it, while the producers go
// on appending (O_APPEND) without knowing: lines written between the end of
// the copy and the truncate are in no file at all.
type rotatingLog struct {
	dir, path string
	limit     int64
	copy      bool

	mu        sync.Mutex
	file      *os.File
	size      int64
	rotations atomic.Int64
	next      int
}

func newRotatingLog(t *testing.T, dir string, limit int64, copyTruncate bool) *rotatingLog {
	l := &rotatingLog{dir: dir, path: filepath.Join(dir, "capsule.jsonl"), limit: limit, copy: copyTruncate, next: 1}
	var err error
	l.file, err = os.OpenFile(l.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	t.Cleanup(func() { l.file.Close() })
	return l
}

// write appends one batch of whole lines with one write(2).
func (l *rotatingLog) write(data []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if _, err := l.file.Write(data); err != nil {
		return err
	}
	l.size += int64(len(data))
	if !l.copy && l.size >= l.limit {
		return l.renameLocked()
	}
	return nil
}

func (l *rotatingLog) renameLocked() error {
	if err := l.file.Close(); err != nil {
		return err
	}
	if err := os.Rename(l.path, fmt.Sprintf("%s.%d", l.path, l.next)); err != nil {
		return err
	}
	l.next++
	f, err := os.OpenFile(l.path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	l.file, l.size = f, 0
	l.rotations.Add(1)
	return nil
}

// copyTruncate is logrotate's copytruncate, run when the file reached the
// limit: it does not take the producers' lock.
func (l *rotatingLog) copyTruncate() error {
	info, err := os.Stat(l.path)
	if err != nil || info.Size() < l.limit {
		return err
	}
	src, err := os.Open(l.path)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(fmt.Sprintf("%s.%d", l.path, l.next))
	if err != nil {
		return err
	}
	l.next++
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	if err := dst.Close(); err != nil {
		return err
	}
	if err := os.Truncate(l.path, 0); err != nil {
		return err
	}
	l.rotations.Add(1)
	return nil
}

// onDisk is the set of messages of the complete lines in the files that
// pattern matches.
func onDisk(t *testing.T, pattern string) map[string]bool {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	require.NoError(t, err)
	msgs := map[string]bool{}
	for _, p := range paths {
		for _, m := range messagesIn(t, p) {
			msgs[m] = true
		}
	}
	return msgs
}

// messagesIn is the messages of the complete lines of the file at path, in
// their order.
func messagesIn(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var msgs []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		var rec struct {
			Message string `json:"message"`
		}
		if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Message != "" {
			msgs = append(msgs, rec.Message)
		}
	}
	require.NoError(t, sc.Err())
	return msgs
}

// shippedAgentConfig is config/capsule-agent.yaml, whose include matches
// the live files and their rotated names (capsule.jsonl.1, …).
var shippedAgentConfig = filepath.Join("..", "config", "capsule-agent.yaml")

// liveOnlyAgentConfig is config/capsule-agent.yaml matching the live files
// only (*.jsonl), as a config that does not name the rotated files would.
func liveOnlyAgentConfig(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(shippedAgentConfig)
	require.NoError(t, err)
	const rotated = "      - ${env:AIND_LOG_DIR:-/results}/*.jsonl.[0-9]*\n"
	require.Contains(t, string(data), rotated)
	return writeConfig(t, strings.Replace(string(data), rotated, "", 1))
}

// rotationIncludes are the includes the rename scenarios run with: the
// live file only, and the shipped config's, which matches the rotated names
// too.
var rotationIncludes = []struct {
	include     string
	config      func(*testing.T) string
	readsCopies bool
}{
	{"live file only (*.jsonl)", liveOnlyAgentConfig, false},
	{"shipped (*.jsonl, *.jsonl.[0-9]*)", func(*testing.T) string { return shippedAgentConfig }, true},
}

type rotationRun struct {
	written, onDisk, lost, lostInherent, lostByCollector, duplicated, rotations int
	// arrivedPastLoss is arrivedPastLoss of the rotated files.
	arrivedPastLoss int
	seconds         float64
}

// runRotation starts the collector on logDir, has 5 producers write
// capsule.jsonl for the scenario's time while it is rotated every limit
// bytes, then waits for every line still on disk that the collector reads:
// all of them, but with copytruncate and include matching the live file
// only (readsCopies false), those of the live file. It then stops the
// collector, whose drain delivers what it has read: what did not arrive
// by then is lost, and no copy can come later.
func runRotation(t *testing.T, configPath string, copyTruncate, readsCopies bool) rotationRun {
	var (
		producers = 5
		limit     = scaled(int64(5<<20), int64(512<<10))
		duration  = scaled(60*time.Second, 10*time.Second)
		// Lines per producer per second: the 5 producers write ~2 MB/s at
		// full size, a rotation every ~2.5 s.
		rate = scaled(2500, 1000)
	)
	sink := startSink(t)
	logDir := t.TempDir()
	log := newRotatingLog(t, logDir, limit, copyTruncate)
	col := startCollector(t, configPath, sinkEnv(t, sink.url(), logDir, t.TempDir())...)

	var (
		writtenMu sync.Mutex
		written   []string
		wg        sync.WaitGroup
	)
	const batch = 50
	begin := time.Now()
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ticker := time.NewTicker(time.Second * batch / time.Duration(rate))
			defer ticker.Stop()
			buf := make([]byte, 0, batch*220)
			msgs := make([]string, 0, batch)
			for n := 0; time.Since(begin) < duration; {
				buf, msgs = buf[:0], msgs[:0]
				for j := 0; j < batch; j++ {
					msg := fmt.Sprintf("p%d-%07d", p, n)
					n++
					msgs = append(msgs, msg)
					buf = append(buf, reliabilityLine(msg, time.Now())...)
					buf = append(buf, '\n')
				}
				if err := log.write(buf); err != nil {
					t.Errorf("write: %v", err)
					return
				}
				writtenMu.Lock()
				written = append(written, msgs...)
				writtenMu.Unlock()
				<-ticker.C
			}
		}()
	}
	if copyTruncate {
		done := make(chan struct{})
		go func() { wg.Wait(); close(done) }()
		ticker := time.NewTicker(10 * time.Millisecond)
	loop:
		for {
			select {
			case <-done:
				break loop
			case <-ticker.C:
				require.NoError(t, log.copyTruncate())
			}
		}
		ticker.Stop()
	}
	wg.Wait()

	inFiles := func(pattern string) []string {
		disk := onDisk(t, pattern)
		var in []string
		for _, m := range written {
			if disk[m] {
				in = append(in, m)
			}
		}
		return in
	}
	stored := inFiles(filepath.Join(logDir, "capsule.jsonl*"))
	arrive := stored
	if copyTruncate && !readsCopies {
		arrive = inFiles(log.path)
	}
	// A failure still stops the collector and records the run's figures.
	missing, _ := sink.waitForAll(arrive, 2*time.Minute)
	assert.Zero(t, missing, "lines the collector reads did not arrive")
	seconds := time.Since(begin).Seconds()
	col.stop(t)
	lost, duplicated := sink.counts(written)
	lostByCollector, _ := sink.counts(stored)
	return rotationRun{
		written: len(written), onDisk: len(stored), lost: lost,
		lostInherent: len(written) - len(stored), lostByCollector: lostByCollector,
		duplicated: duplicated, rotations: int(log.rotations.Load()),
		arrivedPastLoss: arrivedPastLoss(t, sink, log.path+".*"), seconds: seconds,
	}
}

// arrivedPastLoss counts the lines of the files that pattern matches that
// arrived although an earlier line of the same file did not. A file stops
// being read at some offset (a copytruncate's copy at the offset read
// before the truncate): the lines it loses are its tail.
func arrivedPastLoss(t *testing.T, sink *otlpSink, pattern string) int {
	t.Helper()
	paths, err := filepath.Glob(pattern)
	require.NoError(t, err)
	n := 0
	for _, p := range paths {
		lostBefore := false
		for _, m := range messagesIn(t, p) {
			switch missing, _ := sink.counts([]string{m}); {
			case missing > 0:
				lostBefore = true
			case lostBefore:
				n++
			}
		}
	}
	return n
}

func recordRotation(t *testing.T, scenario string, r rotationRun) {
	recordFigure(t, scenario, "rotations", r.rotations)
	recordFigure(t, scenario, "lines written", r.written)
	recordFigure(t, scenario, "lines read delivered after (s)", fmt.Sprintf("%.1f", r.seconds))
	recordFigure(t, scenario, "lost lines", r.lost)
	recordFigure(t, scenario, "lost: in no file (between copy and truncate)", r.lostInherent)
	recordFigure(t, scenario, "lost: on disk but not delivered", r.lostByCollector)
	recordFigure(t, scenario, "duplicated lines at the sink", r.duplicated)
}

// Scenario 2a: rename rotation (RotatingFileHandler). Matching the live
// file only, fileconsumer finishes a renamed file through the handle it
// still has open; with the shipped config, which matches the rotated names
// too, the renamed file is also found again by its fingerprint. Nothing may
// be lost either way, nor read twice.
func TestReliabilityRotationRename(t *testing.T) {
	for _, c := range rotationIncludes {
		t.Run(c.include, func(t *testing.T) {
			r := runRotation(t, c.config(t), false, c.readsCopies)
			recordRotation(t, "rotation rename, include "+c.include, r)
			assert.Positive(t, r.rotations)
			assert.Zero(t, r.lost, "lines lost with rename rotation")
			assert.Zero(t, r.duplicated, "lines delivered twice")
		})
	}
}

// Scenario 2b: copytruncate rotation. Matching the live file only, the
// copy is not read and its unread lines are lost: the copy's tail, written
// since a poll last read the file (how many depends on how far behind the
// writers the collector reads; the figures record them). With the shipped
// config the copy is read, found by its fingerprint at the offset already
// read. Lines in no file (written between the copy and the truncate)
// cannot be delivered by anyone; lines on disk must all arrive with the
// shipped config. A line is never read twice.
func TestReliabilityRotationCopytruncate(t *testing.T) {
	t.Run("live file only (*.jsonl)", func(t *testing.T) {
		r := runRotation(t, liveOnlyAgentConfig(t), true, false)
		recordRotation(t, "rotation copytruncate, include live file only (*.jsonl)", r)
		assert.Positive(t, r.rotations)
		// Every line of the live file arrives (runRotation checks it); of a
		// copy, the lines read before the truncate only: what a copy lost is
		// its tail.
		// Some truncates may find the file read to its end, but not all of a
		// run's.
		assert.Positive(t, r.lostByCollector, "lines of the copies lost")
		assert.Zero(t, r.arrivedPastLoss, "lines of a copy that arrived after one of its lines was lost")
		assert.Zero(t, r.duplicated, "lines delivered twice")
	})
	t.Run("shipped (*.jsonl, *.jsonl.[0-9]*)", func(t *testing.T) {
		r := runRotation(t, shippedAgentConfig, true, true)
		recordRotation(t, "rotation copytruncate, include shipped (*.jsonl, *.jsonl.[0-9]*)", r)
		assert.Positive(t, r.rotations)
		assert.Zero(t, r.lostByCollector, "lines on disk (file or its copy) not delivered")
		assert.Zero(t, r.duplicated, "lines delivered twice")
	})
}

// Scenario 2c: rename rotation while the collector is down (killed): the
// lines the old file got after the last checkpoint are read only if the
// renamed file still matches include, where its fingerprint finds its
// checkpoint. Matching the live file only, they are lost, all of them and
// only them; with the shipped config none is. The collector is killed once
// its checkpoint holds every line it delivered: none is read twice.
func TestReliabilityRotationRenameWhileDown(t *testing.T) {
	for _, c := range rotationIncludes {
		t.Run(c.include, func(t *testing.T) {
			scenario := fmt.Sprintf("rotation rename while the collector is down, include %s", c.include)
			sink := startSink(t)
			logDir, storageDir := t.TempDir(), t.TempDir()
			env := sinkEnv(t, sink.url(), logDir, storageDir)
			path := filepath.Join(logDir, "capsule.jsonl")
			write := func(path, prefix string, n int) []string {
				f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
				require.NoError(t, err)
				defer f.Close()
				var msgs []string
				for i := 0; i < n; i++ {
					msg := fmt.Sprintf("%s-%05d", prefix, i)
					_, err := f.WriteString(reliabilityLine(msg, time.Now()) + "\n")
					require.NoError(t, err)
					msgs = append(msgs, msg)
				}
				return msgs
			}
			config := c.config(t)
			before := write(path, "before", 1000)
			col := startCollector(t, config, env...)
			missing, _ := sink.waitForAll(before, time.Minute)
			require.Zero(t, missing, "lines before the kill")
			info, err := os.Stat(path)
			require.NoError(t, err)
			snapshot := filepath.Join(t.TempDir(), "storage.db")
			require.EventuallyWithT(t, func(c *assert.CollectT) {
				offset, err := checkpointedOffset(storageDir, snapshot)
				require.NoError(c, err)
				assert.Equal(c, info.Size(), offset)
			}, time.Minute, 20*time.Millisecond, "the checkpoint never held the lines delivered")
			col.kill(t)

			n := scaled(5000, 1000)
			unread := write(path, "unread", n)
			require.NoError(t, os.Rename(path, path+".1"))
			after := write(path, "after", 1000)
			col = startCollector(t, config, env...)
			arrive := slices.Concat(before, after)
			if c.readsCopies {
				arrive = slices.Concat(arrive, unread)
			}
			missing, _ = sink.waitForAll(arrive, time.Minute)
			require.Zero(t, missing, "lines the collector reads did not arrive")
			// The drain at stop delivers what the collector read: an unread
			// line that did not arrive by then is lost.
			col.stop(t)
			lost, _ := sink.counts(unread)
			_, duplicated := sink.counts(slices.Concat(before, unread, after))
			recordFigure(t, scenario, "lines written to the old file while down", n)
			recordFigure(t, scenario, "lost lines", lost)
			recordFigure(t, scenario, "duplicated lines at the sink", duplicated)
			if c.readsCopies {
				assert.Zero(t, lost, "lines lost")
			} else {
				assert.Equal(t, n, lost, "lines written to the old file while down and lost")
			}
			assert.Zero(t, duplicated, "lines delivered twice")
		})
	}
}

// checkpointedOffset is how far the agent's checkpoints in storageDir have
// its one log file read: the furthest offset in fileconsumer's known-files
// record and in the aind receiver's journal of the batches accepted since
// (both a list, field 1, of one message per file whose field 2 is its
// offset). The agent holds its bbolt file locked: a copy of it is read,
// written to snapshot. The copy is read twice, so that no commit changed
// the file in between: bbolt writes a commit's pages where the committed
// tree has none, then its meta page, so such a copy holds the last commit.
func checkpointedOffset(storageDir, snapshot string) (int64, error) {
	paths, err := filepath.Glob(filepath.Join(storageDir, "receiver_aind_*"))
	if err != nil || len(paths) != 1 {
		return 0, fmt.Errorf("the aind receiver's storage file in %s: %v %w", storageDir, paths, err)
	}
	data, err := os.ReadFile(paths[0])
	if err != nil {
		return 0, err
	}
	again, err := os.ReadFile(paths[0])
	if err != nil {
		return 0, err
	}
	if !bytes.Equal(data, again) {
		return 0, errors.New("the storage file changed while it was read")
	}
	if err := os.WriteFile(snapshot, data, 0o600); err != nil {
		return 0, err
	}
	db, err := bbolt.Open(snapshot, 0o600, &bbolt.Options{ReadOnly: true, Timeout: time.Second})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var offset int64
	err = db.View(func(tx *bbolt.Tx) error {
		bucket := tx.Bucket([]byte("default")) // filestorage's only bucket
		if bucket == nil {
			return nil
		}
		for _, key := range []string{"knownFiles", "aind.journal"} {
			offset = max(offset, furthestOffset(bucket.Get([]byte(key))))
		}
		return nil
	})
	return offset, err
}

// furthestOffset is the largest field 2 (a varint) of the messages in
// field 1 of a protobuf record.
func furthestOffset(record []byte) int64 {
	var offset int64
	eachField(record, func(num protowire.Number, typ protowire.Type, entry []byte) {
		if num != 1 || typ != protowire.BytesType {
			return
		}
		eachField(entry, func(num protowire.Number, typ protowire.Type, value []byte) {
			if num == 2 && typ == protowire.VarintType {
				v, _ := protowire.ConsumeVarint(value)
				offset = max(offset, int64(v))
			}
		})
	})
	return offset
}

// eachField calls f with each field of a protobuf message: its number, its
// type and its value (the bytes of a length-delimited field, the encoding
// of any other). It stops where the message is malformed.
func eachField(msg []byte, f func(num protowire.Number, typ protowire.Type, value []byte)) {
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return
		}
		msg = msg[n:]
		n = protowire.ConsumeFieldValue(num, typ, msg)
		if n < 0 {
			return
		}
		value := msg[:n]
		if typ == protowire.BytesType {
			value, _ = protowire.ConsumeBytes(value)
		}
		f(num, typ, value)
		msg = msg[n:]
	}
}
