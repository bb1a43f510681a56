package kinesis

import (
	"context"
	"strconv"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/shutdown"
)

const (
	// subscriptionLifetime is how long a SubscribeToShard lasts.
	subscriptionLifetime = 5 * time.Minute
	// heartbeat is how long a caught-up subscription waits for records
	// before it sends an event without any.
	heartbeat = 5 * time.Second
)

type StartingPosition struct {
	Type           string      `json:"Type"`
	SequenceNumber string      `json:"SequenceNumber,omitempty"`
	Timestamp      *epoch.Time `json:"Timestamp,omitempty"`
}

type SubscribeToShardInput struct {
	ConsumerARN      string           `json:"ConsumerARN"`
	ShardId          string           `json:"ShardId"`
	StartingPosition StartingPosition `json:"StartingPosition"`
}

type SubscribeToShardEvent struct {
	Records                    []Record     `json:"Records"`
	ContinuationSequenceNumber string       `json:"ContinuationSequenceNumber"`
	MillisBehindLatest         int64        `json:"MillisBehindLatest"`
	ChildShards                []ChildShard `json:"ChildShards,omitempty"`
}

// Subscription pushes one shard's records to an enhanced fan-out consumer
// for five minutes of server time, or to the end of a closed shard.
type Subscription struct {
	s        *Service
	st       *stream
	key      string // consumer ARN and shard: one subscription at a time
	shard    int
	pos      uint64
	deadline time.Time
	ended    bool
}

// SubscribeToShard starts a subscription; the caller reads its events
// with Next and must Close it.
func (s *Service) SubscribeToShard(ctx context.Context, in *SubscribeToShardInput) (*Subscription, error) {
	st, c, err := s.findConsumer(ctx, &ConsumerInput{ConsumerARN: in.ConsumerARN})
	if err != nil {
		return nil, err
	}
	index, sh, err := st.shardNamed(in.ShardId)
	if err != nil {
		return nil, err
	}
	p := in.StartingPosition
	pos, err := s.position(st, index, sh, p.Type, p.SequenceNumber, p.Timestamp)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	arn := st.rec.consumerARN(c)
	st.mu.RUnlock()
	sub := &Subscription{s: s, st: st, key: arn + "\x00" + strconv.Itoa(index), shard: index, pos: pos, deadline: s.clock.Now().Add(subscriptionLifetime)}
	s.subsMu.Lock()
	defer s.subsMu.Unlock()
	if s.subs[sub.key] {
		return nil, ErrResourceInUse.WithMessage("Another active subscription exists for this consumer: %s", arn)
	}
	if s.subs == nil {
		s.subs = map[string]bool{}
	}
	s.subs[sub.key] = true
	return sub, nil
}

// Close ends the subscription.
func (sub *Subscription) Close() {
	sub.s.subsMu.Lock()
	delete(sub.s.subs, sub.key)
	sub.s.subsMu.Unlock()
}

// Next waits for the next event: records from where the last one ended,
// or none after a heartbeat's wait. It returns nil once the subscription
// is over (its five minutes passed, the shard ended, the consumer or the
// stream is gone, ctx ended, or the server is shutting down).
func (sub *Subscription) Next(ctx context.Context) (*SubscribeToShardEvent, error) {
	s, st := sub.s, sub.st
	if sub.ended || ctx.Err() != nil || s.clock.Now().After(sub.deadline) {
		return nil, nil
	}
	timer := time.NewTimer(heartbeat)
	defer timer.Stop()
	for {
		changed := st.log.Changed()
		st.mu.RLock()
		sh := st.rec.shard(sub.shard)
		var closedAt *uint64
		var children []ChildShard
		if sh != nil && !sh.open() {
			closedAt, children = sh.EndSeq, st.rec.children(sub.shard)
		}
		horizon := st.rec.horizon(s.nowMs())
		st.mu.RUnlock()
		s.mu.RLock()
		live := s.byID[st.id] == st
		s.mu.RUnlock()
		if !live || sh == nil {
			return nil, nil
		}
		recs, err := st.log.Read(uint32(sub.shard), sub.pos, maxGetRecords, maxGetBytes)
		if err != nil {
			return nil, err
		}
		ev := &SubscribeToShardEvent{Records: []Record{}}
		now := s.nowMs()
		st.mu.RLock()
		for _, r := range recs {
			if r.Arrival < horizon {
				sub.pos = r.Seq + 1
				continue
			}
			rec, err := s.record(st, sub.shard, r)
			if err != nil {
				st.mu.RUnlock()
				return nil, err
			}
			sub.pos = r.Seq + 1
			ev.Records = append(ev.Records, rec)
		}
		st.mu.RUnlock()
		ev.ContinuationSequenceNumber = sequenceNumber(sub.shard, max(sub.pos, 1)-1)
		caughtUp := len(recs) < maxGetRecords && bytesOf(recs) < maxGetBytes
		if !caughtUp && len(recs) > 0 {
			ev.MillisBehindLatest = max(now-recs[len(recs)-1].Arrival, 0)
		}
		if caughtUp && closedAt != nil {
			sub.ended = true // the shard's last event names its children
			ev.ChildShards = children
			return ev, nil
		}
		if len(recs) > 0 {
			return ev, nil
		}
		select {
		case <-changed:
		case <-timer.C:
			return ev, nil
		case <-ctx.Done():
			return nil, nil
		case <-shutdown.Begun(ctx):
			return nil, nil
		}
	}
}
