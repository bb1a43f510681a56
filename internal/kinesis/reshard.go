package kinesis

import (
	"context"
	"math/big"
)

// Resharding closes shards and opens their children at once (the stream
// stays ACTIVE). A closed shard keeps its records until retention drops
// them and ends at the log position where it was closed: the stream's
// lock is held exclusively, so no write routed to it is still in flight.

type SplitShardInput struct {
	StreamInput
	ShardToSplit       string `json:"ShardToSplit"`
	NewStartingHashKey string `json:"NewStartingHashKey"`
}

// SplitShard splits an open shard in two at a hash key.
func (s *Service) SplitShard(ctx context.Context, in *SplitShardInput) (*struct{}, error) {
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	at, ok := parseHashKey(in.NewStartingHashKey)
	if !ok {
		return nil, validation(in.NewStartingHashKey, "newStartingHashKey", "satisfy regular expression pattern: 0|([1-9]\\d{0,38})")
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	parent, err := s.openShard(st, in.ShardToSplit)
	if err != nil {
		return nil, err
	}
	if err := s.withinShardLimit(ctx, st, 1); err != nil {
		return nil, err
	}
	start, end := parent.hashRange()
	if at.cmp(start) <= 0 || at.cmp(end) > 0 {
		return nil, invalidArg("NewStartingHashKey %s used in SplitShard() on shard %s in stream %s under account %s is not both greater than one plus the shard's StartingHashKey %s and less than the shard's EndingHashKey %s.",
			in.NewStartingHashKey, in.ShardToSplit, st.key.name, st.key.account, parent.Start, parent.End)
	}
	idx := parent.Index
	return s.reshard(st, []int{idx}, []child{
		{start, at.minusOne(), [2]int{idx, -1}},
		{at, end, [2]int{idx, -1}},
	})
}

type MergeShardsInput struct {
	StreamInput
	ShardToMerge         string `json:"ShardToMerge"`
	AdjacentShardToMerge string `json:"AdjacentShardToMerge"`
}

// MergeShards merges two open shards with adjacent hash key ranges.
func (s *Service) MergeShards(ctx context.Context, in *MergeShardsInput) (*struct{}, error) {
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	a, err := s.openShard(st, in.ShardToMerge)
	if err != nil {
		return nil, err
	}
	b, err := s.openShard(st, in.AdjacentShardToMerge)
	if err != nil {
		return nil, err
	}
	as, ae := a.hashRange()
	bs, be := b.hashRange()
	lo, hi := as, be
	switch {
	case ae != maxHashKey && ae.add(1) == bs:
	case be != maxHashKey && be.add(1) == as:
		lo, hi = bs, ae
	default:
		return nil, invalidArg("Shards %s and %s in stream %s under account %s are not an adjacent pair of shards eligible for merging",
			in.ShardToMerge, in.AdjacentShardToMerge, st.key.name, st.key.account)
	}
	return s.reshard(st, []int{a.Index, b.Index}, []child{{lo, hi, [2]int{a.Index, b.Index}}})
}

type UpdateShardCountInput struct {
	StreamInput
	TargetShardCount int    `json:"TargetShardCount"`
	ScalingType      string `json:"ScalingType"`
}

type UpdateShardCountOutput struct {
	StreamName        string `json:"StreamName"`
	StreamARN         string `json:"StreamARN"`
	CurrentShardCount int    `json:"CurrentShardCount"`
	TargetShardCount  int    `json:"TargetShardCount"`
}

// UpdateShardCount replaces the open shards by TargetShardCount shards of
// even hash key ranges. Each new shard names as parents the (at most two)
// old shards its range overlaps most.
func (s *Service) UpdateShardCount(ctx context.Context, in *UpdateShardCountInput) (*UpdateShardCountOutput, error) {
	if in.ScalingType != "UNIFORM_SCALING" {
		return nil, validation(in.ScalingType, "scalingType", "satisfy enum value set: [UNIFORM_SCALING]")
	}
	if in.TargetShardCount < 1 || in.TargetShardCount > 10000 {
		return nil, validation(in.TargetShardCount, "targetShardCount", "have value between 1 and 10000")
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	current := st.rec.openShards()
	out := &UpdateShardCountOutput{StreamName: st.key.name, StreamARN: st.rec.arn(), CurrentShardCount: current, TargetShardCount: in.TargetShardCount}
	switch target := in.TargetShardCount; {
	case target > 2*current:
		return nil, invalidArg("UpdateShardCount cannot scale up over double your current open shard count. Current open shard count: %d Target shard count: %d", current, target)
	case 2*target < current:
		return nil, invalidArg("UpdateShardCount cannot scale down below half your current open shard count. Current open shard count: %d Target shard count: %d", current, target)
	case target == current:
		return out, nil
	}
	if err := s.withinShardLimit(ctx, st, in.TargetShardCount-current); err != nil {
		return nil, err
	}
	closed, made := st.uniformPlan(in.TargetShardCount)
	now, pos := s.nowMs(), st.log.Next()
	_, err = s.update(st, func(r *streamRecord) {
		for _, p := range closed {
			end := pos
			r.Shards[p].EndSeq, r.Shards[p].Closed = &end, now
		}
		for _, m := range made {
			sh := shardRecord{Index: len(r.Shards), Parent: m.parents[0], AdjacentParent: m.parents[1],
				Start: m.start.String(), End: m.end.String(), StartSeq: pos, Opened: now}
			if m.closed { // made and closed in one step: it never holds a record
				end := pos
				sh.EndSeq, sh.Closed = &end, now
			}
			r.Shards = append(r.Shards, sh)
		}
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// plannedShard is a shard UpdateShardCount makes.
type plannedShard struct {
	start, end hashKey
	parents    [2]int
	closed     bool // an intermediate step
}

// uniformPlan reshapes the open shards into n even ranges the way Kinesis
// does, by splits and merges: open shards are split at every new
// boundary inside them, then the pieces of each new range are merged two
// at a time. Every shard made has at most two parents, and lineage leads
// from each new open shard to every old one whose keys it takes over, so
// readers that finish parents before children keep per-key order. It
// returns the existing shards to close and the shards to make, in order
// (their indexes follow the stream's last), st.mu held.
func (st *stream) uniformPlan(n int) (closed []int, made []plannedShard) {
	base := len(st.rec.Shards)
	add := func(start, end hashKey, p0, p1 int) int {
		made = append(made, plannedShard{start: start, end: end, parents: [2]int{p0, p1}})
		return base + len(made) - 1
	}
	retire := func(idx int) {
		if idx >= base {
			made[idx-base].closed = true
		} else {
			closed = append(closed, idx)
		}
	}
	type piece struct {
		start, end hashKey
		idx        int
	}
	targets := evenRanges(n)
	var pieces []piece
	r := st.route // open shards, by start
	for i, idx := range r.shards {
		cur := piece{r.starts[i], r.ends[i], idx}
		for _, t := range targets[1:] {
			if b := t[0]; cur.start.cmp(b) < 0 && b.cmp(cur.end) <= 0 {
				before := fromBig(new(big.Int).Sub(b.big(), big.NewInt(1)))
				left, right := add(cur.start, before, cur.idx, -1), add(b, cur.end, cur.idx, -1)
				retire(cur.idx)
				pieces = append(pieces, piece{cur.start, before, left})
				cur = piece{b, cur.end, right}
			}
		}
		pieces = append(pieces, cur)
	}
	i := 0
	for _, t := range targets {
		acc := pieces[i]
		for i++; i < len(pieces) && pieces[i].end.cmp(t[1]) <= 0; i++ {
			p := pieces[i]
			m := add(acc.start, p.end, acc.idx, p.idx)
			retire(acc.idx)
			retire(p.idx)
			acc = piece{acc.start, p.end, m}
		}
	}
	return closed, made
}

// openShard finds an open shard of the stream, st.mu held.
func (s *Service) openShard(st *stream, id string) (*shardRecord, error) {
	idx, ok := parseShardID(id)
	var sh *shardRecord
	if ok {
		sh = st.rec.shard(idx)
	}
	if sh == nil {
		return nil, ErrResourceNotFound.WithMessage("Could not find shard %s in stream %s under account %s.", id, st.key.name, st.key.account)
	}
	if !sh.open() {
		return nil, ErrResourceInUse.WithMessage("Shard %s in stream %s under account %s has already been merged or split, and thus is not eligible for merging or splitting.", id, st.key.name, st.key.account)
	}
	return sh, nil
}

// withinShardLimit checks that opening more shards keeps the account
// within its quota; st.mu is held.
func (s *Service) withinShardLimit(ctx context.Context, st *stream, more int) error {
	if more <= 0 {
		return nil
	}
	sc := scopeOf(ctx)
	open := 0
	s.mu.RLock()
	for k, other := range s.streams {
		if k.account != sc.account || k.region != sc.region {
			continue
		}
		if other == st {
			open += st.rec.openShards()
			continue
		}
		other.mu.RLock()
		open += other.rec.openShards()
		other.mu.RUnlock()
	}
	s.mu.RUnlock()
	if open+more > s.opts.ShardLimit {
		return ErrLimitExceeded.WithMessage("This request would exceed the shard limit for the account %s in %s. Current limit of shards is %d (%d open).",
			sc.account, sc.region, s.opts.ShardLimit, open)
	}
	return nil
}

// child is a shard resharding opens: its hash key range and its parent
// and adjacent parent (-1 for none).
type child struct {
	start, end hashKey
	parents    [2]int
}

// reshard closes the parents and opens the children; st.mu is held.
func (s *Service) reshard(st *stream, parents []int, children []child) (*struct{}, error) {
	now, pos := s.nowMs(), st.log.Next()
	return s.update(st, func(r *streamRecord) {
		for _, p := range parents {
			end := pos
			r.Shards[p].EndSeq, r.Shards[p].Closed = &end, now
		}
		for _, c := range children {
			r.Shards = append(r.Shards, shardRecord{Index: len(r.Shards), Parent: c.parents[0], AdjacentParent: c.parents[1],
				Start: c.start.String(), End: c.end.String(), StartSeq: pos, Opened: now})
		}
	})
}
