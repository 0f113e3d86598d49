// Package promtext reads one counter from a Prometheus text exposition:
// enough for the runner to watch a collector's internal telemetry without
// depending on the Prometheus client libraries.
package promtext

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Selector picks series by metric name and a subset of their labels, as
// written in PromQL: name{label="value",...}. The name matches with or
// without the _total suffix some exporters add to counters.
type Selector struct {
	Name   string
	Labels map[string]string
}

// ParseSelector parses name or name{l1="v1",l2="v2"}.
func ParseSelector(s string) (Selector, error) {
	s = strings.TrimSpace(s)
	sel := Selector{Labels: map[string]string{}}
	name, rest, hasLabels := strings.Cut(s, "{")
	sel.Name = strings.TrimSpace(name)
	if sel.Name == "" {
		return sel, fmt.Errorf("promtext: selector %q: no metric name", s)
	}
	if !hasLabels {
		return sel, nil
	}
	body, ok := strings.CutSuffix(strings.TrimSpace(rest), "}")
	if !ok {
		return sel, fmt.Errorf("promtext: selector %q: no closing brace", s)
	}
	labels, err := parseLabels(body)
	if err != nil {
		return sel, fmt.Errorf("promtext: selector %q: %v", s, err)
	}
	sel.Labels = labels
	return sel, nil
}

func (s Selector) String() string {
	var b strings.Builder
	b.WriteString(s.Name)
	if len(s.Labels) > 0 {
		b.WriteByte('{')
		first := true
		for k, v := range s.Labels {
			if !first {
				b.WriteByte(',')
			}
			first = false
			fmt.Fprintf(&b, "%s=%q", k, v)
		}
		b.WriteByte('}')
	}
	return b.String()
}

// Sum returns the sum of the values of the series s selects in the
// exposition r, and whether any series matched: a collector exposes a
// counter only once it has counted something.
func (s Selector) Sum(r io.Reader) (float64, bool, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	var sum float64
	found := false
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		name, labels, value, err := parseSample(line)
		if err != nil {
			return 0, false, err
		}
		if strings.TrimSuffix(name, "_total") != strings.TrimSuffix(s.Name, "_total") || !s.matches(labels) {
			continue
		}
		sum += value
		found = true
	}
	return sum, found, sc.Err()
}

func (s Selector) matches(labels map[string]string) bool {
	for k, v := range s.Labels {
		if labels[k] != v {
			return false
		}
	}
	return true
}

// Scrape fetches url and returns Sum of its exposition.
func (s Selector) Scrape(ctx context.Context, client *http.Client, url string) (float64, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, false, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, false, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, false, fmt.Errorf("promtext: %s: %s", url, resp.Status)
	}
	return s.Sum(resp.Body)
}

// parseSample parses `name{labels} value [timestamp]`.
func parseSample(line string) (string, map[string]string, float64, error) {
	var name, rest string
	var labels map[string]string
	if i := strings.IndexByte(line, '{'); i >= 0 {
		j := strings.LastIndexByte(line, '}')
		if j < i {
			return "", nil, 0, fmt.Errorf("promtext: malformed sample %q", line)
		}
		var err error
		if labels, err = parseLabels(line[i+1 : j]); err != nil {
			return "", nil, 0, fmt.Errorf("promtext: sample %q: %v", line, err)
		}
		name, rest = line[:i], line[j+1:]
	} else {
		name, rest, _ = strings.Cut(line, " ")
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return "", nil, 0, fmt.Errorf("promtext: sample %q has no value", line)
	}
	v, err := strconv.ParseFloat(f[0], 64)
	if err != nil {
		return "", nil, 0, fmt.Errorf("promtext: sample %q: %v", line, err)
	}
	return strings.TrimSpace(name), labels, v, nil
}

// parseLabels parses l1="v1",l2="v2" (values Go-quoted, as Prometheus
// escapes \\, \" and \n the same way).
func parseLabels(s string) (map[string]string, error) {
	labels := map[string]string{}
	for {
		s = strings.TrimLeft(s, " ,")
		if s == "" {
			return labels, nil
		}
		k, rest, ok := strings.Cut(s, "=")
		if !ok {
			return nil, fmt.Errorf("label %q without a value", s)
		}
		rest = strings.TrimSpace(rest)
		q, err := strconv.QuotedPrefix(rest)
		if err != nil {
			return nil, fmt.Errorf("label %s: value not quoted", k)
		}
		v, err := strconv.Unquote(q)
		if err != nil {
			return nil, fmt.Errorf("label %s: %v", k, err)
		}
		labels[strings.TrimSpace(k)] = v
		s = rest[len(q):]
	}
}
