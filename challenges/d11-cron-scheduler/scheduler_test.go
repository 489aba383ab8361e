package cron

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

// Scheduler tests run inside testing/synctest: the clock is fake (it
// starts at 2000-01-01 00:00:00 UTC, a Saturday) and jumps whenever every
// goroutine of the bubble is blocked, so ten minutes of ticks take
// microseconds and every instant is exact. Create the Scheduler inside the
// bubble, as these tests do, so its channels and timers belong to it.

func TestEveryMinuteForTenMinutes(t *testing.T) {
	for _, spec := range []string{"@every 1m", "* * * * *", "0 * * * * *"} {
		t.Run(spec, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				epoch := time.Now()
				s := New(WithLocation(time.UTC))
				var c tstClock
				id := tstAdd(t, s, Job{Name: "tick", Spec: spec, Run: c.job(0)})
				tstStart(t, s)
				time.Sleep(10*time.Minute + 30*time.Second)
				tstStop(t, s)

				var want []time.Duration
				var wantH []string
				for m := time.Duration(1); m <= 10; m++ {
					want = append(want, m*time.Minute)
					wantH = append(wantH, "+"+(m*time.Minute).String()+" OK start=+"+(m*time.Minute).String()+" end=+"+(m*time.Minute).String())
				}
				if diff := cmp.Diff(want, c.offsets(epoch)); diff != "" {
					t.Errorf("run starts since Start (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(wantH, tstSummary(s.History(id), epoch)); diff != "" {
					t.Errorf("History (-want +got):\n%s", diff)
				}
			})
		})
	}
}

// TestOverlapSkip: a 90 s job every minute under Skip runs on every other
// tick; the ticks in between are recorded as Skipped with ErrOverlap.
func TestOverlapSkip(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		var c tstClock
		id := tstAdd(t, s, Job{Name: "slow", Spec: "* * * * *", Overlap: Skip, Run: c.job(90 * time.Second)})
		tstStart(t, s)
		time.Sleep(10*time.Minute + 15*time.Second)
		tstStop(t, s) // waits for the run started at 9m

		want := []time.Duration{1 * time.Minute, 3 * time.Minute, 5 * time.Minute, 7 * time.Minute, 9 * time.Minute}
		if diff := cmp.Diff(want, c.offsets(epoch)); diff != "" {
			t.Errorf("run starts (-want +got):\n%s", diff)
		}
		if got := c.maxConcurrent(); got != 1 {
			t.Errorf("runs in progress at once: got %d, want 1", got)
		}
		wantH := []string{
			"+1m0s OK start=+1m0s end=+2m30s",
			"+2m0s Skipped (cron: previous run still in progress)",
			"+3m0s OK start=+3m0s end=+4m30s",
			"+4m0s Skipped (cron: previous run still in progress)",
			"+5m0s OK start=+5m0s end=+6m30s",
			"+6m0s Skipped (cron: previous run still in progress)",
			"+7m0s OK start=+7m0s end=+8m30s",
			"+8m0s Skipped (cron: previous run still in progress)",
			"+9m0s OK start=+9m0s end=+10m30s",
			"+10m0s Skipped (cron: previous run still in progress)",
		}
		h := s.History(id)
		if diff := cmp.Diff(wantH, tstSummary(h, epoch)); diff != "" {
			t.Errorf("History (-want +got):\n%s", diff)
		}
		for _, r := range h {
			if r.Outcome == Skipped && !errors.Is(r.Err, ErrOverlap) {
				t.Errorf("skipped run at %v: got Err %v, want ErrOverlap", r.Scheduled.Sub(epoch), r.Err)
			}
		}
	})
}

