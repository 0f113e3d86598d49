package job

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/consolespool"
)

// The test binary is also the child: with JOB_TEST_CHILD set, it acts as
// the job named there instead of running the tests.
func TestMain(m *testing.M) {
	if mode := os.Getenv("JOB_TEST_CHILD"); mode != "" {
		os.Exit(child(mode))
	}
	goleak.VerifyTestMain(m)
}

// stdoutOfChild is what the "print" child writes on stdout: partial
// lines, carriage returns, ANSI codes and UTF-8, in several writes.
var stdoutOfChild = []string{"line 1\n", "\r 10%\r 50%\r100%\n", "\x1b[31mred\x1b[0m\n", "µm Ω 日本語", " tail\n", "no newline at the end"}

func child(mode string) int {
	switch mode {
	case "print":
		for _, s := range stdoutOfChild {
			os.Stdout.WriteString(s)
		}
		os.Stderr.WriteString("ERROR:root:on stderr\n")
		return 3
	case "kill":
		fmt.Println("before the kill")
		p, _ := os.FindProcess(os.Getpid())
		p.Signal(syscall.SIGKILL)
		time.Sleep(time.Minute)
	case "term":
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, syscall.SIGTERM)
		fmt.Println("ready")
		select {
		case <-sigs:
			fmt.Println("handled SIGTERM")
			return 0
		case <-time.After(time.Minute):
			return 9
		}
	}
	return 2
}

// output is a file the copier writes the child's output to and the test
// reads, while the child runs too.
type output struct{ *os.File }

func newOutput(t *testing.T) output {
	f, err := os.CreateTemp(t.TempDir(), "out")
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return output{f}
}

func (o output) String() string {
	b, _ := os.ReadFile(o.Name())
	return string(b)
}

func runChild(t *testing.T, mode string) (Result, output, output, string) {
	t.Helper()
	t.Setenv("JOB_TEST_CHILD", mode)
	spool := t.TempDir()
	stdout, stderr := newOutput(t), newOutput(t)
	res, err := Run(Config{Args: []string{os.Args[0]}, Spool: spool, SpoolLimit: 1 << 20, Stdout: stdout, Stderr: stderr})
	require.NoError(t, err)
	return res, stdout, stderr, spool
}

// spooled reads what the spool holds of a stream.
func spooled(t *testing.T, spool, stream string) string {
	t.Helper()
	r := consolespool.NewReader(spool, stream, 0)
	defer r.Close()
	var out []byte
	buf := make([]byte, 4096)
	for {
		n, err := r.Read(buf)
		require.NoError(t, err)
		if n == 0 {
			return string(out)
		}
		out = append(out, buf[:n]...)
	}
}

func TestPassesThroughSpoolsAndExitsWithTheChildsStatus(t *testing.T) {
	res, stdout, stderr, spool := runChild(t, "print")
	want := strings.Join(stdoutOfChild, "")
	assert.Equal(t, want, stdout.String(), "stdout passes through byte for byte")
	assert.Equal(t, "ERROR:root:on stderr\n", stderr.String())
	assert.Equal(t, want, spooled(t, spool, consolespool.Stdout), "and is spooled as it was")
	assert.Equal(t, "ERROR:root:on stderr\n", spooled(t, spool, consolespool.Stderr))
	assert.Equal(t, 3, res.Status)
	assert.Equal(t, 3, res.Code)
	assert.Equal(t, filepath.Base(os.Args[0]), res.Command, "the program's name only")

	exit, ok, err := consolespool.ReadExit(spool)
	require.NoError(t, err)
	require.True(t, ok, "exit.json is written")
	assert.Equal(t, 3, exit.Code)
	assert.False(t, exit.Ended.Before(exit.Started))
	for _, stream := range consolespool.Streams {
		ended, ok, err := consolespool.ReadEnded(spool, stream)
		require.NoError(t, err)
		require.True(t, ok, "%s ended", stream)
		assert.Zero(t, ended.DroppedLines)
	}
}

func TestCommandNotFound(t *testing.T) {
	spool := t.TempDir()
	out := newOutput(t)
	res, err := Run(Config{Args: []string{"/no/such/program-xyz", "--password=secret"}, Spool: spool, SpoolLimit: 1 << 20, Stdout: out, Stderr: out})
	require.NoError(t, err)
	assert.Equal(t, 127, res.Status)
	assert.Equal(t, "command not found", res.StartError)
	assert.Equal(t, "program-xyz", res.Command)
	exit, ok, err := consolespool.ReadExit(spool)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, 127, exit.Code)
}

func TestStartStatus(t *testing.T) {
	assert.Equal(t, 127, startStatus(os.ErrNotExist))
	assert.Equal(t, 126, startStatus(os.ErrPermission))
	assert.Equal(t, "permission denied", startError(os.ErrPermission))
}
