package inflight

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestReservation(t *testing.T) {
	b := NewBudget(100)
	r := b.Open()
	assert.True(t, r.Reserve(60))
	assert.True(t, r.Reserve(0), "nothing always fits")
	other := b.Open()
	assert.False(t, other.Reserve(41), "over the budget: refused whole")
	assert.Equal(t, int64(60), b.Used())
	assert.True(t, other.Reserve(40), "what is left fits")
	assert.Equal(t, int64(10), r.Release(10))
	assert.Equal(t, int64(50), r.Release(1000), "at most what it holds")
	assert.Zero(t, r.Release(1))
	assert.Equal(t, int64(40), other.Close())
	assert.Zero(t, b.Used())
}

// Requests reserving and releasing at the same time never hold more than
// the budget together, and give all of it back.
func TestBudgetHoldsUnderConcurrency(t *testing.T) {
	const (
		limit    = 1000
		workers  = 16
		attempts = 2000
	)
	b := NewBudget(limit)
	var peak, refused atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := b.Open()
			for i := range attempts {
				n := int64(1 + (w*31+i*17)%300)
				if !r.Reserve(n) {
					refused.Add(1)
					r.Close()
					continue
				}
				used := b.Used()
				for p := peak.Load(); used > p && !peak.CompareAndSwap(p, used); p = peak.Load() {
				}
				if i%3 == 0 {
					r.Release(n / 2)
				}
			}
			r.Close()
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int64(limit), "the budget held")
	assert.Positive(t, refused.Load(), "the budget was full at times")
	assert.Zero(t, b.Used(), "everything given back")
}
