package classify

import (
	"bufio"
	"bytes"
	"compress/bzip2"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/klauspost/compress/s2"
	"github.com/klauspost/compress/snappy"
	"github.com/klauspost/compress/zstd"
)

// Result is what a classifier learned about one file.
type Result struct {
	// Classification is Glue's name for the format: parquet, avro, json,
	// csv.
	Classification string
	// Compression is gzip, bzip2, snappy or zstd, or "" for none.
	Compression string
	Columns     []Field
	// InputFormat, OutputFormat and SerDe are the Hive classes Athena and
	// Spark read the data with.
	InputFormat, OutputFormat, SerDe string
	SerDeParams                      map[string]string
	// Params are table parameters the format implies (delimiter,
	// skip.header.line.count, ...).
	Params map[string]string
	// Records counts the file's records: exact for Parquet, estimated
	// from the sample for text.
	Records      int64
	RecordsExact bool
	// Classifier names the custom classifier that matched, if any.
	Classifier string
}

// ErrUnknownFormat is returned for a file no classifier recognizes.
var ErrUnknownFormat = errors.New("classify: no classifier recognized the file")

// Options are the custom classifiers to try before the built-in ones.
type Options struct {
	CSV  []CSVClassifier
	JSON []JSONClassifier
	// SampleBytes bounds how much (decompressed) text is read to infer a
	// schema (default 1 MiB, as Glue samples).
	SampleBytes int
}

// CSVClassifier is a custom CSV classifier (CreateClassifier's
// CsvClassifier).
type CSVClassifier struct {
	Name                 string
	Delimiter            rune   // default ','
	Quote                rune   // default '"'
	ContainsHeader       string // PRESENT, ABSENT or UNKNOWN (default)
	Header               []string
	DisableValueTrimming bool
	AllowSingleColumn    bool
}

// JSONClassifier is a custom JSON classifier: JsonPath selects the records
// ("$[*]" for a top-level array, "$.data.items[*]").
type JSONClassifier struct {
	Name     string
	JsonPath string
}

const defaultSample = 1 << 20

// File classifies one file. name is its key, used only for extensions.
func File(r io.ReaderAt, size int64, name string, opts Options) (*Result, error) {
	if opts.SampleBytes <= 0 {
		opts.SampleBytes = defaultSample
	}
	if size == 0 {
		return nil, errors.New("classify: empty file")
	}
	var head [16]byte
	n, _ := r.ReadAt(head[:], 0)
	h := head[:n]
	switch {
	case bytes.HasPrefix(h, []byte("PAR1")):
		return parquetSchema(r, size)
	case bytes.HasPrefix(h, []byte("Obj\x01")):
		return avroSchema(io.NewSectionReader(r, 0, size))
	case bytes.HasPrefix(h, []byte("ORC")):
		return orcSchema(r, size)
	}
	body, compression, err := decompress(io.NewSectionReader(r, 0, size), h, name)
	if err != nil {
		return nil, err
	}
	sample, err := io.ReadAll(io.LimitReader(body, int64(opts.SampleBytes)))
	if err != nil && len(sample) == 0 {
		return nil, fmt.Errorf("classify: read %s data: %w", compressionName(compression), err)
	}
	if full := len(sample) < opts.SampleBytes; !full {
		// Classify whole lines only.
		if i := bytes.LastIndexByte(sample, '\n'); i > 0 {
			sample = sample[:i+1]
		}
	}
	if !isText(sample) {
		return nil, ErrUnknownFormat
	}
	res, err := classifyText(sample, opts)
	if err != nil {
		return nil, err
	}
	res.Compression = compression
	if !res.RecordsExact && len(sample) > 0 && compression == "" {
		res.Records = res.Records * size / int64(len(sample))
	}
	res.Params["compressionType"] = compressionName(compression)
	return res, nil
}

func compressionName(c string) string {
	if c == "" {
		return "none"
	}
	return c
}

