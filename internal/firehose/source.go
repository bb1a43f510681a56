package firehose

import (
	"context"
	"time"

	"github.com/lakebox/lakebox/internal/kinesis/kpl"
	"github.com/lakebox/lakebox/internal/storage/streamlog"
)

// pumpBatch bounds the Kinesis records a pump reads at once.
const pumpBatch = 10000

// pump copies the records of a Kinesis-sourced stream's Kinesis stream
// into its buffer log, KPL aggregates de-aggregated, and stores the
// checkpoint after each copy is on disk: a crash between the two copies
// records again (at least once, as AWS).
func (w *worker) pump(ctx context.Context) {
	rec := w.ds.record()
	log := w.s.opts.Logger.With("delivery_stream", rec.Name, "account", rec.Account)
	var cp map[string]string
	if _, err := w.s.db.GetJSON(dbKey(sourcePrefix, w.ds.key), &cp); err != nil {
		log.Error("firehose source checkpoint", "err", err)
		return
	}
	start := time.UnixMilli(rec.DeliveryStart)
	backoff := time.Duration(0)
	for {
		n, err := w.pumpOnce(ctx, rec, &cp, start)
		if err != nil && ctx.Err() == nil {
			log.Warn("firehose source read", "stream", rec.Source.KinesisStreamARN, "err", err)
			backoff = min(max(2*backoff, time.Second), 30*time.Second)
		} else {
			backoff = 0
		}
		wait := w.s.opts.Wake
		switch {
		case backoff > 0:
			wait = backoff
		case n == pumpBatch:
			wait = 0
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
	}
}

func (w *worker) pumpOnce(ctx context.Context, rec streamRecord, cp *map[string]string, start time.Time) (int, error) {
	if w.s.opts.Source == nil {
		return 0, nil
	}
	recs, next, err := w.s.opts.Source.Read(ctx, rec.Account, rec.Region, rec.Source.KinesisStreamARN, *cp, start, pumpBatch)
	if err != nil || len(recs) == 0 {
		if err == nil && len(next) > len(*cp) { // shards found to be empty
			*cp = next
		}
		return 0, err
	}
	out := make([]streamlog.Record, 0, len(recs))
	for _, r := range recs {
		users, err := kpl.Deaggregate("", r.Data)
		if err != nil {
			users = []kpl.UserRecord{{Data: r.Data}}
		}
		for _, u := range users {
			out = append(out, streamlog.Record{Arrival: r.Arrival.UnixMilli(), Key: sourceKey(r.Sequence, u.SubSequence), Data: u.Data})
		}
	}
	if err := w.ds.log.Append(out); err != nil {
		return 0, err
	}
	if m := w.s.opts.Metrics; m != nil {
		size := 0
		for _, r := range out {
			size += len(r.Data)
		}
		m.Incoming(rec.Name, len(out), size)
	}
	v, err := jsonMarshal(next)
	if err != nil {
		return 0, err
	}
	b := w.s.db.NewBatch()
	b.Set(dbKey(sourcePrefix, w.ds.key), v)
	if err := b.Commit(); err != nil {
		return 0, err
	}
	*cp = next
	return len(recs), nil
}
