package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ChunkSize is the plaintext size of every chunk but the last.
const ChunkSize = 64 << 10

// Overhead is what sealing adds to each chunk: the GCM tag.
const Overhead = 16

// ErrOpen means a sealed body or wrapped key failed authentication: the
// bytes were altered or the key is not the one they were sealed with.
var ErrOpen = errors.New("seal: message authentication failed")

// Key is an AES-256 key.
type Key [32]byte

// NewKey returns a random key.
func NewKey() Key {
	var k Key
	rand.Read(k[:])
	return k
}

func (k *Key) aead() cipher.AEAD {
	block, err := aes.NewCipher(k[:])
	if err != nil {
		panic(fmt.Sprintf("seal: %v", err)) // a 32-byte key is always valid
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		panic(fmt.Sprintf("seal: %v", err))
	}
	return g
}

// Wrap seals a data key with a key-encryption key. aad binds the wrapped
// key to what it protects: Unwrap needs the same aad.
func Wrap(kek *Key, dk *Key, aad []byte) []byte {
	g := kek.aead()
	out := make([]byte, g.NonceSize(), g.NonceSize()+len(dk)+g.Overhead())
	rand.Read(out)
	return g.Seal(out, out, dk[:], aad)
}

// Unwrap opens a key sealed by Wrap.
func Unwrap(kek *Key, wrapped, aad []byte) (Key, error) {
	g := kek.aead()
	var dk Key
	if len(wrapped) != g.NonceSize()+len(dk)+g.Overhead() {
		return dk, ErrOpen
	}
	plain, err := g.Open(nil, wrapped[:g.NonceSize()], wrapped[g.NonceSize():], aad)
	if err != nil {
		return dk, ErrOpen
	}
	copy(dk[:], plain)
	return dk, nil
}

// chunks returns how many chunks a body of n bytes is sealed in: an empty
// body is one empty chunk, so even it is authenticated.
func chunks(n int64) int64 { return max(1, (n+ChunkSize-1)/ChunkSize) }

// Size returns the sealed size of an n-byte body.
func Size(n int64) int64 { return n + chunks(n)*Overhead }

func nonce(buf *[12]byte, index int64, last bool) []byte {
	binary.BigEndian.PutUint64(buf[:8], uint64(index))
	buf[8] = 0
	if last {
		buf[8] = 1
	}
	return buf[:]
}

// Seal seals a whole body held in memory.
func Seal(k *Key, plain []byte) []byte {
	g := k.aead()
	n := chunks(int64(len(plain)))
	out := make([]byte, 0, Size(int64(len(plain))))
	var nb [12]byte
	for i := range n {
		chunk := plain[min(i*ChunkSize, int64(len(plain))):min((i+1)*ChunkSize, int64(len(plain)))]
		out = g.Seal(out, nonce(&nb, i, i == n-1), chunk, nil)
	}
	return out
}

// Open opens a whole sealed body of size plaintext bytes held in memory, in
// place: the plaintext is returned in sealed's storage.
func Open(k *Key, sealed []byte, size int64) ([]byte, error) {
	if int64(len(sealed)) != Size(size) {
		return nil, ErrOpen
	}
	g := k.aead()
	n := chunks(size)
	var nb [12]byte
	out := sealed[:0]
	for i := range n {
		chunk := sealed[i*(ChunkSize+Overhead) : min((i+1)*(ChunkSize+Overhead), int64(len(sealed)))]
		plain, err := g.Open(chunk[:0], nonce(&nb, i, i == n-1), chunk, nil)
		if err != nil {
			return nil, ErrOpen
		}
		out = append(out, plain...) // moves the plaintext down over the tags before it
	}
	return out, nil
}

// Writer seals a stream of unknown length. Close seals the last chunk and
// must be called; it does not close the underlying writer.
type Writer struct {
	w     io.Writer
	g     cipher.AEAD
	buf   []byte // plaintext of the chunk being filled
	out   []byte
	index int64
	err   error
}

// NewWriter returns a writer that seals what is written to it into w.
func NewWriter(w io.Writer, k *Key) *Writer {
	return &Writer{w: w, g: k.aead(), buf: make([]byte, 0, ChunkSize), out: make([]byte, 0, ChunkSize+Overhead)}
}

// Write seals and writes every full chunk; p is not retained.
func (w *Writer) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 && w.err == nil {
		// A full chunk is sealed only once more data follows it: the last
		// chunk must carry the last flag, and only Close knows which it is.
		if len(w.buf) == ChunkSize {
			w.flush(false)
			continue
		}
		c := copy(w.buf[len(w.buf):ChunkSize], p)
		w.buf = w.buf[:len(w.buf)+c]
		p, n = p[c:], n+c
	}
	return n, w.err
}

func (w *Writer) flush(last bool) {
	var nb [12]byte
	w.out = w.g.Seal(w.out[:0], nonce(&nb, w.index, last), w.buf, nil)
	if _, err := w.w.Write(w.out); err != nil {
		w.err = err
	}
	w.index++
	w.buf = w.buf[:0]
}

// Close seals and writes the last chunk.
func (w *Writer) Close() error {
	if w.err == nil {
		w.flush(true)
	}
	return w.err
}

// NewReader returns the plaintext bytes [off, off+n) of a sealed body of
// size plaintext bytes, read from r. It opens only the chunks that hold the
// range. A chunk that fails authentication is an ErrOpen read error.
func NewReader(r io.ReaderAt, k *Key, size, off, n int64) io.Reader {
	rd := &reader{r: r, g: k.aead(), last: chunks(size) - 1, size: size, pos: off, end: off + n}
	return rd
}

type reader struct {
	r         io.ReaderAt
	g         cipher.AEAD
	last      int64 // index of the last chunk
	size      int64
	pos, end  int64  // plaintext position and end of the range
	plain     []byte // the open chunk's plaintext not yet returned
	sealedBuf []byte
	err       error
}

func (rd *reader) Read(p []byte) (int, error) {
	if len(rd.plain) == 0 {
		if rd.err != nil {
			return 0, rd.err
		}
		if rd.pos >= rd.end {
			return 0, io.EOF
		}
		if err := rd.open(); err != nil {
			rd.err = err
			return 0, err
		}
	}
	c := copy(p, rd.plain)
	rd.plain = rd.plain[c:]
	return c, nil
}

// open reads and opens the chunk holding rd.pos.
func (rd *reader) open() error {
	i := rd.pos / ChunkSize
	start := i * ChunkSize
	length := min(ChunkSize, rd.size-start)
	if int64(cap(rd.sealedBuf)) < length+Overhead {
		rd.sealedBuf = make([]byte, length+Overhead) // a small body needs no 64 KiB buffer
	}
	sealed := rd.sealedBuf[:length+Overhead]
	if _, err := rd.r.ReadAt(sealed, i*(ChunkSize+Overhead)); err != nil {
		if errors.Is(err, io.EOF) {
			return fmt.Errorf("seal: body shorter than its size: %w", io.ErrUnexpectedEOF)
		}
		return err
	}
	var nb [12]byte
	plain, err := rd.g.Open(sealed[:0], nonce(&nb, i, i == rd.last), sealed, nil)
	if err != nil {
		return ErrOpen
	}
	from, to := rd.pos-start, min(int64(len(plain)), rd.end-start)
	rd.plain = plain[from:to]
	rd.pos = start + to
	return nil
}
