package lru

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// NewRedisStore returns a Store that keeps its entries in rdb under prefix:
// the value of key k in the string <prefix>v:<k> (with PXAT when it
// expires) and the recency index in the sorted set <prefix>idx (member k,
// score Rank).
func NewRedisStore(rdb redis.UniversalClient, prefix string) Store {
	return &redisStore{rdb: rdb, prefix: prefix}
}

type redisStore struct {
	rdb    redis.UniversalClient
	prefix string
}

// Save writes es in one round trip (TxPipelined): SET ... PXAT and ZADD.
func (s *redisStore) Save(ctx context.Context, es []Entry) error {
	// TODO(d01)
	return ErrNotImplemented
}

// Delete removes the values and their index members in one round trip.
func (s *redisStore) Delete(ctx context.Context, keys ...string) error {
	// TODO(d01)
	return ErrNotImplemented
}

// Load returns at most limit live entries, highest Rank first:
// ZREVRANGE on the index, then MGET (and PEXPIRETIME) on the values.
func (s *redisStore) Load(ctx context.Context, limit int) ([]Entry, error) {
	// TODO(d01)
	return nil, ErrNotImplemented
}
