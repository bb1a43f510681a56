package firehose

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math/bits"
	"sort"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/storage/streamlog"
)

// A record's position in a stream's buffer log: its sequence number and,
// below subBits, the index of an output processing made of it (or of a
// sub-record de-aggregation took out of it). Positions order outputs.
const subBits = 20

func position(seq uint64, sub int) uint64 { return seq<<subBits | uint64(sub) }

const (
	kindData   = "data"
	kindError  = "error"
	kindBackup = "backup"
	// readBatch bounds the records a worker reads at once.
	readBatch      = 8192
	readBatchBytes = 16 << 20
)

// progress is what a stream's worker has delivered, stored after every
// object it writes. After a restart, reading resumes at Next; an output
// at or before Delivered[buffer] is not buffered again.
type progress struct {
	Next      uint64            `json:"next"`
	Delivered map[string]uint64 `json:"delivered,omitempty"`
}

// buffer gathers the outputs that become one object.
type buffer struct {
	key       string
	kind      string
	keys      map[string]string // partition keys
	errorType string
	firstSeq  uint64 // sequence number of the record of the first output
	first     uint64 // position of the first output (names the object)
	last      uint64 // position of the last output
	oldest    int64  // arrival of the oldest record, Unix ms
	newest    int64  // arrival of the newest record, Unix ms
	records   int
	size      int           // bytes of the outputs as they came (before conversion)
	parts     [][]byte      // the outputs, unless converted, in mem
	mem       [][]byte      // chunks of the worker's memory holding parts
	arrivals  []int64       // of each output's record, Unix ms, in an HTTP endpoint's data buffer
	file      convertedFile // converted records

	// For an HTTP endpoint: the request body's size the outputs make
	// (base64 and JSON), the failed deliveries so far and when the first
	// was (server time), and the failure that ended the retries once they
	// have ended (the records then go to S3).
	wire         int
	attempts     int
	firstFailure time.Time
	gaveUp       *httpFailure
}

// worker delivers one stream's records.
type worker struct {
	s        *Service
	ds       *deliveryStream
	cursor   uint64
	progress progress
	buffers  map[string]*buffer
	// retry is when, in wall time, a failed delivery is tried again.
	retry   time.Time
	backoff time.Duration

	// Compiled from the configuration of version.
	version  int
	cfg      ExtendedS3Destination
	prefixes *prefixes
	backupP  *prefix
	chain    *chain
	tz       *time.Location
	conv     *converter // of the current pass, when converting
	http     bool       // data goes to an HTTP endpoint

	// Memory kept from one pass and one object to the next: the records
	// read, the outputs buffered and the bodies made.
	readBuf []byte
	chunks  chunkPool
	comp    compressor
}

// shed drops the memory the worker keeps between objects.
func (w *worker) shed() {
	w.readBuf, w.comp = nil, compressor{}
	w.chunks = chunkPool{keep: w.chunks.keep}
}

// Buffers hold their outputs in chunks of these sizes, doubling from the
// least to the most: a buffer of a few records holds a few KiB.
const (
	minChunk = 4 << 10
	maxChunk = 1 << 20
)

// chunkPool recycles the memory buffers copy their outputs into. A worker
// fills and delivers buffers of the same size over and over, and memory
// fresh from the system costs a page fault per 4 KiB, far more than the
// copy: so the records it reads go into one buffer it reuses, and the
// outputs buffered are copied out of it into chunks that come back here
// when their buffer is delivered.
type chunkPool struct {
	free      [9][][]byte // by size: minChunk << i
	freeBytes int
	keep      int      // the most bytes kept free
	parts     [][]byte // a delivered buffer's parts, emptied
}

// hold copies data into b's memory and returns the copy.
func (p *chunkPool) hold(b *buffer, data []byte) []byte {
	n := len(b.mem)
	if n == 0 || cap(b.mem[n-1])-len(b.mem[n-1]) < len(data) {
		size := minChunk
		if n > 0 {
			size = min(2*cap(b.mem[n-1]), maxChunk)
		}
		b.mem = append(b.mem, p.get(max(size, len(data))))
		n++
	}
	c := append(b.mem[n-1], data...) // within capacity: earlier copies stay put
	b.mem[n-1] = c
	return c[len(c)-len(data):]
}

// sizeClass is the index of the least chunk size that holds n bytes.
func sizeClass(n int) int { return bits.Len(uint(max(n-1, 0) / minChunk)) }