// decompress recognizes a compressed stream by its magic bytes (or, for
// Hadoop's framing-less snappy, by the .snappy extension).
func decompress(r io.Reader, head []byte, name string) (io.Reader, string, error) {
	switch {
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		z, err := gzip.NewReader(r)
		if err != nil {
			return nil, "", fmt.Errorf("classify: gzip: %w", err)
		}
		return z, "gzip", nil
	case bytes.HasPrefix(head, []byte("BZh")):
		return bzip2.NewReader(r), "bzip2", nil
	case bytes.HasPrefix(head, []byte{0x28, 0xb5, 0x2f, 0xfd}):
		z, err := zstd.NewReader(r, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(64<<20))
		if err != nil {
			return nil, "", fmt.Errorf("classify: zstd: %w", err)
		}
		return z.IOReadCloser(), "zstd", nil
	case bytes.HasPrefix(head, []byte("\xff\x06\x00\x00sNaPpY")):
		return s2.NewReader(r, s2.ReaderMaxBlockSize(4<<20)), "snappy", nil
	case strings.HasSuffix(strings.ToLower(name), ".snappy"):
		return hadoopSnappy(r), "snappy", nil
	}
	return r, "", nil
}

// hadoopSnappy reads Hadoop's SnappyCodec stream: blocks of a 4-byte
// big-endian uncompressed length, then chunks of a 4-byte compressed
// length and a raw snappy block.
func hadoopSnappy(r io.Reader) io.Reader {
	pr, pw := io.Pipe()
	go func() {
		br := bufio.NewReader(r)
		var hdr [4]byte
		for {
			if _, err := io.ReadFull(br, hdr[:]); err != nil {
				pw.CloseWithError(eofOK(err))
				return
			}
			want := int(binary.BigEndian.Uint32(hdr[:]))
			for got := 0; got < want; {
				if _, err := io.ReadFull(br, hdr[:]); err != nil {
					pw.CloseWithError(err)
					return
				}
				n := binary.BigEndian.Uint32(hdr[:])
				if n > 64<<20 {
					pw.CloseWithError(errors.New("classify: snappy chunk too large"))
					return
				}
				buf := make([]byte, n)
				if _, err := io.ReadFull(br, buf); err != nil {
					pw.CloseWithError(err)
					return
				}
				out, err := snappy.Decode(nil, buf)
				if err != nil {
					pw.CloseWithError(fmt.Errorf("classify: snappy: %w", err))
					return
				}
				got += len(out)
				if _, err := pw.Write(out); err != nil {
					return
				}
			}
		}
	}()
	return pr
}

func eofOK(err error) error {
	if err == io.EOF {
		return nil
	}
	return err
}

// isText reports whether sample looks like text: no NUL bytes and valid
// UTF-8 (but for a rune the sample cut in two).
func isText(sample []byte) bool {
	if bytes.IndexByte(sample, 0) >= 0 {
		return false
	}
	for cut := 0; cut < utf8.UTFMax && cut <= len(sample); cut++ {
		if utf8.Valid(sample[:len(sample)-cut]) {
			return true
		}
	}
	return false
}

// classifyText tries the custom classifiers, then JSON, then CSV.
func classifyText(sample []byte, opts Options) (*Result, error) {
	for _, c := range opts.JSON {
		if res, err := jsonSchema(sample, c.JsonPath); err == nil {
			res.Classifier = c.Name
			return res, nil
		}
	}
	for _, c := range opts.CSV {
		if res, err := csvSchema(sample, c); err == nil {
			res.Classifier = c.Name
			return res, nil
		}
	}
	trimmed := bytes.TrimLeft(sample, " \t\r\n\ufeff")
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		if res, err := jsonSchema(sample, ""); err == nil {
			return res, nil
		}
	}
	for _, d := range []rune{',', '|', '\t', ';', '\x01'} {
		if res, err := csvSchema(sample, CSVClassifier{Delimiter: d}); err == nil {
			return res, nil
		}
	}
	return nil, ErrUnknownFormat
}
