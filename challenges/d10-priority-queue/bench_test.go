package pq

import (
	"context"
	"testing"
	"time"
)

// BenchmarkPutGet is one Put and one Get on a queue that keeps a backlog in
// every level, aging off. Gated: 0 allocs/op and at most 3x
// BenchmarkChannelPutGet.
func BenchmarkPutGet(b *testing.B) { benchPutGet(b, 0) }

// BenchmarkPutGetAging is the same with aging on, so the queue has to read
// the clock. Not gated: a clock read costs 15-60 ns depending on the
// machine's clock source, which says nothing about your code.
func BenchmarkPutGetAging(b *testing.B) { benchPutGet(b, time.Hour) }

func benchPutGet(b *testing.B, aging time.Duration) {
	const levels = 4
	q, err := NewQueue[int](QueueOptions{Levels: levels, CapacityPerLevel: 1024, AgingAfter: aging})
	if err != nil {
		b.Fatalf("NewQueue: %v", err)
	}
	ctx := context.Background()
	for i := range 64 {
		if err := q.Put(ctx, i%levels, i); err != nil {
			b.Fatalf("Put: %v", err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if err := q.Put(ctx, i%levels, i); err != nil {
			b.Fatalf("Put: %v", err)
		}
		if _, _, err := q.Get(ctx); err != nil {
			b.Fatalf("Get: %v", err)
		}
		i++
	}
}

// BenchmarkChannelPutGet is the baseline: a send and a receive on a
// buffered channel, which has no priorities at all.
func BenchmarkChannelPutGet(b *testing.B) {
	ch := make(chan int, 1024)
	for i := range 64 {
		ch <- i
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		ch <- i
		<-ch
		i++
	}
}
