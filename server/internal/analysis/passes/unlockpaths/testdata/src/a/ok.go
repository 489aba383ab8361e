package a

import (
	"sync"
)

type Store struct {
	mu   sync.Mutex
	aux  sync.Mutex
	data map[string]int
	cond *sync.Cond
}

// defer Unlock covers every path.
func (s *Store) Get(k string) (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.data == nil {
		return 0, false
	}
	v, ok := s.data[k]
	return v, ok
}

// Every path unlocks by hand.
func (s *Store) Set(k string, v int) error {
	s.mu.Lock()
	if s.data == nil {
		s.mu.Unlock()
		return errClosed
	}
	s.data[k] = v
	s.mu.Unlock()
	return nil
}

// Returns locked by design: the normal exit keeps the lock for the caller.
func (s *Store) lockedData() map[string]int {
	s.mu.Lock()
	if s.data == nil {
		s.mu.Unlock()
		return nil
	}
	return s.data // caller unlocks
}

// Unlocks through a helper of this package.
func (s *Store) unlockAndSignal() {
	s.mu.Unlock()
	s.cond.Broadcast()
}

func (s *Store) Delete(k string) bool {
	s.mu.Lock()
	if _, ok := s.data[k]; !ok {
		s.unlockAndSignal()
		return false
	}
	delete(s.data, k)
	s.mu.Unlock()
	return true
}

// Unlocks through a function value.
func (s *Store) Update(k string, f func(int) int) {
	s.mu.Lock()
	unlock := s.mu.Unlock
	if f == nil {
		unlock()
		return
	}
	s.data[k] = f(s.data[k])
	s.mu.Unlock()
}

// A panic is not a return.
func (s *Store) Must(k string) int {
	s.mu.Lock()
	v, ok := s.data[k]
	if !ok {
		panic("missing " + k)
	}
	s.mu.Unlock()
	return v
}

// Lock here, Unlock in another function: a lock helper.
func (s *Store) lock() { s.mu.Lock() }

// A return inside a closure created under the lock.
func (s *Store) Visitor() func(string) bool {
	s.mu.Lock()
	f := func(k string) bool {
		if k == "" {
			return false
		}
		return true
	}
	s.mu.Unlock()
	return f
}

// TryLock is not tracked.
func (s *Store) TryGet(k string) (int, bool) {
	if !s.mu.TryLock() {
		return 0, false
	}
	v := s.data[k]
	s.mu.Unlock()
	return v, true
}

// A deferred closure unlocks.
func (s *Store) Close() error {
	s.mu.Lock()
	defer func() {
		s.data = nil
		s.mu.Unlock()
	}()
	if s.data == nil {
		return errClosed
	}
	return nil
}

// A different mutex is held on the early return; the one locked is released.
func (s *Store) Two(k string) int {
	s.aux.Lock()
	defer s.aux.Unlock()
	s.mu.Lock()
	v := s.data[k]
	s.mu.Unlock()
	if v == 0 {
		return -1
	}
	return v
}

// The lock is released before the loop's early return.
func (s *Store) Find(v int) string {
	s.mu.Lock()
	for k, x := range s.data {
		if x == v {
			s.mu.Unlock()
			return k
		}
	}
	s.mu.Unlock()
	return ""
}
