package streamlog

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/sys/unix"
)

// Record is one record of the log.
type Record struct {
	Shard uint32
	Seq   uint64 // assigned by Append
	// Arrival is when the record arrived, in Unix milliseconds. Append
	// raises it to the arrival of the record before, if need be, so that
	// arrivals never decrease along the log.
	Arrival int64
	Key     string // the partition key
	Data    []byte
	// Sealed marks data its owner encrypted (the log stores it as given).
	Sealed bool
}

// Options tune a log.
type Options struct {
	// SegmentSize is the size past which a segment is closed and a new one
	// begun (default 64 MiB).
	SegmentSize int64
	// MaxBatch bounds the records of one group commit (default 16384).
	MaxBatch int
}

// ErrClosed is returned by Append after Close.
var ErrClosed = errors.New("streamlog: closed")

const (
	headerSize = 8
	fixedBody  = 4 + 8 + 8
	// maxBody bounds a frame's body; larger frames are corruption.
	maxBody = 16 << 20
	// maxChunk bounds the bytes of a chunk, the unit a read fetches.
	maxChunk = 4 << 20
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sealedBit, in a frame's shard field, marks sealed data.
const sealedBit = 1 << 31

// Log is one stream's log. Its methods are safe for concurrent use.
type Log struct {
	dir  string
	opts Options
	reqs chan *request
	quit chan struct{}
	done chan struct{}

	mu    sync.RWMutex // guards what follows
	index map[uint32][]chunk
	segs  []*segment
	next  uint64 // the next sequence number; written by the writer under mu
	last  int64  // the latest arrival
	err   error  // a failed write leaves the log unusable until reopened
	// changed is closed, and replaced, by every commit.
	changed chan struct{}
}

type segment struct {
	first      uint64 // the first sequence number it may hold (its name)
	f          *os.File
	size       int64
	maxArrival int64
}

// chunk is a run of one shard's records, contiguous in a segment.
type chunk struct {
	first, last uint64
	arrival     int64 // of the last record
	seg         *segment
	off         int64
	n           int32 // bytes
}

type request struct {
	recs []Record
	done chan error
}

// Open opens (or creates) the log in dir and recovers its index.
func Open(dir string, opts Options) (*Log, error) {
	if opts.SegmentSize <= 0 {
		opts.SegmentSize = 64 << 20
	}
	if opts.MaxBatch <= 0 {
		opts.MaxBatch = 16384
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("streamlog: %w", err)
	}
	l := &Log{dir: dir, opts: opts, reqs: make(chan *request, 1024), quit: make(chan struct{}), done: make(chan struct{}), index: map[uint32][]chunk{},
		changed: make(chan struct{})}
	if err := l.recover(); err != nil {
		l.closeFiles()
		return nil, err
	}
	go l.writer()
	return l, nil
}

func segmentName(first uint64) string { return fmt.Sprintf("%020d.log", first) }

// recover reads every segment, rebuilding the index; a torn tail of the
// last segment (a crash in the middle of a write) is cut off.
func (l *Log) recover() error {
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return fmt.Errorf("streamlog: %w", err)
	}
	var firsts []uint64
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".log")
		if !ok {
			continue
		}
		n, err := strconv.ParseUint(name, 10, 64)
		if err != nil {
			continue
		}
		firsts = append(firsts, n)
	}
	slices.Sort(firsts)
	for i, first := range firsts {
		last := i == len(firsts)-1
		path := filepath.Join(l.dir, segmentName(first))
		f, err := os.OpenFile(path, os.O_RDWR, 0)
		if err != nil {
			return fmt.Errorf("streamlog: %w", err)
		}
		seg := &segment{first: first, f: f}
		l.segs = append(l.segs, seg)
		l.next = max(l.next, first)
		valid, err := l.scan(seg)
		if err != nil && !last {
			return fmt.Errorf("streamlog: segment %s is corrupt at byte %d: %w", path, valid, err)
		}
		if err != nil || valid < seg.size {
			// A torn tail: what was not acknowledged.
			if err := f.Truncate(valid); err != nil {
				return fmt.Errorf("streamlog: cut the torn tail of %s: %w", path, err)
			}
			if err := f.Sync(); err != nil {
				return fmt.Errorf("streamlog: %w", err)
			}
		}
		seg.size = valid
	}
	return nil
}

