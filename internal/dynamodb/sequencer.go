package dynamodb

import (
	"encoding/binary"
	"encoding/json"
	"slices"
	"sync"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// sequencer numbers the records a log of changes receives (a stream's
// records, a Kinesis destination's outbox), handing numbers out before
// the batch that writes them commits. Readers of the log stop at visible,
// so a record that commits after a later one is never skipped.
type sequencer struct {
	mu sync.Mutex
	// next is the next number to hand out.
	next uint64
	// pending are the numbers handed to writes not yet committed or
	// abandoned, in order: readers stop below the first.
	pending []uint64
	// committed is the highest number committed. Readers also stop above
	// it: a position past it could name a number a write abandoned, which
	// after a restart is handed out again.
	committed uint64
}

// start sets where numbering resumes: next is one past the highest number
// the log holds.
func (q *sequencer) start(next uint64) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.next, q.committed = next, next-1
}

func (q *sequencer) reserve() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	seq := q.next
	q.next++
	q.pending = append(q.pending, seq)
	return seq
}

// settle ends a reservation: its record committed, or it never will.
func (q *sequencer) settle(seq uint64, committed bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if i := slices.Index(q.pending, seq); i >= 0 {
		q.pending = slices.Delete(q.pending, i, i+1)
	}
	if committed {
		q.committed = max(q.committed, seq)
	}
}

// visible is the first number readers may not read yet.
func (q *sequencer) visible() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	first := q.next
	if len(q.pending) > 0 {
		first = q.pending[0]
	}
	return min(first, q.committed+1)
}

// last is the highest number committed.
func (q *sequencer) last() uint64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.committed
}

// seqRange returns the first and last sequence numbers of the keys under
// prefix, each a big-endian u64 after it; ok is false when there are none.
func seqRange(db *meta.DB, prefix []byte) (first, last uint64, ok bool, err error) {
	it, err := db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return 0, 0, false, err
	}
	defer it.Close()
	if it.First() {
		first, ok = binary.BigEndian.Uint64(it.Key()[len(prefix):]), true
	}
	if it.Last() {
		last = binary.BigEndian.Uint64(it.Key()[len(prefix):])
	}
	return first, last, ok, it.Close()
}

// eachJSON decodes every value under prefix, in key order, and passes it
// to fn.
func eachJSON[T any](db *meta.DB, prefix []byte, fn func(*T) error) error {
	return eachKeyedJSON(db, prefix, func(_ []byte, d *T) error { return fn(d) })
}

// eachKeyedJSON is eachJSON that also gives each value's key, valid until
// fn returns.
func eachKeyedJSON[T any](db *meta.DB, prefix []byte, fn func(key []byte, d *T) error) error {
	it, err := db.NewIter(prefix, meta.PrefixEnd(prefix))
	if err != nil {
		return err
	}
	defer it.Close()
	for it.First(); it.Valid(); it.Next() {
		v, err := it.Value()
		if err != nil {
			return err
		}
		d := new(T)
		if err := json.Unmarshal(v, d); err != nil {
			return err
		}
		if err := fn(it.Key(), d); err != nil {
			return err
		}
	}
	return it.Close()
}
