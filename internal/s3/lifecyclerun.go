package s3

import (
	"context"
	"errors"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// LifecycleStats counts what a lifecycle pass did.
type LifecycleStats struct {
	Scanned                int `json:"scanned"`
	Transitioned           int `json:"transitioned"`
	Expired                int `json:"expired"`
	NoncurrentTransitioned int `json:"noncurrentTransitioned"`
	NoncurrentExpired      int `json:"noncurrentExpired"`
	DeleteMarkersRemoved   int `json:"deleteMarkersRemoved"`
	UploadsAborted         int `json:"uploadsAborted"`
}

// due is when an action Days after t takes effect: S3 adds the days and
// rounds up to the next midnight UTC.
func due(t time.Time, days int) time.Time {
	d := t.UTC().Add(time.Duration(days) * 24 * time.Hour)
	if m := d.Truncate(24 * time.Hour); !m.Equal(d) {
		return m.Add(24 * time.Hour)
	}
	return d
}

// RunLifecycle carries out every bucket's lifecycle rules as of the server
// clock's now. Passes do not overlap; each is idempotent, so a pass after a
// crash simply finishes the work.
func (s *Service) RunLifecycle(ctx context.Context) (LifecycleStats, error) {
	s.lifecycleMu.Lock()
	defer s.lifecycleMu.Unlock()
	now := s.clock.Now()
	s.bucketsMu.RLock()
	buckets := slices.Collect(maps.Values(s.buckets))
	s.bucketsMu.RUnlock()
	var st LifecycleStats
	for _, bk := range buckets {
		if bk.Lifecycle == nil {
			continue
		}
		if err := s.lifecycleBucket(ctx, bk, now, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// Kinds of lifecycle action.
const (
	lcExpire = iota
	lcTransition
	lcExpireNoncurrent
	lcTransitionNoncurrent
	lcRemoveMarker
)

type lcAction struct {
	kind  int
	key   string
	stamp uint64 // order() of the version acted on
	class string
}

// matches reports whether a rule's filter selects a version.
func (f *LifecycleFilter) matches(key string, size int64, tags []Tag, deleteMarker bool) bool {
	if !strings.HasPrefix(key, f.Prefix) {
		return false
	}
	if deleteMarker {
		return len(f.Tags) == 0 && f.SizeGreaterThan == 0 && f.SizeLessThan == 0
	}
	if f.SizeGreaterThan > 0 && size <= f.SizeGreaterThan || f.SizeLessThan > 0 && size >= f.SizeLessThan {
		return false
	}
	for _, want := range f.Tags {
		if !slices.Contains(tags, want) {
			return false
		}
	}
	return true
}

func (s *Service) lifecycleBucket(ctx context.Context, bk *bucketRecord, now time.Time, st *LifecycleStats) (err error) {
	var rules []LifecycleRule
	needTags, versions := false, false
	for _, r := range bk.Lifecycle.Rules {
		if r.Enabled {
			rules = append(rules, r)
			needTags = needTags || len(r.Filter.Tags) > 0
			versions = versions || r.NoncurrentExpiration != nil || len(r.NoncurrentTransitions) > 0 ||
				r.Expiration != nil && r.Expiration.ExpiredObjectDeleteMarker
		}
	}
	if len(rules) == 0 {
		return nil
	}
	if err := s.abortUploads(bk, rules, now, st); err != nil {
		return err
	}
	ap := &lcApplier{s: s, bk: bk, now: now, st: st}
	c := &versionCursor{curBase: objectPrefix(bk.Name), oldBase: versionsPrefix(bk.Name)}
	if err := c.open(s.db, ""); err != nil {
		return err
	}
	defer c.close(&err)
	c.first()
	if !versions {
		c.oldOK = false // only current versions matter
	}

	var (
		lastKey    string
		successor  time.Time // when the entry before, of the same key, was written
		noncurrent int       // noncurrent versions of the key seen so far
		marker     *lcAction // a current delete marker waiting to learn whether it is alone
	)
	for c.valid() {
		if err := ctx.Err(); err != nil {
			return err
		}
		key, current := c.at()
		if key != lastKey {
			if marker != nil {
				if err := ap.add(*marker); err != nil {
					return err
				}
				marker = nil
			}
			lastKey, noncurrent = key, 0
		}
		v, err := c.value(current)
		if err != nil {
			return err
		}
		var o objectRecord
		if needTags && !isDeleteMarker(v) {
			err = o.unmarshal(v)
		} else {
			_, err = o.unmarshalListing(v)
		}
		if err != nil {
			return err
		}
		st.Scanned++
		if current {
			a, ok := currentAction(rules, key, &o, now, bk.Lifecycle.MinSize)
			switch {
			case ok && a.kind == lcRemoveMarker:
				marker = &a // acted on only if no noncurrent version follows
			case ok:
				if err := ap.add(a); err != nil {
					return err
				}
			}
		} else {
			marker = nil
			if a, ok := noncurrentAction(rules, key, &o, successor, noncurrent, now, bk.Lifecycle.MinSize); ok {
				if err := ap.add(a); err != nil {
					return err
				}
			}
			noncurrent++
		}
		successor = o.Modified
		c.next(current)
	}
	if marker != nil {
		if err := ap.add(*marker); err != nil {
			return err
		}
	}
	return ap.flush()
}

// currentAction decides what the rules do to a current version: expire it,
// remove it (a delete marker, if no older version remains), or move it to
// the coldest storage class a due transition names.
func currentAction(rules []LifecycleRule, key string, o *objectRecord, now time.Time, minSize string) (lcAction, bool) {
	a := lcAction{key: key, stamp: o.order()}
	class := ""
	for i := range rules {
		r := &rules[i]
		if !r.Filter.matches(key, o.Size, o.Tags, o.DeleteMarker) {
			continue
		}
		if e := r.Expiration; e != nil {
			if o.DeleteMarker {
				if e.ExpiredObjectDeleteMarker {
					a.kind = lcRemoveMarker
					return a, true
				}
				continue
			}
			if e.Days > 0 && !due(o.Modified, e.Days).After(now) || !e.Date.IsZero() && !e.Date.After(now) {
				a.kind = lcExpire
				return a, true
			}
		}
		if o.DeleteMarker {
			continue
		}
		for _, t := range r.Transitions {
			if t.Date.IsZero() && !due(o.Modified, t.Days).After(now) || !t.Date.IsZero() && !t.Date.After(now) {
				class = colder(class, t.StorageClass, o.Size, minSize)
			}
		}
	}
	if class != "" && classRank(class) > classRank(o.StorageClass) {
		a.kind, a.class = lcTransition, class
		return a, true
	}
	return a, false
}

// noncurrentAction decides what the rules do to a noncurrent version that
// became noncurrent at since and has newer noncurrent versions before it.
func noncurrentAction(rules []LifecycleRule, key string, o *objectRecord, since time.Time, newer int, now time.Time, minSize string) (lcAction, bool) {
	a := lcAction{key: key, stamp: o.order()}
	class := ""
	for i := range rules {
		r := &rules[i]
		if !r.Filter.matches(key, o.Size, o.Tags, o.DeleteMarker) {
			continue
		}
		if e := r.NoncurrentExpiration; e != nil && newer >= e.NewerVersions && !due(since, e.Days).After(now) {
			a.kind = lcExpireNoncurrent
			return a, true
		}
		if o.DeleteMarker {
			continue
		}
		for _, t := range r.NoncurrentTransitions {
			if newer >= t.NewerVersions && !due(since, t.Days).After(now) {
				class = colder(class, t.StorageClass, o.Size, minSize)
			}
		}
	}
	if class != "" && classRank(class) > classRank(o.StorageClass) {
		a.kind, a.class = lcTransitionNoncurrent, class
		return a, true
	}
	return a, false
}

// colder returns class if an object of size may move there and it is
// colder than best, else best.
func colder(best, class string, size int64, minSize string) string {
	if classRank(class) > classRank(best) && bigEnough(size, class, minSize) {
		return class
	}
	return best
}

// bigEnough applies the transition minimum object size: by default S3
// moves no object under 128 KiB; with varies_by_storage_class only the
// infrequent-access classes keep that minimum.
func bigEnough(size int64, class, minSize string) bool {
	if minSize == MinSizeVariesByClass && !infrequent(class) {
		return true
	}
	return size >= transitionMinimumSize
}

// lcApplier carries out lifecycle actions in durable batches of up to
// lcBatch, each re-checked under its key's lock against what the scan saw.
type lcApplier struct {
	s       *Service
	bk      *bucketRecord
	now     time.Time
	st      *LifecycleStats
	pending []lcAction
	keys    map[string]bool
	// packed holds, by pending index, bodies compressed for a move into an
	// archive class, made before the locks are taken.
	packed map[int]*packedBody
}

// packedBody is a compressed copy of the body with the given id.
type packedBody struct {
	from string
	body *ingested
}

// pack compresses the bodies of versions moving into an archive class.
// Versions sealed with a customer's key (SSE-C) cannot be opened without
// it and move uncompressed.
func (ap *lcApplier) pack() error {
	s := ap.s
	for i, a := range ap.pending {
		if (a.kind != lcTransition && a.kind != lcTransitionNoncurrent) || !archived(a.class) {
			continue
		}
		var o *objectRecord
		var err error
		if a.kind == lcTransition {
			o, err = s.currentRecord(ap.bk.Name, a.key)
		} else {
			var v []byte
			if v, err = s.db.Get(versionKey(ap.bk.Name, a.key, a.stamp)); err == nil {
				o, err = decodeObject(v)
			} else if isNotFound(err) {
				o, err = nil, nil
			}
		}
		if err != nil {
			return err
		}
		if o == nil || o.order() != a.stamp || o.Data.Packed > 0 || o.Encryption.Mode == sseCustomer {
			continue
		}
		kek, err := s.readKey(o.Encryption, CustomerKey{}, false)
		if err != nil {
			return err
		}
		r, closer, err := s.openData(o.Data, o.Size, 0, o.Size, kek)
		if errors.Is(err, errDataGone) {
			continue // overwritten meanwhile; apply will see it
		}
		if err != nil {
			return err
		}
		body, err := s.ingest(&Body{Reader: r, Size: o.Size}, DefaultChecksum, math.MaxInt64, storeAs{kek: kek, pack: true})
		closer.Close()
		if err != nil {
			return err
		}
		if ap.packed == nil {
			ap.packed = map[int]*packedBody{}
		}
		ap.packed[i] = &packedBody{from: o.Data.ID, body: body}
	}
	return nil
}

// usePacked gives o the packed body made for pending action i, if one was
// made from o's current body, and records the swap in b.
func (ap *lcApplier) usePacked(b *meta.Batch, i int, o *objectRecord) []func() {
	p := ap.packed[i]
	if p == nil || p.from != o.Data.ID {
		return nil
	}
	delete(ap.packed, i)
	keep(b, p.body)
	old := o.Data
	o.Data = p.body.ref
	return []func(){ap.s.drop(b, old)}
}

func (ap *lcApplier) discardPacked() {
	for _, p := range ap.packed {
		ap.s.discard(p.body)
	}
	ap.packed = nil
}

const lcBatch = 1000

func (ap *lcApplier) add(a lcAction) error {
	if ap.keys[a.key] || len(ap.pending) == lcBatch {
		if err := ap.flush(); err != nil {
			return err
		}
	}
	if ap.keys == nil {
		ap.keys = map[string]bool{}
	}
	ap.pending = append(ap.pending, a)
	ap.keys[a.key] = true
	return nil
}

func (ap *lcApplier) flush() error {
	if len(ap.pending) == 0 {
		return nil
	}
	if err := ap.pack(); err != nil {
		return err
	}
	s, bucket := ap.s, ap.bk.Name
	unlock := s.lockKeys(bucket, slices.Collect(maps.Keys(ap.keys))...)
	defer unlock()
	bl := s.bucketLock(bucket)
	bl.RLock()
	defer bl.RUnlock()
	bk, err := s.loadBucket(bucket)
	if err != nil {
		return nil // the bucket is gone
	}
	b := s.db.NewBatch()
	var after []func()
	var counts LifecycleStats
	for i, a := range ap.pending {
		fns, err := ap.apply(b, bk, i, a, &counts)
		if err != nil {
			b.Close()
			ap.discardPacked()
			return err
		}
		after = append(after, fns...)
	}
	ap.discardPacked() // bodies packed for versions that changed meanwhile
	if b.Empty() {
		b.Close()
	} else if err := b.Commit(); err != nil {
		return err
	}
	for _, f := range after {
		f()
	}
	st := ap.st
	st.Transitioned += counts.Transitioned
	st.Expired += counts.Expired
	st.NoncurrentTransitioned += counts.NoncurrentTransitioned
	st.NoncurrentExpired += counts.NoncurrentExpired
	st.DeleteMarkersRemoved += counts.DeleteMarkersRemoved
	ap.pending, ap.keys = ap.pending[:0], nil
	return nil
}

// apply records one action in b if the version is still what the scan saw.
func (ap *lcApplier) apply(b *meta.Batch, bk *bucketRecord, i int, a lcAction, n *LifecycleStats) ([]func(), error) {
	s := ap.s
	switch a.kind {
	case lcExpire, lcTransition, lcRemoveMarker:
		cur, err := s.currentRecord(bk.Name, a.key)
		if err != nil || cur == nil || cur.order() != a.stamp {
			return nil, err
		}
		switch a.kind {
		case lcTransition:
			fns := ap.usePacked(b, i, cur)
			cur.StorageClass = a.class
			b.Set(objectKey(bk.Name, a.key), cur.marshal())
			n.Transitioned++
			return fns, nil
		case lcRemoveMarker:
			older, err := s.newestNoncurrent(bk.Name, a.key)
			if err != nil || older != nil || !cur.DeleteMarker {
				return nil, err
			}
			b.Delete(objectKey(bk.Name, a.key))
			n.DeleteMarkersRemoved++
		case lcExpire:
			n.Expired++
			if bk.Versioning == "" {
				b.Delete(objectKey(bk.Name, a.key))
				return []func(){s.drop(b, cur.Data)}, nil
			}
			marker := &objectRecord{DeleteMarker: true, Modified: ap.now.Truncate(time.Millisecond), Owner: bk.Account}
			return s.setCurrent(b, bk, a.key, cur, marker)
		}
		return nil, nil
	default:
		k := versionKey(bk.Name, a.key, a.stamp)
		v, err := s.db.Get(k)
		if err != nil {
			if isNotFound(err) {
				return nil, nil
			}
			return nil, err
		}
		o, err := decodeObject(v)
		if err != nil {
			return nil, err
		}
		if a.kind == lcExpireNoncurrent && o.Lock.protects(ap.now, false) != nil {
			return nil, nil // Object Lock outranks lifecycle
		}
		if a.kind == lcTransitionNoncurrent {
			fns := ap.usePacked(b, i, o)
			o.StorageClass = a.class
			b.Set(k, o.marshal())
			n.NoncurrentTransitioned++
			return fns, nil
		}
		b.Delete(k)
		n.NoncurrentExpired++
		return []func(){s.drop(b, o.Data)}, nil
	}
}

// abortUploads aborts the multipart uploads that AbortIncompleteMultipartUpload
// rules have made due.
func (s *Service) abortUploads(bk *bucketRecord, rules []LifecycleRule, now time.Time, st *LifecycleStats) error {
	abortable := false
	for _, r := range rules {
		abortable = abortable || r.AbortAfterDays > 0
	}
	if !abortable {
		return nil
	}
	uploads, err := s.scanUploads(bk.Name)
	if err != nil {
		return err
	}
	for _, u := range uploads {
		for _, r := range rules {
			if r.AbortAfterDays == 0 || !strings.HasPrefix(u.Key, r.Filter.Prefix) || due(u.Initiated, r.AbortAfterDays).After(now) {
				continue
			}
			aborted, err := s.abortUpload(u)
			if err != nil {
				return err
			}
			if aborted {
				st.UploadsAborted++
			}
			break
		}
	}
	return nil
}