// scan indexes a segment's records and returns the length of its valid
// prefix (and why the rest is not valid).
func (l *Log) scan(seg *segment) (int64, error) {
	st, err := seg.f.Stat()
	if err != nil {
		return 0, err
	}
	seg.size = st.Size()
	r := bufio.NewReaderSize(io.NewSectionReader(seg.f, 0, seg.size), 1<<20)
	var off int64
	var hdr [headerSize]byte
	var body []byte
	var cur *chunk // the chunk being extended, of shard curShard
	var curShard uint32
	for off < seg.size {
		if _, err := io.ReadFull(r, hdr[:]); err != nil {
			return off, fmt.Errorf("short frame header")
		}
		n := binary.LittleEndian.Uint32(hdr[:4])
		if n < fixedBody+1 || n > maxBody {
			return off, fmt.Errorf("bad frame length %d", n)
		}
		body = slices.Grow(body[:0], int(n))[:n]
		if _, err := io.ReadFull(r, body); err != nil {
			return off, fmt.Errorf("short frame")
		}
		if crc32.Checksum(body, castagnoli) != binary.LittleEndian.Uint32(hdr[4:]) {
			return off, fmt.Errorf("checksum mismatch")
		}
		rec, err := decodeBody(body)
		if err != nil {
			return off, err
		}
		size := int64(headerSize + n)
		if cur != nil && rec.Shard == curShard && cur.off+int64(cur.n) == off && rec.Seq > cur.last && int64(cur.n)+size <= maxChunk {
			cur.last, cur.n, cur.arrival = rec.Seq, cur.n+int32(size), rec.Arrival
		} else {
			l.index[rec.Shard] = append(l.index[rec.Shard], chunk{first: rec.Seq, last: rec.Seq, arrival: rec.Arrival, seg: seg, off: off, n: int32(size)})
			chunks := l.index[rec.Shard]
			cur, curShard = &chunks[len(chunks)-1], rec.Shard
		}
		seg.maxArrival = max(seg.maxArrival, rec.Arrival)
		l.last = max(l.last, rec.Arrival)
		l.next = max(l.next, rec.Seq+1)
		off += size
	}
	return off, nil
}

func encode(buf []byte, r *Record) []byte {
	start := len(buf)
	buf = append(buf, make([]byte, headerSize)...)
	shard := r.Shard
	if r.Sealed {
		shard |= sealedBit
	}
	buf = binary.LittleEndian.AppendUint32(buf, shard)
	buf = binary.LittleEndian.AppendUint64(buf, r.Seq)
	buf = binary.LittleEndian.AppendUint64(buf, uint64(r.Arrival))
	buf = binary.AppendUvarint(buf, uint64(len(r.Key)))
	buf = append(buf, r.Key...)
	buf = append(buf, r.Data...)
	body := buf[start+headerSize:]
	binary.LittleEndian.PutUint32(buf[start:], uint32(len(body)))
	binary.LittleEndian.PutUint32(buf[start+4:], crc32.Checksum(body, castagnoli))
	return buf
}

// decodeBody decodes a frame's body; the record's key and data alias it.
func decodeBody(body []byte) (Record, error) {
	if len(body) < fixedBody+1 {
		return Record{}, errors.New("short record")
	}
	shard := binary.LittleEndian.Uint32(body)
	r := Record{
		Shard:   shard &^ sealedBit,
		Sealed:  shard&sealedBit != 0,
		Seq:     binary.LittleEndian.Uint64(body[4:]),
		Arrival: int64(binary.LittleEndian.Uint64(body[12:])),
	}
	kl, n := binary.Uvarint(body[fixedBody:])
	if n <= 0 || kl > uint64(len(body)-fixedBody-n) {
		return Record{}, errors.New("bad partition key length")
	}
	rest := body[fixedBody+n:]
	r.Key, r.Data = string(rest[:kl]), rest[kl:]
	return r, nil
}

// Append writes records durably and assigns their sequence numbers (in
// recs[i].Seq); it returns once they are on disk. Records of one shard
// keep their order.
func (l *Log) Append(recs []Record) error {
	if len(recs) == 0 {
		return nil
	}
	req := &request{recs: recs, done: make(chan error, 1)}
	select {
	case <-l.quit:
		return ErrClosed
	default:
	}
	select {
	case l.reqs <- req:
	case <-l.quit:
		return ErrClosed
	}
	select {
	case err := <-req.done:
		return err
	case <-l.done:
		// The writer stopped; it may have answered just before.
		select {
		case err := <-req.done:
			return err
		default:
			return ErrClosed
		}
	}
}

// writer gathers the requests waiting and commits them together.
func (l *Log) writer() {
	defer close(l.done)
	var buf []byte
	for {
		var batch []*request
		select {
		case r := <-l.reqs:
			batch = append(batch, r)
		case <-l.quit:
			l.failPending()
			return
		}
		n, size := len(batch[0].recs), requestBytes(batch[0])
	gather:
		for n < l.opts.MaxBatch && size < maxBatchBytes {
			select {
			case r := <-l.reqs:
				batch = append(batch, r)
				n, size = n+len(r.recs), size+requestBytes(r)
			default:
				break gather
			}
		}
		var err error
		buf, err = l.commit(batch, buf[:0])
		for _, r := range batch {
			r.done <- err
		}
	}
}