// TestOverlapQueueOne: a 130 s job every minute under QueueOne. A tick that
// finds a run going is queued and starts when it returns; a tick that
// finds one queued already is skipped. Stop drops the queued run.
func TestOverlapQueueOne(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		var c tstClock
		id := tstAdd(t, s, Job{Name: "queued", Spec: "* * * * *", Overlap: QueueOne, Run: c.job(130 * time.Second)})
		tstStart(t, s)
		time.Sleep(10*time.Minute + 15*time.Second)
		if got, want := tstStop(t, s), 95*time.Second; got != want {
			t.Errorf("Stop returned after %v, want %v (when the run started at 9m40s ends)", got, want)
		}

		wantStarts := []time.Duration{60 * time.Second, 190 * time.Second, 320 * time.Second, 450 * time.Second, 580 * time.Second}
		if diff := cmp.Diff(wantStarts, c.offsets(epoch)); diff != "" {
			t.Errorf("run starts (-want +got):\n%s", diff)
		}
		if got := c.maxConcurrent(); got != 1 {
			t.Errorf("runs in progress at once: got %d, want 1", got)
		}
		wantH := []string{
			"+1m0s OK start=+1m0s end=+3m10s",
			"+2m0s OK start=+3m10s end=+5m20s",
			"+3m0s Skipped (cron: previous run still in progress)",
			"+4m0s OK start=+5m20s end=+7m30s",
			"+5m0s Skipped (cron: previous run still in progress)",
			"+6m0s OK start=+7m30s end=+9m40s",
			"+7m0s Skipped (cron: previous run still in progress)",
			"+8m0s OK start=+9m40s end=+11m50s",
			"+9m0s Skipped (cron: previous run still in progress)",
			"+10m0s Skipped (cron: scheduler stopped)",
		}
		if diff := cmp.Diff(wantH, tstSummary(s.History(id), epoch)); diff != "" {
			t.Errorf("History (-want +got):\n%s", diff)
		}
	})
}

// TestOverlapAllow: every tick starts a run, whatever is still going.
func TestOverlapAllow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		var c tstClock
		id := tstAdd(t, s, Job{Name: "parallel", Spec: "* * * * *", Overlap: Allow, Run: c.job(150 * time.Second)})
		tstStart(t, s)
		time.Sleep(5*time.Minute + 15*time.Second)
		tstStop(t, s)

		var want []time.Duration
		for m := time.Duration(1); m <= 5; m++ {
			want = append(want, m*time.Minute)
		}
		if diff := cmp.Diff(want, c.offsets(epoch)); diff != "" {
			t.Errorf("run starts (-want +got):\n%s", diff)
		}
		if got := c.maxConcurrent(); got != 3 {
			t.Errorf("runs in progress at once: got %d, want 3", got)
		}
		if h := s.History(id); len(h) != 5 {
			t.Errorf("History: got %d runs, want 5:\n%v", len(h), tstSummary(h, epoch))
		}
	})
}

// TestTimeoutCancelsJob: the run's ctx ends Timeout after it starts; a job
// that honours it is recorded as TimedOut.
func TestTimeoutCancelsJob(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		var (
			mu       sync.Mutex
			deadline time.Time
			hasDL    bool
		)
		id := tstAdd(t, s, Job{Name: "polite", Spec: "* * * * *", Timeout: 10 * time.Second,
			Run: func(ctx context.Context) error {
				mu.Lock()
				deadline, hasDL = ctx.Deadline()
				mu.Unlock()
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(time.Hour):
					return nil
				}
			}})
		tstStart(t, s)
		time.Sleep(90 * time.Second)
		tstStop(t, s)

		mu.Lock()
		if want := epoch.Add(70 * time.Second); !hasDL || !deadline.Equal(want) {
			t.Errorf("run ctx deadline: got %v (set: %v), want %v", deadline, hasDL, want)
		}
		mu.Unlock()
		h := s.History(id)
		if diff := cmp.Diff([]string{"+1m0s TimedOut start=+1m0s end=+1m10s"}, tstSummary(h, epoch)); diff != "" {
			t.Errorf("History (-want +got):\n%s", diff)
		}
		if len(h) == 1 && !errors.Is(h[0].Err, context.DeadlineExceeded) {
			t.Errorf("TimedOut run: got Err %v, want context.DeadlineExceeded", h[0].Err)
		}
	})
}

