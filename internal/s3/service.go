package s3

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/storage/blob"
	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
)

// Limits S3 enforces.
const (
	MaxObjectSize   = 5 << 40 // 5 TiB, via multipart
	MaxPutSize      = 5 << 30 // 5 GiB in one PUT or one part
	MinPartSize     = 5 << 20 // every part but the last
	MaxParts        = 10000
	MaxDeleteKeys   = 1000
	MaxListKeys     = 1000
	MaxObjectTags   = 10
	MaxBucketTags   = 50
	MaxMetadataSize = 2 << 10 // user metadata, bytes
)

// Options tune the service. DefaultOptions gives the values Lakebox runs with.
type Options struct {
	// InlineMax is the largest body kept in the meta store instead of a blob
	// file. Small bodies inline cost one group-committed fsync per PUT.
	InlineMax int64
	// Logger receives background errors.
	Logger *slog.Logger
	// MasterKey derives the keys that wrap the data keys of SSE-S3 and
	// SSE-KMS objects. Losing it loses those objects.
	MasterKey seal.Key
}

// DefaultOptions returns the options Lakebox uses unless told otherwise.
func DefaultOptions() Options {
	return Options{InlineMax: 16 << 10, Logger: slog.New(slog.DiscardHandler)}
}

// Service is the S3 object store. It is safe for concurrent use.
type Service struct {
	db    *meta.DB
	blobs *blob.Store
	clock *clock.Clock
	opts  Options

	seed        maphash.Seed
	bucketsMu   sync.RWMutex
	buckets     map[string]*bucketRecord // every bucket, in step with the store; records are never modified in place
	keyLocks    [256]sync.Mutex
	bucketLocks [64]sync.RWMutex
	uploadLocks [64]sync.Mutex
	chunks      sync.Pool // *[]byte of pipeChunk bytes, for hashPipe
	lastStamp   atomic.Uint64
	lifecycleMu sync.Mutex // one lifecycle pass at a time
	keks        sync.Map   // derivation label -> *seal.Key, the master key's derived KEKs
}

// New returns a service over the given stores. It loads the bucket
// records, which it then keeps in memory: every request needs its bucket.
func New(db *meta.DB, blobs *blob.Store, clk *clock.Clock, opts Options) (*Service, error) {
	def := DefaultOptions()
	if opts.InlineMax <= 0 {
		opts.InlineMax = def.InlineMax
	}
	if opts.Logger == nil {
		opts.Logger = def.Logger
	}
	s := &Service{db: db, blobs: blobs, clock: clk, opts: opts, seed: maphash.MakeSeed(), buckets: map[string]*bucketRecord{}}
	s.chunks.New = func() any { b := make([]byte, pipeChunk); return &b }
	if err := s.loadBuckets(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Service) loadBuckets() (err error) {
	it, err := s.db.NewIter([]byte(prefixBucket), prefixEnd([]byte(prefixBucket)))
	if err != nil {
		return err
	}
	defer closeIter(it, &err)
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return err
		}
		var b bucketRecord
		if err := decode(v, &b); err != nil {
			return err
		}
		if err := b.compile(); err != nil {
			return err
		}
		s.buckets[b.Name] = &b
	}
	return nil
}

// putBucket commits a bucket record and publishes it. The caller holds the
// bucket's lock.
func (s *Service) putBucket(b *bucketRecord) error {
	if err := b.compile(); err != nil {
		return err
	}
	batch := s.db.NewBatch()
	batch.Set(bucketKey(b.Name), encode(b))
	if err := batch.Commit(); err != nil {
		return err
	}
	s.bucketsMu.Lock()
	s.buckets[b.Name] = b
	s.bucketsMu.Unlock()
	return nil
}

// Reconcile removes blob files that no record references and that were
// written before the current process started. It is needed only after a
// crash (meta.DB.Clean is false) and may run while the service serves.
func (s *Service) Reconcile(ctx context.Context) (removed int, err error) {
	cutoff := s.clock.Wall()
	err = s.blobs.Walk(cutoff, func(id string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		ok, err := s.db.Has(refKey(id))
		if err != nil || ok {
			return err
		}
		removed++
		return s.blobs.Remove(id)
	})
	return removed, err
}

// lockKeys locks the key stripes of the given object keys in stripe order
// and returns the unlock function.
func (s *Service) lockKeys(bucket string, keys ...string) func() {
	idx := make([]int, 0, len(keys))
	seen := map[int]bool{}
	for _, k := range keys {
		i := int(maphash.String(s.seed, bucket+"/"+k) % uint64(len(s.keyLocks)))
		if !seen[i] {
			seen[i] = true
			idx = append(idx, i)
		}
	}
	sort.Ints(idx)
	for _, i := range idx {
		s.keyLocks[i].Lock()
	}
	return func() {
		for _, i := range idx {
			s.keyLocks[i].Unlock()
		}
	}
}

