//go:build integration

package integration

import (
	"bytes"
	"fmt"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The shipped gateway knows who writes: two clients with their own tokens
// post to it, and each record in Loki carries its client's name as
// aind_client, whatever name the record, its stream labels or its
// structured metadata claim and whatever tenant X-Scope-OrgID names. A
// token removed from the tokens file is refused within seconds, without a
// restart, while the other client keeps writing.
func TestGatewayNamesItsClients(t *testing.T) {
	loki := startLoki(t)
	ephys := gatewayClient{name: "team-ephys", token: "token-of-team-ephys-0123456789"}
	rigs := gatewayClient{name: "rig-group-a", token: "token-of-rig-group-a-0123456789"}
	tokensFile := filepath.Join(t.TempDir(), "tokens.yaml")
	writeGatewayTokens(t, tokensFile, ephys, rigs)
	gatewayAddr, _ := startGateway(t, loki, tokensFile)
	aindURL := "http://" + gatewayAddr + "/aind/v1/logs"
	pushURL := "http://" + gatewayAddr + "/loki/api/v1/push"
	service := "clients-" + strconv.FormatInt(time.Now().UnixNano(), 36)
	otherTenant := map[string]string{"X-Scope-OrgID": "other-tenant"}

	// team-ephys claims to be rig-group-a in a field and in a map Loki
	// flattens to aind_client.
	ephysLine := func(msg string) string {
		return fmt.Sprintf(`{"timestamp":%q,"level":"INFO","message":%q,"software_name":%q,"aind.client":"rig-group-a","aind":{"client":"rig-group-a"}}`,
			time.Now().UTC().Format(time.RFC3339Nano), msg, service)
	}
	status, body := post(t, aindURL, "application/x-ndjson", ephys.token, ephysLine("ephys forges"), otherTenant)
	require.Equal(t, http.StatusOK, status, body)
	// rig-group-a claims to be team-ephys in a stream label (a resource
	// attribute) and in structured metadata (a record attribute).
	rigsPush := func(msg string) string {
		return fmt.Sprintf(`{"streams":[{"stream":{"service_name":%q,"aind_client":"team-ephys"},"values":[[%q,%q,{"aind.client":"team-ephys"}]]}]}`,
			service, strconv.FormatInt(time.Now().UnixNano(), 10), msg)
	}
	status, body = post(t, pushURL, "application/json", rigs.token, rigsPush("rigs forges"), otherTenant)
	require.Equal(t, http.StatusNoContent, status, body)
	rigsLines := 1

	// rig-group-a's token is revoked while team-ephys writes on.
	ephysWriter := startWriter(aindURL, ephys.token, ephysLine)
	revoked := time.Now()
	writeGatewayTokens(t, tokensFile, ephys)
	var refusedAfter time.Duration
	for {
		status, body = post(t, pushURL, "application/json", rigs.token, rigsPush("rigs before the refusal"), nil)
		if status == http.StatusUnauthorized {
			refusedAfter = time.Since(revoked)
			break
		}
		require.Equal(t, http.StatusNoContent, status, body)
		rigsLines++
		require.Less(t, time.Since(revoked), 15*time.Second, "the revoked token is still accepted")
		time.Sleep(20 * time.Millisecond)
	}
	t.Logf("the revoked token was refused %v after the tokens file was replaced", refusedAfter)
	time.Sleep(time.Second) // team-ephys keeps writing after the refusal
	ephysLines := ephysWriter.stop(t)
	status, _ = post(t, aindURL, "application/x-ndjson", rigs.token, ephysLine("rigs after the refusal"), nil)
	assert.Equal(t, http.StatusUnauthorized, status, "still refused")

	from, to := revoked.Add(-time.Hour), time.Now().Add(time.Hour)
	got := loki.waitForEntries(t, fmt.Sprintf(`{service_name=%q}`, service), from, to, 1+ephysLines+rigsLines, 2*time.Minute)
	byClient := map[string]int{}
	for _, e := range got {
		want := "rig-group-a"
		if strings.HasPrefix(e.Line, "ephys") {
			want = "team-ephys"
		}
		assert.Equal(t, want, e.Metadata["aind_client"], "line %q: %v", e.Line, e.Metadata)
		assert.NotContains(t, e.Metadata, "loki_tenant")
		assert.NotContains(t, e.Line, "after the refusal")
		byClient[e.Metadata["aind_client"]]++
	}
	assert.Equal(t, 1+ephysLines, byClient["team-ephys"], "every line team-ephys wrote")
	assert.Equal(t, rigsLines, byClient["rig-group-a"], "every line rig-group-a wrote before the refusal")
}

// writer posts a line with its token every 50 ms until stop.
type writer struct {
	done     chan struct{}
	wg       sync.WaitGroup
	accepted int
	failures []string
}

func startWriter(url, token string, line func(msg string) string) *writer {
	w := &writer{done: make(chan struct{})}
	w.wg.Go(func() {
		for {
			select {
			case <-w.done:
				return
			case <-time.After(50 * time.Millisecond):
			}
			req, err := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(line("ephys writes on")))
			if err != nil {
				w.failures = append(w.failures, err.Error())
				continue
			}
			req.Header.Set("Content-Type", "application/x-ndjson")
			req.Header.Set("Authorization", "Bearer "+token)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				w.failures = append(w.failures, err.Error())
				continue
			}
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				w.accepted++
			} else {
				w.failures = append(w.failures, resp.Status)
			}
		}
	})
	return w
}

// stop ends the writer, fails the test if a post failed, and returns how
// many lines were accepted.
func (w *writer) stop(t *testing.T) int {
	t.Helper()
	close(w.done)
	w.wg.Wait()
	assert.Empty(t, w.failures, "the other client's posts")
	require.Positive(t, w.accepted)
	return w.accepted
}
