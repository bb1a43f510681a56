package kinesis

import (
	"sync"
	"time"
)

// AWS's per-shard throughput, enforced when Options.Limits is set so that
// producers and consumers can exercise their retries and backoff.
const (
	writeBytesPerSec   = 1 << 20
	writeRecordsPerSec = 1000
	// A GetRecords may return up to 10 MiB at once: the shard's read
	// allowance (at most a second's worth) then goes negative, and reads
	// wait the seconds it takes to pay it back, as on AWS.
	readBytesPerSec = 2 << 20
	readCallsPerSec = 5
	// A record of 1 MiB with its partition key passes a full allowance.
	writeBurstBytes = writeBytesPerSec + 1024
)

// bucket is a token bucket: rate per second, holding at most burst.
type bucket struct {
	tokens float64
	last   time.Time
}

func (b *bucket) refill(now time.Time, rate, burst float64) {
	if b.last.IsZero() {
		b.tokens, b.last = burst, now
		return
	}
	if d := now.Sub(b.last).Seconds(); d > 0 {
		b.tokens = min(burst, b.tokens+d*rate)
		b.last = now
	}
}

// shardLimits holds one shard's buckets.
type shardLimits struct {
	writeBytes, writeRecords, readBytes, readCalls bucket
}

// limiter meters shards on the server clock.
type limiter struct {
	mu     sync.Mutex
	shards map[string]*shardLimits // stream id and shard index
}

func (l *limiter) shard(stream string, shard int) *shardLimits {
	key := stream + "/" + shardID(shard)
	s := l.shards[key]
	if s == nil {
		if l.shards == nil {
			l.shards = map[string]*shardLimits{}
		}
		s = &shardLimits{}
		l.shards[key] = s
	}
	return s
}

// write takes a record of n bytes from a shard's write allowance, or
// reports that the shard is over it.
func (l *limiter) write(stream string, shard, n int, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.shard(stream, shard)
	s.writeBytes.refill(now, writeBytesPerSec, writeBurstBytes)
	s.writeRecords.refill(now, writeRecordsPerSec, writeRecordsPerSec)
	if s.writeRecords.tokens < 1 || s.writeBytes.tokens < float64(n) {
		return false
	}
	s.writeRecords.tokens--
	s.writeBytes.tokens -= float64(n)
	return true
}

// read takes a GetRecords call from a shard's allowance, or reports that
// the shard is over it; readDone then charges what the call returned.
func (l *limiter) read(stream string, shard int, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.shard(stream, shard)
	s.readCalls.refill(now, readCallsPerSec, readCallsPerSec)
	s.readBytes.refill(now, readBytesPerSec, readBytesPerSec)
	if s.readCalls.tokens < 1 || s.readBytes.tokens <= 0 {
		return false
	}
	s.readCalls.tokens--
	return true
}

func (l *limiter) readDone(stream string, shard, n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.shard(stream, shard).readBytes.tokens -= float64(n)
}

// forget drops a stream's meters (it was deleted).
func (l *limiter) forget(stream string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.shards {
		if len(k) > len(stream) && k[:len(stream)] == stream && k[len(stream)] == '/' {
			delete(l.shards, k)
		}
	}
}
