package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// ndjsonClient posts AIND JSON Lines to a gateway's AIND endpoint as a
// capsule's logging handler does, and sends a refused request again
// after the Retry-After the gateway asks for.
type ndjsonClient struct {
	client *http.Client
	url    string // the gateway's aind_path
	token  string
	// retries counts the requests answered 503, over every client
	// sharing it: how often the gateway pushed back.
	retries *atomic.Int64
}

// defaultRetryAfter is the wait when a 503 carries no usable Retry-After.
const defaultRetryAfter = time.Second

// post sends one batch until the gateway accepts it (200). A 503 is
// retried after its Retry-After; any other status, or a transport error,
// ends the run: the gateway refused lines for good.
func (c ndjsonClient) post(ctx context.Context, batch []byte) error {
	for {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(batch))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/x-ndjson")
		req.Header.Set("Authorization", "Bearer "+c.token)
		resp, err := c.client.Do(req)
		if err != nil {
			return err
		}
		// Drained so that the connection is reused.
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		switch resp.StatusCode {
		case http.StatusOK:
			return nil
		case http.StatusServiceUnavailable:
			c.retries.Add(1)
			select {
			case <-time.After(retryAfter(resp.Header.Get("Retry-After"))):
			case <-ctx.Done():
				return ctx.Err()
			}
		default:
			return fmt.Errorf("POST %s: %s", c.url, resp.Status)
		}
	}
}

// retryAfter reads a Retry-After in seconds (the form the gateway
// sends).
func retryAfter(h string) time.Duration {
	n, err := strconv.Atoi(h)
	if err != nil || n < 0 {
		return defaultRetryAfter
	}
	return time.Duration(n) * time.Second
}
