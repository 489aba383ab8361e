package a

import "sync"

type Store struct {
	mu   sync.RWMutex
	data map[string]int
	gets int
}

// Two read regions in one function: reported, but no automatic fix.
func (s *Store) Twice(a, b string) int {
	s.mu.RLock()
	x := s.data[a]
	s.mu.RUnlock()
	s.mu.RLock()
	s.gets++ // want `write to s.gets under s.mu.RLock`
	y := s.data[b]
	s.mu.RUnlock()
	return x + y
}

// A callee takes the read lock again: Lock would deadlock, so no fix.
func (s *Store) size() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.data)
}

func (s *Store) Get(k string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	s.gets += s.size() // want `write to s.gets under s.mu.RLock`
	return s.data[k]
}

// Upgrade pattern, wrong way round: the write happens before the upgrade.
func (s *Store) GetOrInit(k string) int {
	s.mu.RLock()
	v, ok := s.data[k]
	if !ok {
		s.data[k] = 0 // want `map write to s.data under s.mu.RLock`
	}
	s.mu.RUnlock()
	s.mu.Lock()
	s.gets++
	s.mu.Unlock()
	return v
}