// maxBatchBytes bounds the data one commit gathers (and so its buffer).
const maxBatchBytes = 64 << 20

func requestBytes(r *request) int {
	n := 0
	for i := range r.recs {
		n += len(r.recs[i].Data) + len(r.recs[i].Key)
	}
	return n
}

func (l *Log) failPending() {
	for {
		select {
		case r := <-l.reqs:
			r.done <- ErrClosed
		default:
			return
		}
	}
}

// commit writes a batch shard by shard, syncs it and then indexes it.
func (l *Log) commit(batch []*request, buf []byte) ([]byte, error) {
	l.mu.RLock()
	err := l.err
	l.mu.RUnlock()
	if err != nil {
		return buf, err
	}
	// The shards in order of first appearance, each with its records.
	var order []uint32
	groups := map[uint32][]*Record{}
	for _, req := range batch {
		for i := range req.recs {
			r := &req.recs[i]
			if _, ok := groups[r.Shard]; !ok {
				order = append(order, r.Shard)
			}
			groups[r.Shard] = append(groups[r.Shard], r)
		}
	}
	l.mu.RLock()
	seg := l.segs[max(len(l.segs)-1, 0):]
	next, last := l.next, l.last
	l.mu.RUnlock()
	if len(seg) == 0 || seg[0].size >= l.opts.SegmentSize {
		s, err := l.newSegment(next)
		if err != nil {
			return buf, err
		}
		seg = []*segment{s}
	}
	active := seg[0]
	type pending struct {
		shard uint32
		c     chunk
	}
	var chunks []pending
	for _, shard := range order {
		recs := groups[shard]
		start := len(buf)
		c := chunk{first: next, seg: active, off: active.size + int64(start)}
		for _, r := range recs {
			if int64(len(buf)-start) >= maxChunk {
				c.last, c.n, c.arrival = next-1, int32(len(buf)-start), last
				chunks = append(chunks, pending{shard, c})
				start = len(buf)
				c = chunk{first: next, seg: active, off: active.size + int64(start)}
			}
			r.Seq = next
			next++
			r.Arrival = max(r.Arrival, last)
			last = r.Arrival
			buf = encode(buf, r)
		}
		c.last, c.n, c.arrival = next-1, int32(len(buf)-start), last
		chunks = append(chunks, pending{shard, c})
	}
	if _, err := active.f.WriteAt(buf, active.size); err != nil {
		return buf, l.fail(active, err)
	}
	if err := unix.Fdatasync(int(active.f.Fd())); err != nil {
		return buf, l.fail(active, err)
	}
	l.mu.Lock()
	for _, p := range chunks {
		l.index[p.shard] = append(l.index[p.shard], p.c)
	}
	active.size += int64(len(buf))
	active.maxArrival = max(active.maxArrival, last)
	l.next, l.last = next, last
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
	return buf, nil
}

// fail undoes a write that did not reach the disk whole, or marks the log
// broken when even that fails.
func (l *Log) fail(seg *segment, err error) error {
	err = fmt.Errorf("streamlog: write: %w", err)
	if terr := seg.f.Truncate(seg.size); terr != nil {
		l.mu.Lock()
		l.err = err
		l.mu.Unlock()
	}
	return err
}

func (l *Log) newSegment(first uint64) (*segment, error) {
	path := filepath.Join(l.dir, segmentName(first))
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("streamlog: new segment: %w", err)
	}
	if err := syncDir(l.dir); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	s := &segment{first: first, f: f}
	l.mu.Lock()
	l.segs = append(l.segs, s)
	l.mu.Unlock()
	return s, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("streamlog: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("streamlog: sync %s: %w", dir, err)
	}
	return nil
}

// Changed returns a channel closed by the next commit: a reader caught up
// waits on it for more records.
func (l *Log) Changed() <-chan struct{} {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.changed
}

// Next is the sequence number the next record appended will get: every
// record appended later has a greater one.
func (l *Log) Next() uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.next
}

// Read returns up to limit records of shard with sequence numbers from
// seq on, stopping early once their data passes maxBytes. Their keys
// and data are the caller's.
func (l *Log) Read(shard uint32, seq uint64, limit, maxBytes int) ([]Record, error) {
	recs, _, err := l.ReadInto(nil, shard, seq, limit, maxBytes)
	return recs, err
}

