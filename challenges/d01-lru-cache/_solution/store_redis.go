package lru

import (
	"context"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisStore keeps one string key per entry, <prefix>v:<key>, expiring with
// PXAT, and one sorted set, <prefix>idx, scoring each key by its Rank.
type redisStore struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedisStore returns a Store that keeps its entries in rdb under prefix:
// the value of key k in the string <prefix>v:<k> (with PXAT when it
// expires) and the recency index in the sorted set <prefix>idx (member k,
// score Rank).
func NewRedisStore(rdb redis.UniversalClient, prefix string) Store {
	return &redisStore{rdb: rdb, prefix: prefix}
}

func (s *redisStore) valKey(k string) string { return s.prefix + "v:" + k }
func (s *redisStore) idxKey() string         { return s.prefix + "idx" }

// Save writes es in one MULTI/EXEC round trip.
func (s *redisStore) Save(ctx context.Context, es []Entry) error {
	if len(es) == 0 {
		return nil
	}
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		zs := make([]redis.Z, 0, len(es))
		for _, e := range es {
			if e.ExpiresAt.IsZero() {
				p.Set(ctx, s.valKey(e.Key), e.Value, 0)
			} else {
				// PXAT, not PX: the deadline stays exact however long the
				// entry waited to be flushed.
				p.Do(ctx, "set", s.valKey(e.Key), e.Value, "pxat", max(e.ExpiresAt.UnixMilli(), 1))
			}
			zs = append(zs, redis.Z{Score: float64(e.Rank), Member: e.Key})
		}
		p.ZAdd(ctx, s.idxKey(), zs...)
		return nil
	})
	return err
}

// Delete removes the values and their index entries in one round trip.
func (s *redisStore) Delete(ctx context.Context, keys ...string) error {
	if len(keys) == 0 {
		return nil
	}
	vals := make([]string, len(keys))
	members := make([]any, len(keys))
	for i, k := range keys {
		vals[i], members[i] = s.valKey(k), k
	}
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.Del(ctx, vals...)
		p.ZRem(ctx, s.idxKey(), members...)
		return nil
	})
	return err
}

// Load pages through the index from the top (ZREVRANGE), fetching values
// with MGET and deadlines with PEXPIRETIME, until it has limit live entries
// or the index runs out. Index members whose value is gone (expired, or
// deleted behind our back) are skipped, then removed from the index.
func (s *redisStore) Load(ctx context.Context, limit int) ([]Entry, error) {
	if limit <= 0 {
		return nil, nil
	}
	var (
		out   []Entry
		stale []any
	)
	for start := int64(0); len(out) < limit; start += int64(limit) {
		zs, err := s.rdb.ZRevRangeWithScores(ctx, s.idxKey(), start, start+int64(limit)-1).Result()
		if err != nil {
			return nil, err
		}
		if len(zs) == 0 {
			break
		}
		vals := make([]string, len(zs))
		for i, z := range zs {
			vals[i] = s.valKey(z.Member.(string))
		}
		var mget *redis.SliceCmd
		exps := make([]*redis.Cmd, len(zs))
		if _, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
			mget = p.MGet(ctx, vals...)
			for i, k := range vals {
				exps[i] = p.Do(ctx, "pexpiretime", k)
			}
			return nil
		}); err != nil {
			return nil, err
		}
		for i, z := range zs {
			v, ok := mget.Val()[i].(string)
			if !ok {
				stale = append(stale, z.Member)
				continue
			}
			e := Entry{Key: z.Member.(string), Value: []byte(v), Rank: int64(z.Score)}
			if ms, err := exps[i].Int64(); err == nil && ms > 0 {
				e.ExpiresAt = time.UnixMilli(ms)
			}
			out = append(out, e)
			if len(out) == limit {
				break
			}
		}
		if len(zs) < limit {
			break
		}
	}
	if len(stale) > 0 {
		// Best effort: a stale member costs a little space, never correctness.
		_ = s.rdb.ZRem(ctx, s.idxKey(), stale...).Err()
	}
	return out, nil
}
