package batch

import (
	"testing"
	"testing/synctest"
	"time"
)

// tstWithdrawAll withdraws until refused and returns how many succeeded.
func tstWithdrawAll(b *RetryBudget) int {
	n := 0
	for b.Withdraw() {
		n++
		if n > 1e6 {
			break
		}
	}
	return n
}

// TestRetryBudgetRatio: each first attempt deposits ratio of a token, each
// retry takes a whole one. Counted exactly: ten deposits at 0.1 are one
// token, not 0.9999999999999999 of one.
func TestRetryBudgetRatio(t *testing.T) {
	cases := []struct {
		ratio    float64
		deposits int
		want     int
	}{
		{0.1, 0, 0},
		{0.1, 9, 0},
		{0.1, 10, 1},
		{0.1, 25, 2},
		{0.1, 1000, 100},
		{0.2, 5, 1},
		{0.25, 7, 1},
		{0.5, 2, 1},
		{2, 3, 6},
		{0, 1000, 0},
	}
	for _, c := range cases {
		b := NewRetryBudget(c.ratio, 0)
		for range c.deposits {
			b.Deposit()
		}
		if got := tstWithdrawAll(b); got != c.want {
			t.Errorf("NewRetryBudget(%v, 0) after %d deposits: %d withdrawals granted, want %d", c.ratio, c.deposits, got, c.want)
		}
	}
	// Leftovers carry over: 25 deposits at 0.1 leave half a token.
	b := NewRetryBudget(0.1, 0)
	for range 25 {
		b.Deposit()
	}
	tstWithdrawAll(b)
	for range 5 {
		b.Deposit()
	}
	if got := tstWithdrawAll(b); got != 1 {
		t.Errorf("half a token left plus 5 deposits at 0.1: %d withdrawals granted, want 1", got)
	}
}

// TestRetryBudgetReserve: minPerSec tokens available at once, refilled at
// minPerSec per second, never more than minPerSec banked.
func TestRetryBudgetReserve(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		b := NewRetryBudget(0, 10)
		steps := []struct {
			sleep time.Duration
			want  int
		}{
			{0, 10},                     // full at creation
			{0, 0},                      // empty now
			{100 * time.Millisecond, 1}, // 10/s
			{250 * time.Millisecond, 2}, // 2.5 tokens: half a token left
			{50 * time.Millisecond, 1},  // the half plus half a token
			{time.Hour, 10},             // capped at minPerSec
			{999 * time.Millisecond, 9}, // not quite ten
			{1 * time.Millisecond, 1},   // the rest of the tenth
		}
		for i, s := range steps {
			time.Sleep(s.sleep)
			if got := tstWithdrawAll(b); got != s.want {
				t.Errorf("step %d: after sleeping %v, %d withdrawals granted, want %d", i, s.sleep, got, s.want)
			}
		}
		// Deposits and the reserve add up; deposits are spent first.
		b2 := NewRetryBudget(0.5, 1)
		for range 4 {
			b2.Deposit()
		}
		if got := tstWithdrawAll(b2); got != 3 {
			t.Errorf("NewRetryBudget(0.5, 1) after 4 deposits: %d withdrawals granted, want 3 (2 earned + 1 reserve)", got)
		}
		time.Sleep(time.Second)
		b2.Deposit()
		b2.Deposit()
		if got := tstWithdrawAll(b2); got != 2 {
			t.Errorf("a second later, after 2 more deposits: %d withdrawals granted, want 2", got)
		}
	})
}
