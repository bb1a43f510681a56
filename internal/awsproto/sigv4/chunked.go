package sigv4

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
)

const (
	maxChunkLine = 4096
	maxChunkSize = 1 << 30
	maxTrailers  = 16
)

// chunkedReader decodes an aws-chunked body:
//
//	hex-size[;chunk-signature=sig]\r\n data \r\n ... 0[;chunk-signature=sig]\r\n
//	[trailer-name:value\r\n ...][x-amz-trailer-signature:sig\r\n]\r\n
//
// It verifies chunk and trailer signatures when sigKey is set, checks the
// decoded length against want (-1: unknown), and stores trailers in trailer.
type chunkedReader struct {
	body     io.ReadCloser
	br       *bufio.Reader
	signed   bool // chunk headers carry chunk-signature
	trailers bool // trailing headers follow the last chunk
	sigKey   *signingKey
	prevSig  string
	sig      *Signature
	declared []string // x-amz-trailer values
	want     int64
	trailer  http.Header

	left    int64 // bytes left in the current chunk
	total   int64
	chunkH  hash.Hash
	chunkSg string
	err     error
}

func (c *chunkedReader) init() {
	c.br = bufio.NewReaderSize(c.body, 64<<10)
	if c.signed && c.sigKey != nil {
		c.chunkH = sha256.New()
	}
}

func (c *chunkedReader) Close() error { return c.body.Close() }

func (c *chunkedReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.read(p)
	if err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = ErrIncompleteBody
		}
		c.err = err
	}
	return n, err
}

func (c *chunkedReader) read(p []byte) (int, error) {
	for c.left == 0 {
		if err := c.nextChunk(); err != nil {
			return 0, err
		}
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	if c.want >= 0 && c.total+int64(len(p)) > c.want {
		// Never hand out a byte beyond the declared length.
		if p = p[:c.want-c.total]; len(p) == 0 {
			return 0, ErrIncompleteBody.WithMessage("The aws-chunked body is longer than x-amz-decoded-content-length.")
		}
	}
	n, err := c.br.Read(p)
	c.left -= int64(n)
	c.total += int64(n)
	if c.chunkH != nil {
		c.chunkH.Write(p[:n])
	}
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	if err == nil && c.left == 0 {
		err = c.endChunk()
	}
	return n, err
}

// endChunk consumes the CRLF after a chunk's data and checks its signature.
func (c *chunkedReader) endChunk() error {
	if err := c.expectCRLF(); err != nil {
		return err
	}
	return c.checkChunkSig()
}

func (c *chunkedReader) checkChunkSig() error {
	if c.chunkH == nil {
		return nil
	}
	toSign := "AWS4-HMAC-SHA256-PAYLOAD\n" + c.sig.AmzDate + "\n" + c.sig.Scope() + "\n" +
		c.prevSig + "\n" + EmptySHA256 + "\n" + hex.EncodeToString(c.chunkH.Sum(nil))
	got := c.sigKey.sign(toSign)
	if !hmac.Equal([]byte(got), []byte(c.chunkSg)) {
		return ErrSignatureDoesNotMatch
	}
	c.prevSig = got
	c.chunkH.Reset()
	return nil
}

// nextChunk reads a chunk header. At the final zero-length chunk it reads the
// trailers and returns io.EOF.
func (c *chunkedReader) nextChunk() error {
	line, err := c.line()
	if err != nil {
		return err
	}
	sizeHex, ext, _ := strings.Cut(line, ";")
	size, err := strconv.ParseInt(strings.TrimSpace(sizeHex), 16, 64)
	if err != nil || size < 0 || size > maxChunkSize {
		return ErrInvalidChunk.WithMessage("The aws-chunked chunk size %q is not valid.", sizeHex)
	}
	if c.signed {
		name, sig, _ := strings.Cut(ext, "=")
		if name != "chunk-signature" || len(sig) != 64 {
			return ErrInvalidChunk.WithMessage("The aws-chunked chunk header %q has no chunk-signature.", line)
		}
		c.chunkSg = sig
	}
	if size > 0 {
		c.left = size
		return nil
	}
	// The final chunk: its signature covers no data.
	if err := c.checkChunkSig(); err != nil {
		return err
	}
	if c.trailers {
		if err := c.readTrailers(); err != nil {
			return err
		}
	} else if err := c.expectCRLF(); err != nil && err != io.ErrUnexpectedEOF {
		return err
	}
	if c.want >= 0 && c.total != c.want {
		return ErrIncompleteBody.WithMessage("The aws-chunked body is shorter than x-amz-decoded-content-length.")
	}
	return io.EOF
}

func (c *chunkedReader) readTrailers() error {
	var canon bytes.Buffer
	var trailerSig string
	for range maxTrailers + 1 {
		line, err := c.line()
		if err == io.ErrUnexpectedEOF && canon.Len() > 0 {
			break // a client that omits the final CRLF
		}
		if err != nil {
			return err
		}
		if line == "" {
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return ErrMissingTrailer
		}
		name, value = strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(value)
		if name == "x-amz-trailer-signature" {
			trailerSig = value
			continue
		}
		if !c.isDeclared(name) {
			return ErrMissingTrailer.WithMessage("The trailer %q was not declared in x-amz-trailer.", name)
		}
		c.trailer.Set(name, value)
		canon.WriteString(name + ":" + value + "\n")
	}
	for _, d := range c.declared {
		for name := range strings.SplitSeq(d, ",") {
			if name = strings.TrimSpace(name); name != "" && c.trailer.Get(name) == "" {
				return ErrMissingTrailer.WithMessage("The trailer %q declared in x-amz-trailer is missing.", name)
			}
		}
	}
	if !c.signed || c.sigKey == nil {
		return nil
	}
	sum := sha256.Sum256(canon.Bytes())
	toSign := "AWS4-HMAC-SHA256-TRAILER\n" + c.sig.AmzDate + "\n" + c.sig.Scope() + "\n" +
		c.prevSig + "\n" + hex.EncodeToString(sum[:])
	if !hmac.Equal([]byte(c.sigKey.sign(toSign)), []byte(trailerSig)) {
		return ErrTrailerSignature
	}
	return nil
}

func (c *chunkedReader) isDeclared(name string) bool {
	for _, d := range c.declared {
		for n := range strings.SplitSeq(d, ",") {
			if strings.EqualFold(strings.TrimSpace(n), name) {
				return true
			}
		}
	}
	return false
}

// line reads one CRLF-terminated line (a bare LF is accepted).
func (c *chunkedReader) line() (string, error) {
	b, err := c.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull || len(b) > maxChunkLine {
		return "", ErrInvalidChunk.WithMessage("An aws-chunked header line is too long.")
	}
	if err == io.EOF {
		return "", io.ErrUnexpectedEOF
	}
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r"), nil
}

func (c *chunkedReader) expectCRLF() error {
	line, err := c.line()
	if err != nil {
		return err
	}
	if line != "" {
		return ErrInvalidChunk.WithMessage("An aws-chunked chunk is longer than its declared size.")
	}
	return nil
}
