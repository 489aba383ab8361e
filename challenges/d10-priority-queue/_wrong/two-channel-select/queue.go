package pq

// WRONG SOLUTION (two-channel-select): one buffered channel per level and
// a select over all of them in Get. It is tidy, race-free and allocation-
// light, but select picks uniformly at random among ready cases, so a
// low-priority item is served while high-priority items are waiting.

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"time"
)

var (
	ErrFull    = errors.New("pq: level is full")
	ErrClosed  = errors.New("pq: queue is closed")
	ErrInvalid = errors.New("pq: invalid argument")
)

type FullPolicy int

const (
	Block FullPolicy = iota
	Reject
	DropLowest
)

type QueueOptions struct {
	Levels           int
	CapacityPerLevel int
	AgingAfter       time.Duration
	Full             FullPolicy
	OnDrop           func(any)
}

type item[T any] struct {
	v T
	p int
}

type Queue[T any] struct {
	full      FullPolicy
	onDrop    func(any)
	chans     []chan item[T]
	done      chan struct{}
	closeOnce sync.Once
	mu        sync.RWMutex // Put holds it shared; Close exclusively
}

func NewQueue[T any](o QueueOptions) (*Queue[T], error) {
	if o.Levels <= 0 || o.CapacityPerLevel <= 0 || o.AgingAfter < 0 ||
		(o.Full != Block && o.Full != Reject && o.Full != DropLowest) {
		return nil, fmt.Errorf("%w: %+v", ErrInvalid, o)
	}
	q := &Queue[T]{full: o.Full, onDrop: o.OnDrop, done: make(chan struct{})}
	for range o.Levels {
		q.chans = append(q.chans, make(chan item[T], o.CapacityPerLevel))
	}
	return q, nil
}

func (q *Queue[T]) Put(ctx context.Context, p int, v T) error {
	if p < 0 || p >= len(q.chans) {
		return fmt.Errorf("%w: priority %d", ErrInvalid, p)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	q.mu.RLock()
	defer q.mu.RUnlock()
	select {
	case <-q.done:
		return ErrClosed
	default:
	}
	it := item[T]{v, p}
	select {
	case q.chans[p] <- it:
		return nil
	default:
	}
	switch q.full {
	case Reject:
		return ErrFull
	case DropLowest:
		for {
			select {
			case q.chans[p] <- it:
				return nil
			case old := <-q.chans[p]:
				if q.onDrop != nil {
					q.onDrop(old.v)
				}
			}
		}
	}
	select {
	case q.chans[p] <- it:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-q.done:
		return ErrClosed
	}
}

func (q *Queue[T]) Get(ctx context.Context) (T, int, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, 0, err
	}
	cases := make([]reflect.SelectCase, 0, len(q.chans)+2)
	for _, c := range q.chans {
		cases = append(cases, reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(c)})
	}
	cases = append(cases,
		reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())},
		reflect.SelectCase{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(q.done)})
	i, rv, _ := reflect.Select(cases)
	switch {
	case i < len(q.chans):
		it := rv.Interface().(item[T])
		return it.v, it.p, nil
	case i == len(q.chans):
		return zero, 0, ctx.Err()
	}
	// Closed: drain what is left, highest level first.
	for p := len(q.chans) - 1; p >= 0; p-- {
		select {
		case it := <-q.chans[p]:
			return it.v, it.p, nil
		default:
		}
	}
	return zero, 0, ErrClosed
}

func (q *Queue[T]) Close() {
	q.closeOnce.Do(func() {
		close(q.done) // wakes blocked Puts, which then release the read lock
		q.mu.Lock()   // wait for in-flight Puts so none lands after the drain
		q.mu.Unlock()
	})
}
