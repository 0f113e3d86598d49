// Package inflight bounds the bytes that the requests in progress hold,
// across all of them: a request reserves memory before it holds it, and
// gives it all back when it is answered. A reservation that does not fit
// is refused, so the request is refused before it holds more, whatever
// the other requests hold.
package inflight // import "github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/inflight"

import "sync/atomic"

// Budget is the bytes the requests in progress may hold together. It is
// safe for concurrent use.
type Budget struct {
	limit int64
	used  atomic.Int64
}

// NewBudget returns a budget of limit bytes.
func NewBudget(limit int64) *Budget {
	return &Budget{limit: limit}
}

// Used returns the bytes reserved now.
func (b *Budget) Used() int64 { return b.used.Load() }

// tryReserve takes n bytes, or none when fewer than n are left.
func (b *Budget) tryReserve(n int64) bool {
	for {
		used := b.used.Load()
		if n > b.limit-used {
			return false
		}
		if b.used.CompareAndSwap(used, used+n) {
			return true
		}
	}
}

// Reservation is what one request holds of a budget. It is used by the
// request's goroutine only.
type Reservation struct {
	budget *Budget
	held   int64
}

// Open starts the reservation of a request, holding nothing.
func (b *Budget) Open() *Reservation {
	return &Reservation{budget: b}
}

// Reserve adds n bytes to the reservation, or nothing when the budget has
// fewer than n bytes left.
func (r *Reservation) Reserve(n int64) bool {
	if n <= 0 {
		return true
	}
	if !r.budget.tryReserve(n) {
		return false
	}
	r.held += n
	return true
}

// Release gives back n bytes of the reservation, at most what it holds,
// and returns how many it gave back.
func (r *Reservation) Release(n int64) int64 {
	n = min(n, r.held)
	if n <= 0 {
		return 0
	}
	r.held -= n
	r.budget.used.Add(-n)
	return n
}

// Close gives back all the reservation holds and returns how much that
// was.
func (r *Reservation) Close() int64 {
	return r.Release(r.held)
}