// get returns an empty chunk of at least n bytes.
func (p *chunkPool) get(n int) []byte {
	if n > maxChunk {
		return make([]byte, 0, n)
	}
	class := sizeClass(n)
	if free := p.free[class]; len(free) > 0 {
		c := free[len(free)-1]
		p.free[class] = free[:len(free)-1]
		p.freeBytes -= cap(c)
		return c[:0]
	}
	return make([]byte, 0, minChunk<<class)
}

// release takes back a delivered buffer's memory.
func (p *chunkPool) release(b *buffer) {
	for _, c := range b.mem {
		if size := cap(c); size <= maxChunk && size == minChunk<<sizeClass(size) && p.freeBytes+size <= p.keep {
			class := sizeClass(size)
			p.free[class] = append(p.free[class], c)
			p.freeBytes += size
		}
	}
	if cap(b.parts) > cap(p.parts) {
		clear(b.parts)
		p.parts = b.parts[:0]
	}
	b.mem, b.parts = nil, nil
}

func (s *Service) newWorker(ds *deliveryStream) (*worker, error) {
	w := &worker{s: s, ds: ds, buffers: map[string]*buffer{}}
	if _, err := s.db.GetJSON(dbKey(progressPrefix, ds.key), &w.progress); err != nil {
		return nil, err
	}
	if w.progress.Delivered == nil {
		w.progress.Delivered = map[string]uint64{}
	}
	w.cursor = w.progress.Next
	return w, nil
}

// configure compiles the stream's configuration when it changed.
func (w *worker) configure() (streamRecord, error) {
	rec := w.ds.record()
	if rec.Version == w.version && w.chain != nil {
		return rec, nil
	}
	d := rec.Destination
	p, err := compileDestinationPrefixes(&d)
	if err != nil {
		return rec, err
	}
	c, err := compileProcessors(d.processors(), d.partitions())
	if err != nil {
		return rec, err
	}
	w.backupP = nil
	if b := d.S3BackupConfiguration; d.S3BackupMode == "Enabled" && b != nil {
		if w.backupP, err = parsePrefix(deref(b.Prefix), "S3BackupConfiguration.Prefix"); err != nil {
			return rec, err
		}
	}
	w.tz = time.UTC
	if tz := deref(d.CustomTimeZone); tz != "" {
		if w.tz, err = time.LoadLocation(tz); err != nil {
			return rec, err
		}
	}
	w.version, w.cfg, w.prefixes, w.chain, w.http = rec.Version, d, p, c, rec.HTTP != nil
	w.chunks.keep = (*d.BufferingHints.SizeInMBs + 2) << 20 // a full buffer's
	return rec, nil
}

