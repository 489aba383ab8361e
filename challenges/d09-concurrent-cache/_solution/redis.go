package cache

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"
)

// Codec turns values into bytes and back.
type Codec[V any] interface {
	Encode(V) ([]byte, error)
	Decode([]byte) (V, error)
}

// RedisCache is a cache in Redis behind the same Store interface as Cache.
type RedisCache[K comparable, V any] struct {
	rdb   redis.UniversalClient
	key   func(K) string
	codec Codec[V]
	ttl   time.Duration
	err   atomic.Pointer[error]
}

var _ Store[string, int] = (*RedisCache[string, int])(nil)

// NewRedis returns a RedisCache that stores the value of k at key(k),
// encoded with c, expiring after ttl (0: never).
func NewRedis[K comparable, V any](rdb redis.UniversalClient, key func(K) string, c Codec[V], ttl time.Duration) (*RedisCache[K, V], error) {
	switch {
	case rdb == nil || key == nil || c == nil:
		return nil, fmt.Errorf("%w: NewRedis needs a client, a key function and a codec", ErrInvalidOptions)
	case ttl < 0:
		return nil, fmt.Errorf("%w: negative ttl %v", ErrInvalidOptions, ttl)
	}
	return &RedisCache[K, V]{rdb: rdb, key: key, codec: c, ttl: ttl}, nil
}

// GetContext returns the value of k. A missing key is (zero, false, nil);
// an error from Redis or from the codec is (zero, false, err).
func (r *RedisCache[K, V]) GetContext(ctx context.Context, k K) (V, bool, error) {
	var zero V
	key := r.key(k)
	b, err := r.rdb.Get(ctx, key).Bytes()
	if errors.Is(err, redis.Nil) {
		return zero, false, nil
	}
	if err != nil {
		return zero, false, fmt.Errorf("cache: redis GET %q: %w", key, err)
	}
	v, err := r.codec.Decode(b)
	if err != nil {
		return zero, false, fmt.Errorf("cache: decode %q: %w", key, err)
	}
	return v, true, nil
}

// SetContext stores v under k with the cache's ttl.
func (r *RedisCache[K, V]) SetContext(ctx context.Context, k K, v V) error {
	key := r.key(k)
	b, err := r.codec.Encode(v)
	if err != nil {
		return fmt.Errorf("cache: encode %q: %w", key, err)
	}
	if err := r.rdb.Set(ctx, key, b, r.ttl).Err(); err != nil {
		return fmt.Errorf("cache: redis SET %q: %w", key, err)
	}
	return nil
}

// DeleteContext removes k and reports whether it existed.
func (r *RedisCache[K, V]) DeleteContext(ctx context.Context, k K) (bool, error) {
	key := r.key(k)
	n, err := r.rdb.Del(ctx, key).Result()
	if err != nil {
		return false, fmt.Errorf("cache: redis DEL %q: %w", key, err)
	}
	return n > 0, nil
}

// Get is GetContext without a context: an error is a miss, kept for Err.
func (r *RedisCache[K, V]) Get(k K) (V, bool) {
	v, ok, err := r.GetContext(context.Background(), k)
	r.keep(err)
	return v, ok
}

// Set is SetContext without a context: an error is kept for Err.
func (r *RedisCache[K, V]) Set(k K, v V) {
	r.keep(r.SetContext(context.Background(), k, v))
}

// Delete is DeleteContext without a context: an error reports false and
// is kept for Err.
func (r *RedisCache[K, V]) Delete(k K) bool {
	ok, err := r.DeleteContext(context.Background(), k)
	r.keep(err)
	return ok
}

// Err returns the first error that Get, Set or Delete swallowed, or nil.
func (r *RedisCache[K, V]) Err() error {
	if p := r.err.Load(); p != nil {
		return *p
	}
	return nil
}

func (r *RedisCache[K, V]) keep(err error) {
	if err != nil {
		r.err.CompareAndSwap(nil, &err)
	}
}
