package s3

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/klauspost/compress/zstd"

	"github.com/lakebox/lakebox/internal/storage/blob"
	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
)

// storeAs is how a new body is stored: compressed (zstd) when it is in an
// archive class, where space matters more than read speed, then sealed
// when it is encrypted. A body's dataRef records both.
type storeAs struct {
	kek  *seal.Key // seal under a new data key wrapped by kek; nil for plaintext
	pack bool      // zstd-compress first
}

// encoderOptions favour ratio over speed: archived bodies are written once
// and read rarely.
var encoderOptions = []zstd.EOption{zstd.WithEncoderLevel(zstd.SpeedBetterCompression), zstd.WithEncoderConcurrency(1)}

// inline returns the bytes to keep for an inline body.
func (st storeAs) inline(r *dataRef, body []byte) []byte {
	if st.pack {
		enc, _ := zstd.NewWriter(nil, encoderOptions...)
		body = enc.EncodeAll(body, nil)
		enc.Close()
		r.Packed = int64(len(body))
	}
	if st.kek == nil {
		return body
	}
	dk := seal.NewKey()
	r.Sealed = seal.Wrap(st.kek, &dk, []byte(r.ID))
	return seal.Seal(&dk, body)
}

// writer returns the writer a blob body goes through on its way to w.
// Closing it flushes the compressor and seals the last chunk, and records
// the packed length in r.
func (st storeAs) writer(r *dataRef, w io.Writer) (io.WriteCloser, error) {
	var out io.WriteCloser = nopWriteCloser{w}
	if st.kek != nil {
		dk := seal.NewKey()
		r.Sealed = seal.Wrap(st.kek, &dk, []byte(r.ID))
		out = seal.NewWriter(w, &dk)
	}
	if !st.pack {
		return out, nil
	}
	counted := &countingWriter{w: out}
	enc, err := zstd.NewWriter(counted, encoderOptions...)
	if err != nil {
		return nil, err
	}
	return &packWriter{enc: enc, counted: counted, next: out, ref: r}, nil
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

type packWriter struct {
	enc     *zstd.Encoder
	counted *countingWriter
	next    io.WriteCloser
	ref     *dataRef
}

func (p *packWriter) Write(b []byte) (int, error) { return p.enc.Write(b) }

func (p *packWriter) Close() error {
	if err := p.enc.Close(); err != nil {
		return err
	}
	p.ref.Packed = p.counted.n
	return p.next.Close()
}

// errDataGone means a record's body vanished between reading the record and
// opening the body: a concurrent overwrite won. Readers retry.
var errDataGone = errors.New("s3: body replaced concurrently")

// openData opens bytes [off, off+n) of a body of size bytes. A sealed body
// needs its key-encryption key. The caller closes the closer.
func (s *Service) openData(ref dataRef, size, off, n int64, kek *seal.Key) (io.Reader, io.Closer, error) {
	var dk *seal.Key
	if ref.Sealed != nil {
		if kek == nil {
			return nil, nil, fmt.Errorf("s3: body %s is sealed and no key was given", ref.ID)
		}
		k, err := seal.Unwrap(kek, ref.Sealed, []byte(ref.ID))
		if err != nil {
			return nil, nil, fmt.Errorf("s3: body %s: data key: %w", ref.ID, err)
		}
		dk = &k
	}
	// A packed body is read from its start: zstd frames are not seekable.
	stored, storedOff, storedN := size, off, n
	if ref.Packed > 0 {
		stored, storedOff, storedN = ref.Packed, 0, ref.Packed
	}
	var r io.Reader
	var closer io.Closer = io.NopCloser(nil)
	if ref.Inline {
		v, err := s.db.Get(dataKey(ref.ID))
		if errors.Is(err, meta.ErrNotFound) {
			return nil, nil, errDataGone
		}
		if err != nil {
			return nil, nil, err
		}
		if dk != nil {
			// Small and already in memory (v is a private copy): open it
			// whole, in place.
			if v, err = seal.Open(dk, v, stored); err != nil {
				return nil, nil, fmt.Errorf("s3: body %s: %w", ref.ID, err)
			}
		}
		switch {
		case storedOff+storedN > int64(len(v)):
			return nil, nil, errDataGone
		default:
			r = bytes.NewReader(v[storedOff : storedOff+storedN])
		}
	} else {
		f, err := s.blobs.Open(ref.ID)
		if errors.Is(err, blob.ErrNotFound) {
			return nil, nil, errDataGone
		}
		if err != nil {
			return nil, nil, err
		}
		closer = f
		switch {
		case dk != nil:
			r = seal.NewReader(f, dk, stored, storedOff, storedN)
		default:
			r = io.NewSectionReader(f, storedOff, storedN)
		}
	}
	if ref.Packed == 0 {
		return r, closer, nil
	}
	dec, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		closer.Close()
		return nil, nil, err
	}
	if _, err := io.CopyN(io.Discard, dec, off); err != nil {
		dec.Close()
		closer.Close()
		return nil, nil, fmt.Errorf("s3: body %s: %w", ref.ID, err)
	}
	return io.LimitReader(dec, n), closers{decoderCloser{dec}, closer}, nil
}

type decoderCloser struct{ d *zstd.Decoder }

func (c decoderCloser) Close() error { c.d.Close(); return nil }

type closers []io.Closer

func (cs closers) Close() error {
	var first error
	for _, c := range cs {
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
