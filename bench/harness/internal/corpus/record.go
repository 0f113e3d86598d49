package corpus

import (
	"math/rand/v2"
	"strconv"
	"time"
)

// DefaultSecrets is the fraction of lines carrying a secret in the
// realistic corpus (Options.Secrets).
const DefaultSecrets = 0.002

// Rates of the special lines, per million.
const (
	malformedPerMillion = 1000 // 0.1 %
	// tracebackPercent of ERROR and CRITICAL lines carry exc_text.
	tracebackPercent = 50
)

// fieldTargets: the distribution of a line's number of fields.
var fieldTargets = [...]int{12, 12, 12, 13, 13, 13, 14, 14, 15, 16}

// generator builds the corpus lines. Everything it draws comes from one
// seeded PCG stream, and times from start, so a seed and a base time
// give the same bytes.
type generator struct {
	r       *rand.Rand
	start   time.Time     // the first line's time
	step    time.Duration // between consecutive lines
	lines   int
	cum     []int // cumulative source weights
	session [][]string
	scratch []byte
	stats   stats
	shape   shape
}

type stats struct {
	malformed, secrets, tracebacks, fields int
}

func newGenerator(seed uint64, base time.Time, lines int, sh shape) *generator {
	g := &generator{
		r:     rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		start: base.Add(-time.Hour),
		step:  time.Hour / time.Duration(max(lines, 1)),
		lines: lines,
		shape: sh,
	}
	total := 0
	for _, s := range sources {
		total += s.weight
		g.cum = append(g.cum, total)
		g.session = append(g.session, sessionNames(s, g.start))
	}
	return g
}

// sessionNames: a rig runs its subjects one after another through the
// hour; acquisition_name is <subject_id>_<date>_<time> of each session's
// start, a few minutes before its first line.
func sessionNames(s source, start time.Time) []string {
	names := make([]string, len(s.subjects))
	for k, subj := range s.subjects {
		t := start.Add(time.Duration(k)*time.Hour/time.Duration(len(s.subjects)) - 3*time.Minute)
		names[k] = subj + "_" + t.In(s.zone).Format("2006-01-02_15-04-05")
	}
	return names
}

func (g *generator) pickSource() int {
	n := g.r.IntN(g.cum[len(g.cum)-1])
	for i, c := range g.cum {
		if n < c {
			return i
		}
	}
	return 0
}

// line appends line i (without its newline) to b.
func (g *generator) line(b []byte, i int) []byte {
	r := g.r
	off := len(b)
	si := g.pickSource()
	s := &sources[si]
	hi := r.IntN(len(s.hosts))
	lg := &s.loggers[r.IntN(len(s.loggers))]
	fn := &lg.funcs[r.IntN(len(lg.funcs))]
	lineno := fn.lines[r.IntN(len(fn.lines))]
	lv := pickLevel(r)
	secret := -1
	if r.IntN(1_000_000) < g.shape.secretsPerMillion {
		secret = r.IntN(g.shape.secretKinds())
		g.stats.secrets++
	}
	exc := lv >= levelError && r.IntN(100) < tracebackPercent

	o := object{marks: g.shape.marks[:0]}
	o.begin(b, s.spaced)
	// Lines are evenly spread with jitter inside each step, so times keep
	// increasing and the microseconds vary.
	t := g.start.Add(time.Duration(i)*g.step + time.Duration(r.Int64N(int64(g.step)/1000+1))*time.Microsecond).In(s.zone)
	g.scratch = t.AppendFormat(g.scratch[:0], s.tsLayout)
	o.strBytes("timestamp", g.scratch)
	o.str("level", levelText(lv, r))
	if secret >= 0 && secretInMessage(secret) {
		g.scratch = appendSecretMessage(g.scratch[:0], secret, r)
	} else {
		g.scratch = appendMessage(g.scratch[:0], lv, r)
	}
	o.key("message")
	msg := g.shape.message(len(o.b), g.scratch)
	o.b = appendQuotedBytes(o.b, g.scratch)
	msg.end = len(o.b)
	o.str("name", lg.name)
	o.str("hostname", s.hosts[hi])
	o.str("software_name", s.software)
	o.str("software_version", s.version)
	o.str("rig_id", s.rig)
	if s.instrument != "" {
		o.str("instrument_id", s.instrument)
	}
	if lg.session {
		k := i * len(s.subjects) / max(g.lines, 1)
		if s.subjectAsInt {
			n, _ := strconv.ParseInt(s.subjects[k], 10, 64)
			o.int("subject_id", n)
		} else {
			o.str("subject_id", s.subjects[k])
		}
		o.str("acquisition_name", g.session[si][k])
	}
	if s.pathname {
		o.str("pathname", lg.pathname)
	}
	o.int("lineno", lineno)
	o.str("funcName", fn.name)
	if s.process {
		pid := s.pid + int64(hi)*1000
		if s.pidAsString {
			o.str("process", strconv.FormatInt(pid, 10))
		} else {
			o.int("process", pid)
		}
	}
	if len(s.threads) > 0 {
		th := s.threads[r.IntN(len(s.threads))]
		o.int("thread", th.id)
		o.str("threadName", th.name)
	}

	// Custom fields bring the line to a target of 12 to 16 fields, most
	// often 12 or 13 (a canonical line of the standard carries more).
	target := fieldTargets[r.IntN(len(fieldTargets))]
	if g.shape.fields > 0 {
		target = g.shape.fields
	}
	if exc {
		target--
	}
	if secret >= 0 && !secretInMessage(secret) {
		target--
		g.scratch = writeSecretField(&o, g.scratch, secret, r)
	}
	for j := 0; o.n < target && j < len(s.extras); j++ {
		s.extras[(i+j)%len(s.extras)](&o, r)
	}
	for k := 0; g.shape.fields > 0 && o.n < target; k++ {
		channelField(&o, k, r)
	}
	if exc {
		g.scratch = appendTraceback(g.scratch[:0], lg.pathname, fn.name, lineno, r)
		o.strBytes("exc_text", g.scratch)
	}
	g.shape.marks = o.marks
	b, kept := g.shape.fit(o.end(), &o, off, msg, secret >= 0 && secretInMessage(secret))
	g.stats.fields += kept
	if exc && kept == o.n {
		g.stats.tracebacks++
	}

	if r.IntN(1_000_000) < malformedPerMillion {
		g.stats.malformed++
		g.scratch = malformLine(append(g.scratch[:0], b[off:]...), r)
		b = append(b[:off], g.scratch...)
	}
	return b
}
