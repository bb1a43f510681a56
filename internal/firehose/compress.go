package firehose

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/snappy"
)

// extension is the default file extension of a compression format.
func extension(format string) string {
	switch format {
	case compressionGzip:
		return ".gz"
	case compressionZip:
		return ".zip"
	case compressionSnappy:
		return ".snappy"
	case compressionHadoopSnappy:
		return ".hsnappy"
	}
	return ""
}

// compressor encodes delivered objects' bodies. It keeps its memory from
// one body to the next, since a worker makes bodies of the same size over
// and over and fresh memory costs a page fault per 4 KiB: a body it
// returns is valid until its next call.
type compressor struct {
	plain, out []byte
	gz         *gzip.Writer
}

// compress encodes a body, the concatenation of parts (size bytes), as
// format does; name names the entry of a ZIP archive.
func (c *compressor) compress(format string, parts [][]byte, size int, name string) ([]byte, error) {
	switch format {
	case compressionNone:
		c.out = join(c.out[:0], parts)
		return c.out, nil
	case compressionGzip:
		buf := bytes.NewBuffer(c.out[:0])
		buf.Grow(size/4 + 4096)
		if c.gz == nil {
			c.gz, _ = gzip.NewWriterLevel(buf, gzip.DefaultCompression)
		} else {
			c.gz.Reset(buf)
		}
		for _, p := range parts {
			c.gz.Write(p)
		}
		if err := c.gz.Close(); err != nil {
			return nil, err
		}
		c.out = buf.Bytes()
		return c.out, nil
	case compressionZip:
		buf := bytes.NewBuffer(c.out[:0])
		buf.Grow(size/4 + 4096)
		zw := zip.NewWriter(buf)
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			return nil, err
		}
		for _, p := range parts {
			w.Write(p)
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		c.out = buf.Bytes()
		return c.out, nil
	case compressionSnappy:
		c.plain = join(c.plain[:0], parts)
		c.out = snappyJava(c.out[:0], c.plain)
		return c.out, nil
	case compressionHadoopSnappy:
		c.plain = join(c.plain[:0], parts)
		c.out = hadoopSnappy(c.out[:0], c.plain)
		return c.out, nil
	}
	return nil, fmt.Errorf("firehose: unknown compression %q", format)
}

// join appends the concatenation of parts to dst.
func join(dst []byte, parts [][]byte) []byte {
	n := 0
	for _, p := range parts {
		n += len(p)
	}
	dst = slices.Grow(dst, n)
	for _, p := range parts {
		dst = append(dst, p...)
	}
	return dst
}

// snappyJavaBlock is snappy-java's default block size.
const snappyJavaBlock = 32 << 10

// snappyJava writes the stream format of snappy-java's
// SnappyOutputStream, which AWS's Snappy objects are: a 16-byte header
// (magic, version 1, compatible version 1), then per block of input its
// compressed length (big-endian 32-bit) and its Snappy block.
func snappyJava(out, body []byte) []byte {
	out = slices.Grow(out, 16+len(body)/2)
	out = append(out, 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0)
	out = binary.BigEndian.AppendUint32(out, 1)
	out = binary.BigEndian.AppendUint32(out, 1)
	for len(body) > 0 {
		n := min(len(body), snappyJavaBlock)
		out = appendSnappyBlock(binary.BigEndian.AppendUint32(out, 0), body[:n])
		body = body[n:]
	}
	return out
}

// appendSnappyBlock encodes src as a Snappy block into the end of out,
// whose last four bytes are a big-endian length the block's is put in.
func appendSnappyBlock(out, src []byte) []byte {
	at := len(out)
	out = slices.Grow(out, snappy.MaxEncodedLen(len(src)))
	block := snappy.Encode(out[at:at+snappy.MaxEncodedLen(len(src))], src)
	binary.BigEndian.PutUint32(out[at-4:], uint32(len(block)))
	return out[:at+len(block)]
}

// hadoopSnappyBlock is the input Hadoop's SnappyCodec takes per block
// with its default 256 KiB buffer (less the codec's overhead allowance).
const hadoopSnappyBlock = 256<<10 - (256<<10)/6 - 32

// hadoopSnappy writes Hadoop's BlockCompressorStream framing of Snappy:
// per block, its uncompressed length, then its compressed length and
// the Snappy block, each length big-endian 32-bit.
func hadoopSnappy(out, body []byte) []byte {
	for len(body) > 0 {
		n := min(len(body), hadoopSnappyBlock)
		out = binary.BigEndian.AppendUint32(out, uint32(n))
		out = appendSnappyBlock(binary.BigEndian.AppendUint32(out, 0), body[:n])
		body = body[n:]
	}
	return out
}
