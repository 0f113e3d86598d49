package httpinput

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.opentelemetry.io/collector/consumer"
	"go.opentelemetry.io/collector/pdata/plog"

	"github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/input/inputtest"
)

// countingConsumer counts each message it accepts; every refuseEvery-th
// call is refused with a retryable error, before looking at the data.
type countingConsumer struct {
	mu          sync.Mutex
	calls       int
	refusals    int
	refuseEvery int
	counts      map[string]int
}

func (c *countingConsumer) Capabilities() consumer.Capabilities {
	return consumer.Capabilities{}
}

func (c *countingConsumer) ConsumeLogs(_ context.Context, ld plog.Logs) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.refuseEvery > 0 && c.calls%c.refuseEvery == 0 {
		c.refusals++
		return inputtest.ErrBusy
	}
	for i := 0; i < ld.ResourceLogs().Len(); i++ {
		sls := ld.ResourceLogs().At(i).ScopeLogs()
		for j := 0; j < sls.Len(); j++ {
			lrs := sls.At(j).LogRecords()
			for k := 0; k < lrs.Len(); k++ {
				c.counts[inputtest.MessageOf(lrs.At(k))]++
			}
		}
	}
	return nil
}

// 32 clients send 5,000 lines each, in requests of 500 lines, at the same
// time; the consumer refuses every 7th call, and clients send a refused
// request again. Every line must arrive exactly once.
func TestHTTPConcurrentClientsExactlyOnce(t *testing.T) {
	const (
		clients        = 32
		linesPerClient = 5000
		perRequest     = 500
		maxAttempts    = 20
	)
	next := &countingConsumer{refuseEvery: 7, counts: map[string]int{}}
	_, base := startHTTP(t, httpTestConfig(), inputtest.Settings(t, next, nil), nil)
	c := newClient(t, &http.Transport{MaxIdleConnsPerHost: clients})
	url := base + defaultAindPath

	send := func(body []byte) (int, error) {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, url, bytes.NewReader(body))
		if err != nil {
			return 0, err
		}
		req.Header.Set("Content-Type", ctNDJSON)
		resp, err := c.Do(req)
		if err != nil {
			return 0, err
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		_ = resp.Body.Close()
		return resp.StatusCode, nil
	}

	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for client := 0; client < clients; client++ {
		wg.Go(func() {
			for start := 0; start < linesPerClient; start += perRequest {
				var body bytes.Buffer
				for i := start; i < start+perRequest; i++ {
					fmt.Fprintf(&body, "{\"level\":\"INFO\",\"message\":\"c%02d-%05d\"}\n", client, i)
				}
				for attempt := 1; ; attempt++ {
					status, err := send(body.Bytes())
					if err != nil {
						errs <- fmt.Errorf("client %d: %w", client, err)
						return
					}
					if status == http.StatusOK {
						break
					}
					if status != http.StatusServiceUnavailable || attempt == maxAttempts {
						errs <- fmt.Errorf("client %d: status %d after %d attempts", client, status, attempt)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	require.False(t, t.Failed())

	next.mu.Lock()
	defer next.mu.Unlock()
	assert.Positive(t, next.refusals, "some requests were refused and sent again")
	require.Len(t, next.counts, clients*linesPerClient)
	for client := 0; client < clients; client++ {
		for i := 0; i < linesPerClient; i++ {
			msg := fmt.Sprintf("c%02d-%05d", client, i)
			if n := next.counts[msg]; n != 1 {
				t.Fatalf("%s arrived %d times", msg, n)
			}
		}
	}
}
