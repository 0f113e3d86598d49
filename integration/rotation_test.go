//go:build integration && reliability

package integration

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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

// onDisk is the set of messages of the complete lines in the log and its
// rotated copies.
func onDisk(t *testing.T, dir string) map[string]bool {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "capsule.jsonl*"))
	require.NoError(t, err)
	msgs := map[string]bool{}
	for _, p := range paths {
		f, err := os.Open(p)
		require.NoError(t, err)
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
		for sc.Scan() {
			var rec struct {
				Message string `json:"message"`
			}
			if json.Unmarshal(sc.Bytes(), &rec) == nil && rec.Message != "" {
				msgs[rec.Message] = true
			}
		}
		require.NoError(t, sc.Err())
		f.Close()
	}
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

type rotationRun struct {
	written, onDisk, lost, lostInherent, lostByCollector, duplicated, rotations int
	seconds                                                                     float64
}

// runRotation starts the collector on logDir, has 5 producers write
// capsule.jsonl for the scenario's time while it is rotated every limit
// bytes, then waits for every line that is still on disk.
func runRotation(t *testing.T, configPath string, copyTruncate bool) rotationRun {
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

	disk := onDisk(t, logDir)
	var stored []string
	for _, m := range written {
		if disk[m] {
			stored = append(stored, m)
		}
	}
	// Wait for what can arrive; a lost line does not come, so the wait
	// ends at the timeout then, after a last line proved the reader is
	// past everything written before it.
	sentinel := "sentinel"
	_, err := log.file.WriteString(reliabilityLine(sentinel, time.Now()) + "\n")
	require.NoError(t, err)
	missing, _ := sink.waitForAll([]string{sentinel}, 2*time.Minute)
	require.Zero(t, missing, "the last line did not arrive")
	seconds := time.Since(begin).Seconds()
	sink.waitForAll(stored, 5*time.Second)
	time.Sleep(time.Second)
	lost, duplicated := sink.counts(written)
	lostByCollector, _ := sink.counts(stored)
	col.stop(t)
	return rotationRun{
		written: len(written), onDisk: len(stored), lost: lost,
		lostInherent: len(written) - len(stored), lostByCollector: lostByCollector,
		duplicated: duplicated, rotations: int(log.rotations.Load()), seconds: seconds,
	}
}

func recordRotation(t *testing.T, scenario string, r rotationRun) {
	recordFigure(t, scenario, "rotations", r.rotations)
	recordFigure(t, scenario, "lines written", r.written)
	recordFigure(t, scenario, "last line delivered after (s)", fmt.Sprintf("%.1f", r.seconds))
	recordFigure(t, scenario, "lost lines", r.lost)
	recordFigure(t, scenario, "lost: in no file (between copy and truncate)", r.lostInherent)
	recordFigure(t, scenario, "lost: on disk but not delivered", r.lostByCollector)
	recordFigure(t, scenario, "duplicated lines at the sink", r.duplicated)
}

// Scenario 2a: rename rotation (RotatingFileHandler). Matching the live
// file only, fileconsumer finishes a renamed file through the handle it
// still has open; with the shipped config, which matches the rotated names
// too, the renamed file is also found again by its fingerprint. Nothing may
// be lost either way.
func TestReliabilityRotationRename(t *testing.T) {
	for name, config := range map[string]func(*testing.T) string{
		"live file only (*.jsonl)":          liveOnlyAgentConfig,
		"shipped (*.jsonl, *.jsonl.[0-9]*)": func(*testing.T) string { return shippedAgentConfig },
	} {
		t.Run(name, func(t *testing.T) {
			r := runRotation(t, config(t), false)
			recordRotation(t, "rotation rename, include "+name, r)
			assert.Positive(t, r.rotations)
			assert.Zero(t, r.lost, "lines lost with rename rotation")
		})
	}
}

// Scenario 2b: copytruncate rotation. Matching the live file only, the
// copy is not read and its unread lines are lost; with the shipped config
// the copy is read, found by its fingerprint at the offset already read.
// Lines in no file (written between the copy and the truncate) cannot be
// delivered by anyone; lines on disk must all arrive with the shipped
// config.
func TestReliabilityRotationCopytruncate(t *testing.T) {
	t.Run("live file only (*.jsonl)", func(t *testing.T) {
		r := runRotation(t, liveOnlyAgentConfig(t), true)
		recordRotation(t, "rotation copytruncate, include live file only (*.jsonl)", r)
		assert.Positive(t, r.rotations)
	})
	t.Run("shipped (*.jsonl, *.jsonl.[0-9]*)", func(t *testing.T) {
		r := runRotation(t, shippedAgentConfig, true)
		recordRotation(t, "rotation copytruncate, include shipped (*.jsonl, *.jsonl.[0-9]*)", r)
		assert.Positive(t, r.rotations)
		assert.Zero(t, r.lostByCollector, "lines on disk (file or its copy) not delivered")
	})
}

// Scenario 2c: rename rotation while the collector is down (killed): the
// lines the old file got after the last checkpoint are read only if the
// renamed file still matches include, where its fingerprint finds its
// checkpoint. Matching the live file only, they are lost (the test records
// how many); with the shipped config none may be.
func TestReliabilityRotationRenameWhileDown(t *testing.T) {
	for _, c := range []struct {
		include  string
		config   func(*testing.T) string
		mustKeep bool
	}{
		{"live file only (*.jsonl)", liveOnlyAgentConfig, false},
		{"shipped (*.jsonl, *.jsonl.[0-9]*)", func(*testing.T) string { return shippedAgentConfig }, true},
	} {
		t.Run(c.include, func(t *testing.T) {
			scenario := fmt.Sprintf("rotation rename while the collector is down, include %s", c.include)
			sink := startSink(t)
			logDir, storageDir := t.TempDir(), t.TempDir()
			env := sinkEnv(t, sink.url(), logDir, storageDir)
			path := filepath.Join(logDir, "capsule.jsonl")
			var written []string
			write := func(path, prefix string, n int) {
				f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
				require.NoError(t, err)
				defer f.Close()
				for i := 0; i < n; i++ {
					msg := fmt.Sprintf("%s-%05d", prefix, i)
					_, err := f.WriteString(reliabilityLine(msg, time.Now()) + "\n")
					require.NoError(t, err)
					written = append(written, msg)
				}
			}
			config := c.config(t)
			write(path, "before", 1000)
			col := startCollector(t, config, env...)
			missing, _ := sink.waitForAll(written, time.Minute)
			require.Zero(t, missing, "lines before the kill")
			time.Sleep(time.Second) // a poll saved the checkpoint
			col.kill(t)

			n := scaled(5000, 1000)
			write(path, "unread", n)
			require.NoError(t, os.Rename(path, path+".1"))
			write(path, "after", 1000)
			col = startCollector(t, config, env...)
			missing, duplicated := sink.waitForAll(written, scaled(30*time.Second, 10*time.Second))
			col.stop(t)
			recordFigure(t, scenario, "lines written to the old file while down", n)
			recordFigure(t, scenario, "lost lines", missing)
			recordFigure(t, scenario, "duplicated lines at the sink", duplicated)
			if c.mustKeep {
				assert.Zero(t, missing, "lines lost")
			}
		})
	}
}
