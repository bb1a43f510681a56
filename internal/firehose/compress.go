package firehose

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"

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

// compress encodes a delivered object's body, the concatenation of parts
// (size bytes), as format does; name names the entry of a ZIP archive.
func compress(format string, parts [][]byte, size int, name string) ([]byte, error) {
	switch format {
	case compressionNone:
		return bytes.Join(parts, nil), nil
	case compressionGzip:
		var buf bytes.Buffer
		buf.Grow(size/4 + 4096)
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		for _, p := range parts {
			zw.Write(p)
		}
		if err := zw.Close(); err != nil {
			return nil, err
		}
		return buf.Bytes(), nil
	case compressionZip:
		var buf bytes.Buffer
		buf.Grow(size/4 + 4096)
		zw := zip.NewWriter(&buf)
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
		return buf.Bytes(), nil
	case compressionSnappy:
		return snappyJava(bytes.Join(parts, nil)), nil
	case compressionHadoopSnappy:
		return hadoopSnappy(bytes.Join(parts, nil)), nil
	}
	return nil, fmt.Errorf("firehose: unknown compression %q", format)
}

// snappyJavaBlock is snappy-java's default block size.
const snappyJavaBlock = 32 << 10

// snappyJava writes the stream format of snappy-java's
// SnappyOutputStream, which AWS's Snappy objects are: a 16-byte header
// (magic, version 1, compatible version 1), then per block of input its
// compressed length (big-endian 32-bit) and its Snappy block.
func snappyJava(body []byte) []byte {
	out := make([]byte, 0, 16+len(body)/2)
	out = append(out, 0x82, 'S', 'N', 'A', 'P', 'P', 'Y', 0)
	out = binary.BigEndian.AppendUint32(out, 1)
	out = binary.BigEndian.AppendUint32(out, 1)
	for len(body) > 0 {
		n := min(len(body), snappyJavaBlock)
		block := snappy.Encode(nil, body[:n])
		out = binary.BigEndian.AppendUint32(out, uint32(len(block)))
		out = append(out, block...)
		body = body[n:]
	}
	return out
}

// hadoopSnappyBlock is the input Hadoop's SnappyCodec takes per block
// with its default 256 KiB buffer (less the codec's overhead allowance).
const hadoopSnappyBlock = 256<<10 - (256<<10)/6 - 32

// hadoopSnappy writes Hadoop's BlockCompressorStream framing of Snappy:
// per block, its uncompressed length, then its compressed length and
// the Snappy block, each length big-endian 32-bit.
func hadoopSnappy(body []byte) []byte {
	var out []byte
	for len(body) > 0 {
		n := min(len(body), hadoopSnappyBlock)
		block := snappy.Encode(nil, body[:n])
		out = binary.BigEndian.AppendUint32(out, uint32(n))
		out = binary.BigEndian.AppendUint32(out, uint32(len(block)))
		out = append(out, block...)
		body = body[n:]
	}
	return out
}