// TestTimeoutIgnoredIsOverrun: a job that keeps going past its timeout
// and then returns something other than the ctx's error is an Overrun.
func TestTimeoutIgnoredIsOverrun(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		boom := errors.New("boom")
		deaf := tstAdd(t, s, Job{Name: "deaf", Spec: "* * * * *", Timeout: 10 * time.Second,
			Run: func(context.Context) error { time.Sleep(25 * time.Second); return nil }})
		failing := tstAdd(t, s, Job{Name: "deaf and failing", Spec: "* * * * *", Timeout: 10 * time.Second,
			Run: func(context.Context) error { time.Sleep(25 * time.Second); return boom }})
		quick := tstAdd(t, s, Job{Name: "quick", Spec: "* * * * *", Timeout: 10 * time.Second,
			Run: func(context.Context) error { time.Sleep(5 * time.Second); return boom }})
		tstStart(t, s)
		time.Sleep(90 * time.Second)
		tstStop(t, s)

		check := func(id ID, want string, wantErr error) {
			t.Helper()
			h := s.History(id)
			if diff := cmp.Diff([]string{want}, tstSummary(h, epoch)); diff != "" {
				t.Errorf("History (-want +got):\n%s", diff)
				return
			}
			if !errors.Is(h[0].Err, wantErr) {
				t.Errorf("%v run: got Err %v, want %v", h[0].Outcome, h[0].Err, wantErr)
			}
		}
		check(deaf, "+1m0s Overrun start=+1m0s end=+1m25s", nil)
		check(failing, "+1m0s Overrun start=+1m0s end=+1m25s", boom)
		check(quick, "+1m0s Failed start=+1m0s end=+1m5s (boom)", boom)
	})
}

// TestPanicIsolated: a panicking job is recorded and does not take the
// scheduler, or its other jobs, down.
func TestPanicIsolated(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		sentinel := errors.New("sentinel")
		p1 := tstAdd(t, s, Job{Name: "panics", Spec: "* * * * *", Run: func(context.Context) error { panic("kaboom") }})
		p2 := tstAdd(t, s, Job{Name: "panics with an error", Spec: "* * * * *", Run: func(context.Context) error { panic(sentinel) }})
		var c tstClock
		ok := tstAdd(t, s, Job{Name: "fine", Spec: "* * * * *", Run: c.job(0)})
		tstStart(t, s)
		time.Sleep(3*time.Minute + 30*time.Second)
		tstStop(t, s)

		for _, id := range []ID{p1, p2} {
			h := s.History(id)
			want := []string{"+1m0s Panicked start=+1m0s end=+1m0s", "+2m0s Panicked start=+2m0s end=+2m0s", "+3m0s Panicked start=+3m0s end=+3m0s"}
			if diff := cmp.Diff(want, tstSummary(h, epoch)); diff != "" {
				t.Errorf("History of a panicking job (-want +got):\n%s", diff)
				continue
			}
			var pe *PanicError
			if !errors.As(h[0].Err, &pe) {
				t.Errorf("Panicked run: got Err %v (%T), want a *PanicError", h[0].Err, h[0].Err)
				continue
			}
			if len(pe.Stack) == 0 {
				t.Errorf("PanicError.Stack is empty, want the stack of the panicking goroutine")
			}
			if id == p1 && pe.Value != "kaboom" {
				t.Errorf("PanicError.Value: got %v, want \"kaboom\"", pe.Value)
			}
			if id == p2 && !errors.Is(h[0].Err, sentinel) {
				t.Errorf("a panic with an error value: errors.Is(Err, sentinel) is false, want true (Unwrap)")
			}
		}
		if got := len(s.History(ok)); got != 3 {
			t.Errorf("the job beside the panicking ones ran %d times, want 3", got)
		}
	})
}