func (s *Service) bucketLock(bucket string) *sync.RWMutex {
	return &s.bucketLocks[maphash.String(s.seed, bucket)%uint64(len(s.bucketLocks))]
}

// access says how a request may reach a bucket.
type access int

const (
	// sameRegion: the request must be signed for the bucket's region.
	sameRegion access = iota
	// anyRegion: the bucket may be read from any region (GetBucketLocation).
	anyRegion
	// sourceBucket: the source of a copy, which may be in any region.
	sourceBucket
)

type expectedOwnerKey struct{ source bool }

// WithExpectedOwner records x-amz-expected-bucket-owner (source false) or
// x-amz-source-expected-bucket-owner (source true): the account the request
// expects to own the bucket. A mismatch is AccessDenied.
func WithExpectedOwner(ctx context.Context, account string, source bool) context.Context {
	if account == "" {
		return ctx
	}
	return context.WithValue(ctx, expectedOwnerKey{source}, account)
}

// ExpectedOwner returns what WithExpectedOwner recorded, or "".
func ExpectedOwner(ctx context.Context, source bool) string {
	v, _ := ctx.Value(expectedOwnerKey{source}).(string)
	return v
}

// compile parses the stored policy, if any.
func (b *bucketRecord) compile() error {
	b.policy = nil
	if b.Policy == "" {
		return nil
	}
	p, err := parsePolicy(b.Name, b.Policy)
	if err != nil {
		return fmt.Errorf("s3: bucket %s policy: %w", b.Name, err)
	}
	b.policy = p
	return nil
}

// bucket loads a bucket and checks that the caller may perform action (an
// IAM action such as "s3:GetObject") on it, or on key in it: the owner may
// unless the bucket policy denies it; anyone else only if the policy allows
// it and none of it denies it.
func (s *Service) bucket(ctx context.Context, name string, a access, action, key string) (*bucketRecord, error) {
	b, err := s.loadBucket(name)
	if err != nil {
		return nil, err
	}
	id := auth.FromContext(ctx)
	owner := !id.Anonymous && id.Account == b.Account
	resource := BucketARN(name)
	if key != "" {
		resource += "/" + key
	}
	allowed, denied := b.policy.decide(id, action, resource)
	if allowed && !owner && b.restrictsPublic() {
		allowed = false // RestrictPublicBuckets: a public policy grants nothing outside the account
	}
	if owner && policyAction(action) {
		denied = false // the owner can always repair a policy that locks it out
	}
	if denied || !owner && !allowed {
		return nil, ErrAccessDenied
	}
	if want := ExpectedOwner(ctx, a == sourceBucket); want != "" && want != b.Account {
		return nil, ErrAccessDenied
	}
	if a == sameRegion && id.Region != "" && id.Region != b.Region {
		return nil, ErrWrongRegion.
			WithMessage("The authorization header is malformed; the region '%s' is wrong; expecting '%s'", id.Region, b.Region).
			With("Region", b.Region).
			WithHeader("x-amz-bucket-region", b.Region)
	}
	return b, nil
}

func policyAction(action string) bool {
	switch action {
	case "s3:GetBucketPolicy", "s3:PutBucketPolicy", "s3:DeleteBucketPolicy":
		return true
	}
	return false
}

// loadBucket returns a bucket's record, or NoSuchBucket. The record is
// shared: callers must not modify it.
func (s *Service) loadBucket(name string) (*bucketRecord, error) {
	s.bucketsMu.RLock()
	b, ok := s.buckets[name]
	s.bucketsMu.RUnlock()
	if !ok {
		return nil, noSuchBucket(name)
	}
	return b, nil
}

// loadObject returns the record of bucket/key, or NoSuchKey.
func (s *Service) loadObject(bucket, key string) (*objectRecord, error) {
	v, err := s.db.Get(objectKey(bucket, key))
	if errors.Is(err, meta.ErrNotFound) {
		return nil, noSuchKey(key)
	}
	if err != nil {
		return nil, err
	}
	return decodeObject(v)
}

func isNotFound(err error) bool { return errors.Is(err, meta.ErrNotFound) }

func decodeObject(v []byte) (*objectRecord, error) {
	var o objectRecord
	if err := o.unmarshal(v); err != nil {
		return nil, err
	}
	return &o, nil
}

// isCode reports whether err is an AWS error with the given code.
func isCode(err error, code string) bool {
	e, ok := awserr.As(err)
	return ok && e.Code == code
}