func (w *worker) run() {
	defer close(w.ds.done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if w.ds.record().Source != nil {
		pumped := make(chan struct{})
		go func() {
			defer close(pumped)
			w.pump(ctx)
		}()
		defer func() { cancel(); <-pumped }()
	}
	// Stopping the stream cancels what is in flight (a post to a slow
	// endpoint).
	go func() {
		select {
		case <-w.ds.quit:
			cancel()
		case <-ctx.Done():
		}
	}()
	log := w.s.opts.Logger.With("delivery_stream", w.ds.key.name, "account", w.ds.key.account)
	for {
		changed := w.ds.log.Changed()
		more, err := w.pass(ctx)
		if err != nil {
			log.Error("firehose delivery", "err", err)
			w.failed()
		}
		w.ds.settled.Store(&settledState{cursor: w.cursor, buffered: len(w.buffers) > 0})
		if more && err == nil {
			continue
		}
		if len(w.buffers) == 0 {
			w.shed() // idle: a quiet stream holds no memory
		}
		wait := w.s.opts.Wake
		if d := w.nextDue(); d < wait {
			wait = max(d, time.Millisecond)
		}
		if !w.retry.IsZero() {
			wait = max(min(wait, time.Until(w.retry)), time.Millisecond)
		}
		t := time.NewTimer(wait)
		select {
		case <-w.ds.quit:
			t.Stop()
			return
		case <-changed:
		case <-w.ds.kick:
			// The clock moved or the configuration changed: a delivery
			// waiting out its backoff is tried now (an HTTP endpoint's
			// retry duration runs on the server clock).
			w.retry = time.Time{}
		case <-t.C:
		}
		t.Stop()
	}
}

// failed backs off after a delivery error: 1 s, doubling up to a minute.
func (w *worker) failed() {
	w.backoff = min(max(2*w.backoff, time.Second), time.Minute)
	w.retry = time.Now().Add(w.backoff)
}

// pass reads what the log holds past the cursor into buffers and
// delivers the buffers that are full or due. It reports whether the log
// may hold more to read at once.
func (w *worker) pass(ctx context.Context) (bool, error) {
	rec, err := w.configure()
	if err != nil {
		return false, err
	}
	if !w.retry.IsZero() && time.Now().Before(w.retry) {
		return false, nil
	}
	if b := w.failing(); b != nil {
		// A batch the endpoint refused is sent again as it was, under
		// the same request id: the log keeps what comes after.
		if err := w.flush(ctx, b); err != nil {
			return false, err
		}
		w.retry, w.backoff = time.Time{}, 0
		return true, nil
	}
	// The records are in w.readBuf until the next pass: what is buffered
	// of them is copied out.
	recs, buf, err := w.ds.log.ReadInto(w.readBuf, 0, w.cursor, readBatch, readBatchBytes)
	w.readBuf = buf
	if err != nil {
		return false, err
	}
	w.conv = nil
	if w.cfg.converts() && len(recs) > 0 {
		if w.conv, err = w.converter(ctx, rec); err != nil {
			return false, err
		}
	}
	now := w.s.clock.Now()
	for _, r := range recs {
		if err := w.take(w.conv, r, now); err != nil {
			return false, err
		}
		w.cursor = r.Seq + 1
		if err := w.flushFull(ctx); err != nil {
			return false, err
		}
	}
	// Behind on a backlog, buffers fill to their size: an interval that
	// passed while the records waited does not cut them short.
	caughtUp := len(recs) < readBatch && w.cursor >= w.ds.log.Next()
	if caughtUp {
		if err := w.flushDue(ctx); err != nil {
			return false, err
		}
	}
	w.retry, w.backoff = time.Time{}, 0
	return !caughtUp, nil
}

// converter looks up the table that types conversion, as AWS does at
// delivery time.
func (w *worker) converter(ctx context.Context, rec streamRecord) (*converter, error) {
	c := w.cfg.DataFormatConversionConfiguration
	sc := c.SchemaConfiguration
	region := sc.Region
	if region == "" {
		region = rec.Region
	}
	account := sc.CatalogId
	if account == "" {
		account = rec.Account
	}
	if w.s.opts.Catalog == nil {
		return nil, errors.New("no catalog to convert records with")
	}
	cols, err := w.s.opts.Catalog.Columns(ctx, account, region, sc.DatabaseName, sc.TableName)
	if err != nil {
		return nil, fmt.Errorf("the table %s.%s that types conversion: %w", sc.DatabaseName, sc.TableName, err)
	}
	return newConverter(c, cols)
}

// take processes one record of the log into buffers.
func (w *worker) take(conv *converter, r streamlog.Record, now time.Time) error {
	data := r.Data
	if r.Sealed {
		w.ds.mu.RLock()
		ring := w.ds.keys
		w.ds.mu.RUnlock()
		if ring == nil {
			return fmt.Errorf("record %d is sealed and the stream has no keys", r.Seq)
		}
		var err error
		if data, err = ring.Open(data); err != nil {
			return fmt.Errorf("record %d: %w", r.Seq, err)
		}
	}
	if w.backupP != nil {
		w.add(kindBackup+"\x00", kindBackup, nil, "", r, 0, data, nil) // text: cannot fail
	}
	outs, fail := w.chain.run(data)
	if fail != nil {
		w.addFailure(r, 0, data, fail, now, conv)
		return nil
	}
	for i, o := range outs {
		var row map[string]any
		if conv != nil {
			if row, fail = conv.row(bytes.TrimSpace(o.data)); fail != nil {
				w.addFailure(r, i, o.data, fail, now, conv)
				continue
			}
		}
		if err := w.add(dataKey(o.keys), kindData, o.keys, "", r, i, o.data, row); err != nil {
			return err
		}
	}
	return nil
}

// dataKey names the data buffer of a set of partition keys.
func dataKey(keys map[string]string) string {
	if len(keys) == 0 {
		return kindData + "\x00"
	}
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(kindData + "\x00")
	for _, k := range names {
		b.WriteString(k + "=" + keys[k] + "\x00")
	}
	return b.String()
}

// errorRecord is a record of the error output, as AWS writes them.
type errorRecord struct {
	AttemptsMade           int               `json:"attemptsMade"`
	ArrivalTimestamp       int64             `json:"arrivalTimestamp"`
	ErrorCode              string            `json:"errorCode,omitempty"`
	ErrorMessage           string            `json:"errorMessage,omitempty"`
	LastErrorCode          string            `json:"lastErrorCode,omitempty"`
	LastErrorMessage       string            `json:"lastErrorMessage,omitempty"`
	AttemptEndingTimestamp int64             `json:"attemptEndingTimestamp"`
	RawData                string            `json:"rawData"`
	SequenceNumber         string            `json:"sequenceNumber,omitempty"`
	SubSequenceNumber      *int              `json:"subSequenceNumber,omitempty"`
	DataCatalogTable       *dataCatalogTable `json:"dataCatalogTable,omitempty"`
}

type dataCatalogTable struct {
	CatalogID    string `json:"catalogId,omitempty"`
	DatabaseName string `json:"databaseName"`
	TableName    string `json:"tableName"`
	Region       string `json:"region,omitempty"`
	VersionID    string `json:"versionId"`
}

func (w *worker) addFailure(r streamlog.Record, sub int, data []byte, f *failure, now time.Time, conv *converter) {
	e := errorRecord{AttemptsMade: 1, ArrivalTimestamp: r.Arrival, AttemptEndingTimestamp: now.UnixMilli(), RawData: base64.StdEncoding.EncodeToString(data)}
	if seq, subSeq, ok := sourceSequence(r.Key); ok {
		e.SequenceNumber, e.SubSequenceNumber = seq, &subSeq
	}
	if f.errorType == "format-conversion-failed" {
		e.LastErrorCode, e.LastErrorMessage = f.code, f.message
		if conv != nil {
			t := conv.table
			version := t.VersionId
			if version == "" {
				version = "LATEST"
			}
			e.DataCatalogTable = &dataCatalogTable{CatalogID: t.CatalogId, DatabaseName: t.DatabaseName, TableName: t.TableName, Region: t.Region, VersionID: version}
		}
	} else {
		e.ErrorCode, e.ErrorMessage = f.code, f.message
	}
	line, _ := json.Marshal(e)                                                                        // plain strings and numbers
	w.add(kindError+"\x00"+f.errorType, kindError, nil, f.errorType, r, sub, append(line, '\n'), nil) // text: cannot fail
}

// add appends an output to its buffer, unless it was delivered before a
// restart. A converted record (row) is encoded into the buffer's Parquet or ORC
// file at once.
func (w *worker) add(key, kind string, keys map[string]string, errorType string, r streamlog.Record, sub int, data []byte, row map[string]any) error {
	pos := position(r.Seq, sub)
	if done, ok := w.progress.Delivered[key]; ok && pos <= done {
		return nil
	}
	b := w.buffers[key]
	if b == nil {
		b = &buffer{key: key, kind: kind, keys: keys, errorType: errorType, firstSeq: r.Seq, first: pos, oldest: r.Arrival}
		b.parts, w.chunks.parts = w.chunks.parts, nil
		if row != nil {
			var err error
			if b.file, err = w.conv.newFile(); err != nil {
				return err
			}
		}
		w.buffers[key] = b
	}
	if row != nil {
		if err := b.file.add(row); err != nil {
			return err
		}
	} else {
		b.parts = append(b.parts, w.chunks.hold(b, data))
		if kind == kindData && w.http { // only an HTTP endpoint's delivery uses them
			b.arrivals = append(b.arrivals, r.Arrival)
			b.wire += recordWire(len(data))
		}
	}
	b.last = pos
	b.newest = max(b.newest, r.Arrival)
	b.records++
	b.size += len(data)
	return nil
}

// flushFull delivers the buffers that reached their size.
func (w *worker) flushFull(ctx context.Context) error {
	var refused error
	for _, b := range w.buffers {
		if w.full(b) {
			if err := w.flush(ctx, b); err != nil {
				if !refusedByEndpoint(err) {
					return err
				}
				refused = err
			}
		}
	}
	return refused
}

// full tells whether a buffer has reached its size, or for an HTTP
// endpoint the most one request may carry.
func (w *worker) full(b *buffer) bool {
	return b.size >= w.sizeLimit(b) || b.kind == kindData && w.http && b.wire >= maxHTTPBody
}

// failing returns the data buffer an HTTP endpoint refused, if any.
func (w *worker) failing() *buffer {
	for _, b := range w.buffers {
		if b.attempts > 0 {
			return b
		}
	}
	return nil
}

// refusedByEndpoint tells whether err is an HTTP endpoint's refusal, which
// does not stop the other buffers' deliveries.
func refusedByEndpoint(err error) bool {
	var f *httpFailure
	return errors.As(err, &f)
}

// sizeLimit is the size at which a buffer is delivered.
func (w *worker) sizeLimit(b *buffer) int {
	return *w.hints(b).SizeInMBs << 20
}

func (w *worker) interval(b *buffer) time.Duration {
	return time.Duration(*w.hints(b).IntervalInSeconds) * time.Second
}

// hints are the buffering hints of a buffer's kind. A backup buffer
// left from before an update that turned backup off keeps the backup
// hints it had, or the destination's.
func (w *worker) hints(b *buffer) *BufferingHints {
	if c := w.cfg.S3BackupConfiguration; b.kind == kindBackup && c != nil && c.BufferingHints != nil {
		return c.BufferingHints
	}
	return w.cfg.BufferingHints
}

// nextDue is how long, in server time, until the first buffer is due.
func (w *worker) nextDue() time.Duration {
	next := time.Duration(1<<62 - 1)
	now := w.s.clock.Now()
	for _, b := range w.buffers {
		next = min(next, time.UnixMilli(b.oldest).Add(w.interval(b)).Sub(now))
	}
	return next
}

// flushDue delivers the buffers whose interval has passed, and those with
// a zero interval; the log is read to its end.
func (w *worker) flushDue(ctx context.Context) error {
	now := w.s.clock.Now()
	var due []*buffer
	for _, b := range w.buffers {
		iv := w.interval(b)
		if !now.Before(time.UnixMilli(b.oldest).Add(iv)) {
			due = append(due, b)
		}
	}
	sort.Slice(due, func(i, j int) bool { return due[i].first < due[j].first })
	var refused error
	for _, b := range due {
		if err := w.flush(ctx, b); err != nil {
			if !refusedByEndpoint(err) {
				return err
			}
			refused = err
		}
	}
	return refused
}

// flush writes a buffer as one object, then records it delivered.
func (w *worker) flush(ctx context.Context, b *buffer) error {
	rec := w.ds.record()
	t := time.UnixMilli(b.oldest).In(w.tz)
	// The object's name and random parts come from the buffer's first
	// output, so delivering it again after a crash replaces the object.
	seed := sha256.Sum256(fmt.Appendf(nil, "%s\x00%s\x00%d", rec.ID, b.key, b.first))
	id := uuidFrom(seed[:16])
	if b.kind == kindData && rec.HTTP != nil {
		return w.flushHTTP(ctx, rec, b, id) // the id names the request, the same on every retry
	}
	random := randomString(seed[16:])
	bucket := bucketOf(w.cfg.BucketARN)
	var prefix, ext string
	var body []byte
	var err error
	contentType := "application/octet-stream"
	switch b.kind {
	case kindData:
		prefix = w.prefixes.data.render(t, b.keys, "", random)
		if b.file != nil {
			ext = b.file.extension()
			if body, err = b.file.close(); err != nil {
				return err
			}
		} else {
			ext = extension(w.cfg.CompressionFormat)
			if body, err = w.comp.compress(w.cfg.CompressionFormat, b.parts, b.size, id); err != nil {
				return err
			}
		}
		if e := deref(w.cfg.FileExtension); e != "" {
			ext = e
		}
	case kindError:
		prefix = w.prefixes.errorPrefix(t, b.errorType, random)
		if body, err = w.comp.compress(compressionNone, b.parts, b.size, id); err != nil {
			return err
		}
	case kindBackup:
		backup := w.cfg.S3BackupConfiguration
		if backup == nil { // turned off since the records came: they still go
			backup = &S3Destination{BucketARN: w.cfg.BucketARN, CompressionFormat: w.cfg.CompressionFormat}
		}
		bucket = bucketOf(backup.BucketARN)
		if w.backupP != nil {
			prefix = w.backupP.render(t, nil, "", random)
		} else {
			prefix = w.prefixes.data.render(t, nil, "", random)
		}
		ext = extension(backup.CompressionFormat)
		if body, err = w.comp.compress(backup.CompressionFormat, b.parts, b.size, id); err != nil {
			return err
		}
	}
	key := fmt.Sprintf("%s%s-%d-%s-%s%s", prefix, rec.Name, rec.Version, t.Format("2006-01-02-15-04-05"), id, ext)
	if err := w.s.opts.Lake.Put(ctx, rec.Account, bucket, key, body, contentType); err != nil {
		err = fmt.Errorf("deliver s3://%s/%s: %w", bucket, key, err)
		if ctx.Err() == nil && w.outlived(ctx, rec, b) {
			return w.discard(rec, b, err)
		}
		return err
	}
	if m := w.s.opts.Metrics; m != nil {
		m.Delivered(rec.Name, b.kind, b.records, len(body))
	}
	return w.delivered(b)
}

// directPutRetention is how long Firehose keeps the records put into a
// DirectPut stream.
const directPutRetention = 24 * time.Hour

// outlived tells whether every record of a buffer is older, on the server
// clock, than the stream keeps records: 24 hours, or for a Kinesis source
// the source stream's retention. AWS retries a failing S3 delivery until
// then, and then discards the data. A buffer that took records while its
// delivery failed is kept until its newest record has outlived the
// retention: none is dropped before its time. When the source's retention
// cannot be read, nothing is.
func (w *worker) outlived(ctx context.Context, rec streamRecord, b *buffer) bool {
	retention := directPutRetention
	if src := rec.Source; src != nil {
		if w.s.opts.Source == nil {
			return false
		}
		r, err := w.s.opts.Source.Retention(ctx, rec.Account, rec.Region, src.KinesisStreamARN)
		if err != nil {
			return false
		}
		retention = r
	}
	return w.s.clock.Now().Sub(time.UnixMilli(b.newest)) >= retention
}

// discard drops a buffer whose records outlived their retention, as if
// delivered, so the records behind it flow again.
func (w *worker) discard(rec streamRecord, b *buffer, cause error) error {
	w.s.opts.Logger.Error("firehose discarded records that could not be delivered within their retention",
		"delivery_stream", rec.Name, "account", rec.Account, "kind", b.kind, "records", b.records,
		"oldest", time.UnixMilli(b.oldest).UTC(), "newest", time.UnixMilli(b.newest).UTC(), "err", cause)
	if m := w.s.opts.Metrics; m != nil {
		m.Discarded(rec.Name, b.kind, b.records)
	}
	return w.delivered(b)
}

// delivered forgets a buffer that was delivered and records its progress.
func (w *worker) delivered(b *buffer) error {
	delete(w.buffers, b.key)
	w.chunks.release(b)
	w.progress.Delivered[b.key] = b.last
	return w.saveProgress()
}

// saveProgress stores what has been delivered and lets the log drop the
// segments no buffer needs.
func (w *worker) saveProgress() error {
	next := w.cursor
	for _, b := range w.buffers {
		next = min(next, b.firstSeq)
	}
	w.progress.Next = next
	for k, pos := range w.progress.Delivered {
		if pos>>subBits < next {
			delete(w.progress.Delivered, k)
		}
	}
	v, err := json.Marshal(w.progress)
	if err != nil {
		return err
	}
	batch := w.s.db.NewBatch()
	batch.Set(dbKey(progressPrefix, w.ds.key), v)
	if err := batch.Commit(); err != nil {
		return err
	}
	_, err = w.ds.log.Release(next)
	return err
}

// uuidFrom formats 16 bytes as a version 4 UUID.
func uuidFrom(b []byte) string {
	var u [16]byte
	copy(u[:], b)
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

const randomAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// randomString is !{firehose:random-string}: 11 characters.
func randomString(seed []byte) string {
	n := binary.BigEndian.Uint64(seed)
	out := make([]byte, 11)
	for i := range out {
		out[i] = randomAlphabet[n%uint64(len(randomAlphabet))]
		n /= uint64(len(randomAlphabet))
		if n == 0 {
			n = binary.BigEndian.Uint64(seed[8:]) + uint64(i)
		}
	}
	return string(out)
}

// sourceKey is what the buffer log keeps as a Kinesis-sourced record's
// key: its sequence number and sub-sequence number.
func sourceKey(seq string, sub int) string { return fmt.Sprintf("%s/%d", seq, sub) }

func sourceSequence(key string) (string, int, bool) {
	seq, sub, ok := strings.Cut(key, "/")
	if !ok {
		return "", 0, false
	}
	var n int
	if _, err := fmt.Sscan(sub, &n); err != nil {
		return "", 0, false
	}
	return seq, n, true
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