// TestStopWaitsForRunningJobs: Stop returns when the last run returns, and
// nothing starts after it.
func TestStopWaitsForRunningJobs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		var c tstClock
		id := tstAdd(t, s, Job{Name: "long", Spec: "* * * * *", Run: c.job(5 * time.Minute)})
		tstStart(t, s)
		time.Sleep(90 * time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
		defer cancel()
		err := s.Stop(ctx)
		if err != nil {
			t.Errorf("Stop: got error %v, want nil", err)
		}
		if got, want := time.Since(epoch), 6*time.Minute; got != want {
			t.Errorf("Stop returned at +%v, want +%v (when the running job returns)", got, want)
		}
		// No tick fires after Stop: the history holds the one run.
		time.Sleep(10 * time.Minute)
		if diff := cmp.Diff([]time.Duration{time.Minute}, c.offsets(epoch)); diff != "" {
			t.Errorf("run starts (-want +got):\n%s", diff)
		}
		if h := s.History(id); len(h) == 0 || h[0].Outcome != OK || !h[0].End.Equal(epoch.Add(6*time.Minute)) {
			t.Errorf("History after Stop: got %v, want the run of 1m, OK, ending at +6m", tstSummary(h, epoch))
		}
		if err := s.Stop(ctx); err != nil {
			t.Errorf("second Stop: got error %v, want nil", err)
		}
		if err := s.Start(context.Background()); !errors.Is(err, ErrStopped) {
			t.Errorf("Start after Stop: got error %v, want ErrStopped", err)
		}
		if _, err := s.Add(Job{Spec: "* * * * *", Run: c.job(0)}); !errors.Is(err, ErrStopped) {
			t.Errorf("Add after Stop: got error %v, want ErrStopped", err)
		}
	})
}

// TestStopContextExpires: when Stop's ctx ends first, Stop cancels the
// runs' ctx and returns ctx.Err().
func TestStopContextExpires(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		id := tstAdd(t, s, Job{Name: "waits", Spec: "* * * * *", Run: func(ctx context.Context) error {
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(time.Hour):
				return nil
			}
		}})
		tstStart(t, s)
		time.Sleep(90 * time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := s.Stop(ctx); !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("Stop with a 1m ctx and a run going for an hour: got error %v, want context.DeadlineExceeded", err)
		}
		if got, want := time.Since(epoch), 150*time.Second; got != want {
			t.Errorf("Stop returned at +%v, want +%v", got, want)
		}
		tstStop(t, s) // the cancelled run returns at once
		want := []string{"+1m0s Failed start=+1m0s end=+2m30s (context canceled)"}
		if diff := cmp.Diff(want, tstSummary(s.History(id), epoch)); diff != "" {
			t.Errorf("History (-want +got):\n%s", diff)
		}
	})
}

// TestJitter: each run starts a random delay in [0, Jitter) after its tick;
// the tick itself stays on the schedule.
func TestJitter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		var c tstClock
		id := tstAdd(t, s, Job{Name: "jittery", Spec: "* * * * *", Jitter: 30 * time.Second, Run: c.job(0)})
		tstStart(t, s)
		time.Sleep(20*time.Minute + 45*time.Second)
		tstStop(t, s)

		h := s.History(id)
		if len(h) != 20 {
			t.Fatalf("History: got %d runs, want 20:\n%v", len(h), tstSummary(h, epoch))
		}
		delays := map[time.Duration]bool{}
		for i, r := range h {
			if want := epoch.Add(time.Duration(i+1) * time.Minute); !r.Scheduled.Equal(want) {
				t.Errorf("run %d: Scheduled +%v, want +%v", i, r.Scheduled.Sub(epoch), want.Sub(epoch))
			}
			d := r.Start.Sub(r.Scheduled)
			if d < 0 || d >= 30*time.Second {
				t.Errorf("run %d: started %v after its tick, want within [0, 30s)", i, d)
			}
			delays[d] = true
		}
		if len(delays) < 10 {
			t.Errorf("20 jittered runs used only %d distinct delays: the jitter is not random", len(delays))
		}
	})
}