// ReadInto is Read with the records' data read into buf, grown as need
// be and returned: the records' Data alias it. A reader that reuses its
// buffer reads from the page cache without faulting fresh memory in for
// every call, which was half of what draining a stream cost.
func (l *Log) ReadInto(buf []byte, shard uint32, seq uint64, limit, maxBytes int) ([]Record, []byte, error) {
	l.mu.RLock()
	chunks := l.index[shard]
	i := sort.Search(len(chunks), func(i int) bool { return chunks[i].last >= seq })
	var todo []chunk
	for j := i; j < len(chunks) && j-i < limit; j++ {
		todo = append(todo, chunks[j])
	}
	l.mu.RUnlock()
	// Sized up front for the chunks that likely hold what is asked for
	// (frames carry keys and headers besides data: a quarter more), so
	// that a reused buffer does not grow, copying what it holds.
	count, size := 0, 0
	for _, c := range todo {
		if count >= limit || size >= maxBytes+maxBytes/4 {
			break
		}
		count += int(c.last - max(c.first, seq) + 1)
		size += int(c.n)
	}
	buf = slices.Grow(buf[:0], size)
	out := make([]Record, 0, min(count, limit))
	bytes := 0
	for _, c := range todo {
		buf = slices.Grow(buf, int(c.n)) // records already read keep the old array
		frame := buf[len(buf) : len(buf)+int(c.n)]
		if _, err := c.seg.f.ReadAt(frame, c.off); err != nil {
			if errors.Is(err, os.ErrClosed) {
				break // trimmed by retention meanwhile
			}
			return out, buf, fmt.Errorf("streamlog: read: %w", err)
		}
		buf = buf[:len(buf)+int(c.n)]
		for len(frame) > 0 {
			if len(frame) < headerSize {
				return out, buf, errors.New("streamlog: read: short frame")
			}
			n := binary.LittleEndian.Uint32(frame)
			if int(n) > len(frame)-headerSize {
				return out, buf, errors.New("streamlog: read: short frame")
			}
			body := frame[headerSize : headerSize+n]
			frame = frame[headerSize+n:]
			r, err := decodeBody(body)
			if err != nil {
				return out, buf, fmt.Errorf("streamlog: read: %w", err)
			}
			if r.Seq < seq {
				continue
			}
			out = append(out, r)
			bytes += len(r.Data)
			if len(out) >= limit || bytes >= maxBytes {
				return out, buf, nil
			}
		}
	}
	return out, buf, nil
}

// Seek returns the sequence number of shard's first record that arrived
// at or after ts (Unix ms), or Next() when none did yet.
func (l *Log) Seek(shard uint32, ts int64) (uint64, error) {
	l.mu.RLock()
	chunks := l.index[shard]
	i := sort.Search(len(chunks), func(i int) bool { return chunks[i].arrival >= ts })
	if i == len(chunks) {
		l.mu.RUnlock()
		return l.Next(), nil
	}
	c := chunks[i]
	l.mu.RUnlock()
	recs, err := l.Read(shard, c.first, int(c.last-c.first)+1, maxChunk*2)
	if err != nil {
		return 0, err
	}
	for _, r := range recs {
		if r.Arrival >= ts {
			return r.Seq, nil
		}
	}
	return c.last, nil
}

// Trim removes the closed segments whose records all arrived before
// cutoff (Unix ms) and returns how many it removed.
func (l *Log) Trim(cutoff int64) (int, error) {
	return l.remove(func(segs []*segment) bool { return segs[0].maxArrival < cutoff })
}

// Release removes the closed segments whose records all have sequence
// numbers below seq: a consumer that has taken everything before seq
// needs them no more. It returns how many it removed.
func (l *Log) Release(seq uint64) (int, error) {
	return l.remove(func(segs []*segment) bool { return segs[1].first <= seq })
}

// remove deletes leading closed segments while done says the first is
// no longer needed (it sees at least two segments).
func (l *Log) remove(done func(segs []*segment) bool) (int, error) {
	l.mu.Lock()
	var gone []*segment
	for len(l.segs) > 1 && done(l.segs) {
		gone = append(gone, l.segs[0])
		l.segs = l.segs[1:]
	}
	if len(gone) > 0 {
		for shard, chunks := range l.index {
			i := 0
			for i < len(chunks) && slices.Contains(gone, chunks[i].seg) {
				i++
			}
			l.index[shard] = chunks[i:]
		}
	}
	l.mu.Unlock()
	for _, s := range gone {
		s.f.Close()
		if err := os.Remove(filepath.Join(l.dir, segmentName(s.first))); err != nil {
			return 0, fmt.Errorf("streamlog: remove segment: %w", err)
		}
	}
	return len(gone), nil
}

// Close stops the writer (pending appends fail with ErrClosed) and closes
// the files.
func (l *Log) Close() error {
	select {
	case <-l.quit:
		return nil
	default:
	}
	close(l.quit)
	<-l.done
	l.closeFiles()
	return nil
}

func (l *Log) closeFiles() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range l.segs {
		s.f.Close()
	}
}

// Remove closes the log and deletes its files.
func (l *Log) Remove() error {
	l.Close()
	return os.RemoveAll(l.dir)
}
