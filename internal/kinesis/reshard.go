package kinesis

import (
	"context"
	"math/big"
	"slices"
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
	old := slices.Clone(st.route.shards)
	var children []child
	for _, rng := range evenRanges(in.TargetShardCount) {
		children = append(children, child{rng[0], rng[1], st.overlapping(rng[0], rng[1])})
	}
	if _, err := s.reshard(st, old, children); err != nil {
		return nil, err
	}
	return out, nil
}

// overlapping returns the open shards whose ranges overlap [lo, hi] most,
// the largest overlap first (-1 for none).
func (st *stream) overlapping(lo, hi hashKey) [2]int {
	best := [2]int{-1, -1}
	var sizes [2]*big.Int
	r := st.route
	for i, idx := range r.shards {
		a, b := r.starts[i], r.ends[i]
		if b.cmp(lo) < 0 || a.cmp(hi) > 0 {
			continue
		}
		if a.cmp(lo) < 0 {
			a = lo
		}
		if b.cmp(hi) > 0 {
			b = hi
		}
		size := new(big.Int).Sub(b.big(), a.big())
		switch {
		case best[0] < 0 || size.Cmp(sizes[0]) > 0:
			best[1], sizes[1] = best[0], sizes[0]
			best[0], sizes[0] = idx, size
		case best[1] < 0 || size.Cmp(sizes[1]) > 0:
			best[1], sizes[1] = idx, size
		}
	}
	return best
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