func TestAddValidates(t *testing.T) {
	s := New()
	run := func(context.Context) error { return nil }
	cases := []struct {
		name string
		job  Job
	}{
		{"no Run", Job{Spec: "* * * * *"}},
		{"bad spec", Job{Spec: "61 * * * *", Run: run}},
		{"empty spec", Job{Run: run}},
		{"unknown overlap", Job{Spec: "* * * * *", Overlap: Overlap(7), Run: run}},
		{"negative overlap", Job{Spec: "* * * * *", Overlap: Overlap(-1), Run: run}},
		{"negative timeout", Job{Spec: "* * * * *", Timeout: -time.Second, Run: run}},
		{"negative jitter", Job{Spec: "* * * * *", Jitter: -time.Second, Run: run}},
	}
	for _, c := range cases {
		id, err := s.Add(c.job)
		if !errors.Is(err, ErrInvalid) {
			t.Errorf("Add(%s): got error %v, want one wrapping ErrInvalid", c.name, err)
		}
		if id != 0 {
			t.Errorf("Add(%s): got ID %d with an error, want 0", c.name, id)
		}
	}
	_, err := s.Add(Job{Spec: "61 * * * *", Run: run})
	if pe, ok := errors.AsType[*ParseError](err); !ok || pe.Field != FieldMinute {
		t.Errorf("Add with spec \"61 * * * *\": got error %v, want one wrapping the *ParseError for the minute field", err)
	}
	seen := map[ID]bool{}
	for range 3 {
		id := tstAdd(t, s, Job{Spec: "@hourly", Run: run})
		if seen[id] {
			t.Errorf("Add returned ID %d twice", id)
		}
		seen[id] = true
	}
	if err := s.Stop(context.Background()); err != nil {
		t.Errorf("Stop of a scheduler never started: got error %v, want nil", err)
	}
}

// TestAddAndRemoveWhileRunning: a job added after Start gets its first
// tick after the time of Add; after Remove it never runs again.
func TestAddAndRemoveWhileRunning(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		tstStart(t, s)
		if err := s.Start(context.Background()); !errors.Is(err, ErrStarted) {
			t.Errorf("second Start: got error %v, want ErrStarted", err)
		}
		time.Sleep(30 * time.Second)
		var c tstClock
		id := tstAdd(t, s, Job{Name: "late", Spec: "@every 1m", Run: c.job(0)})
		var cron tstClock
		cronID := tstAdd(t, s, Job{Name: "late cron", Spec: "* * * * *", Run: cron.job(0)})
		time.Sleep(3*time.Minute + 15*time.Second) // now +3m45s
		if !s.Remove(id) {
			t.Errorf("Remove of a scheduled job: got false, want true")
		}
		if s.Remove(id) {
			t.Errorf("second Remove of the same job: got true, want false")
		}
		if s.Remove(ID(9999)) {
			t.Errorf("Remove of an unknown ID: got true, want false")
		}
		if h := s.History(id); h != nil {
			t.Errorf("History of a removed job: got %v, want nil", tstSummary(h, epoch))
		}
		time.Sleep(10 * time.Minute)
		tstStop(t, s)

		want := []time.Duration{90 * time.Second, 150 * time.Second, 210 * time.Second}
		if diff := cmp.Diff(want, c.offsets(epoch)); diff != "" {
			t.Errorf("runs of the @every 1m job added at +30s and removed at +3m45s (-want +got):\n%s", diff)
		}
		if got := len(cron.offsets(epoch)); got != 13 {
			t.Errorf("the job left in place ran %d times, want 13 (1m..13m)", got)
		}
		if got := len(s.History(cronID)); got != 13 {
			t.Errorf("History of the job left in place: got %d runs, want 13", got)
		}
	})
}

// TestStartContextCancels: cancelling Start's ctx cancels the runs in
// progress and stops the ticks; Stop then returns at once.
func TestStartContextCancels(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC))
		id := tstAdd(t, s, Job{Name: "waits", Spec: "* * * * *", Run: func(ctx context.Context) error {
			<-ctx.Done()
			return ctx.Err()
		}})
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		if err := s.Start(ctx); err != nil {
			t.Fatalf("Start: got error %v, want nil", err)
		}
		time.Sleep(90 * time.Second)
		cancel()
		time.Sleep(10 * time.Minute)
		tstStop(t, s)
		want := []string{"+1m0s Failed start=+1m0s end=+1m30s (context canceled)"}
		if diff := cmp.Diff(want, tstSummary(s.History(id), epoch)); diff != "" {
			t.Errorf("History (-want +got):\n%s", diff)
		}
	})
}

// TestHistoryLimit keeps the most recent runs.
func TestHistoryLimit(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		epoch := time.Now()
		s := New(WithLocation(time.UTC), WithHistoryLimit(3))
		var c tstClock
		id := tstAdd(t, s, Job{Spec: "* * * * *", Run: c.job(0)})
		tstStart(t, s)
		time.Sleep(7*time.Minute + 30*time.Second)
		tstStop(t, s)
		want := []string{"+5m0s OK start=+5m0s end=+5m0s", "+6m0s OK start=+6m0s end=+6m0s", "+7m0s OK start=+7m0s end=+7m0s"}
		if diff := cmp.Diff(want, tstSummary(s.History(id), epoch)); diff != "" {
			t.Errorf("History with WithHistoryLimit(3) (-want +got):\n%s", diff)
		}
	})
}

// TestSchedulerDST drives the whole scheduler through both 2000 transitions
// of New York (2 April and 29 October) on the fake clock.
func TestSchedulerDST(t *testing.T) {
	if testing.Short() {
		t.Skip("ten months of daily ticks; skipped with -short")
	}
	synctest.Test(t, func(t *testing.T) {
		ny := tstLoc(t, "America/New_York")
		s := New(WithLocation(ny))
		var spring, fall tstClock
		tstAdd(t, s, Job{Name: "spring", Spec: "30 2 * 3,4 *", Run: spring.job(0)})
		tstAdd(t, s, Job{Name: "fall", Spec: "30 1 * 10,11 *", Run: fall.job(0)})
		tstStart(t, s)
		time.Sleep(time.Until(time.Date(2000, 11, 2, 12, 0, 0, 0, ny)))
		tstStop(t, s)

		pick := func(c *tstClock, from, to time.Time) []string {
			c.mu.Lock()
			defer c.mu.Unlock()
			var out []string
			for _, s := range c.starts {
				if !s.Before(from) && s.Before(to) {
					out = append(out, s.In(ny).Format(time.RFC3339))
				}
			}
			return out
		}
		gotSpring := pick(&spring, time.Date(2000, 4, 1, 0, 0, 0, 0, ny), time.Date(2000, 4, 4, 0, 0, 0, 0, ny))
		wantSpring := []string{"2000-04-01T02:30:00-05:00", "2000-04-02T03:00:00-04:00", "2000-04-03T02:30:00-04:00"}
		if diff := cmp.Diff(wantSpring, gotSpring); diff != "" {
			t.Errorf("runs of \"30 2 * 3,4 *\" around the spring-forward (-want +got):\n%s", diff)
		}
		gotFall := pick(&fall, time.Date(2000, 10, 28, 0, 0, 0, 0, ny), time.Date(2000, 10, 31, 0, 0, 0, 0, ny))
		wantFall := []string{"2000-10-28T01:30:00-04:00", "2000-10-29T01:30:00-04:00", "2000-10-30T01:30:00-05:00"}
		if diff := cmp.Diff(wantFall, gotFall); diff != "" {
			t.Errorf("runs of \"30 1 * 10,11 *\" around the fall-back (-want +got):\n%s", diff)
		}
		if got := len(spring.offsets(time.Time{})); got != 61 {
			t.Errorf("\"30 2 * 3,4 *\" ran %d times in 2000, want 61", got)
		}
		if got := len(fall.offsets(time.Time{})); got != 33 {
			t.Errorf("\"30 1 * 10,11 *\" ran %d times until 2 November, want 33", got)
		}
	})
}
