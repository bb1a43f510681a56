package glue

import (
	"bytes"
	"encoding/binary"
	"errors"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Key layout (docs/format/glue.md). Every key starts with "glue\x00", a
// kind byte and "\x00", then the scope "account\x00region\x00" and the
// resource's names, each ended by "\x00". Names never contain NUL (they are
// validated), so a name's keys form one contiguous range.
const (
	kindDatabase   = 'd' // db                              -> Database JSON
	kindTable      = 't' // db, table                       -> tableRecord JSON
	kindVersion    = 'v' // db, table, ^version (8 bytes)   -> Table JSON
	kindPartition  = 'p' // db, table, tuple(values)        -> Partition JSON
	kindIndex      = 'x' // db, table, index, tuple(index values), tuple(values) -> empty
	kindTableStat  = 's' // db, table, column               -> ColumnStatistics JSON
	kindPartStat   = 'S' // db, table, tuple(values), column -> ColumnStatistics JSON
	kindTag        = 'g' // resource ARN                    -> map JSON
	kindCrawler    = 'c' // crawler                         -> crawlerRecord JSON
	kindClassifier = 'k' // classifier                      -> Classifier JSON
	kindCrawl      = 'h' // crawler, ^start (8 bytes)       -> CrawlerHistory JSON
)

type scope struct{ account, region string }

// key builds a key of kind for the given names.
func (sc scope) key(kind byte, names ...string) []byte {
	n := 8 + len(sc.account) + len(sc.region)
	for _, s := range names {
		n += len(s) + 1
	}
	k := make([]byte, 0, n+32)
	k = append(k, "glue\x00"...)
	k = append(k, kind, 0)
	k = append(k, sc.account...)
	k = append(k, 0)
	k = append(k, sc.region...)
	k = append(k, 0)
	for _, s := range names {
		k = append(k, s...)
		k = append(k, 0)
	}
	return k
}

func prefixEnd(p []byte) []byte { return meta.PrefixEnd(p) }

// appendTuple appends values in an order-preserving, self-delimiting form:
// each value with 0x00 escaped as 0x00 0xff, ended by 0x00 0x01. Tuples
// sort as their values do, element by element, and a tuple's encoding is a
// prefix of every longer tuple that starts with the same values.
func appendTuple(b []byte, values ...string) []byte {
	for _, v := range values {
		for i := 0; i < len(v); i++ {
			if v[i] == 0 {
				b = append(b, 0, 0xff)
			} else {
				b = append(b, v[i])
			}
		}
		b = append(b, 0, 1)
	}
	return b
}

var errBadTuple = errors.New("glue: malformed tuple")

// readTuple decodes n values from the front of b and returns the rest.
func readTuple(b []byte, n int) ([]string, []byte, error) {
	out := make([]string, 0, n)
	for range n {
		i := bytes.IndexByte(b, 0)
		if i < 0 || i+1 >= len(b) {
			return nil, nil, errBadTuple
		}
		if b[i+1] == 1 { // no escaped NUL: the common case, one allocation
			out = append(out, string(b[:i]))
			b = b[i+2:]
			continue
		}
		var v []byte
		for {
			i := bytes.IndexByte(b, 0)
			if i < 0 || i+1 >= len(b) {
				return nil, nil, errBadTuple
			}
			switch b[i+1] {
			case 1:
				v = append(v, b[:i]...)
				b = b[i+2:]
			case 0xff:
				v = append(v, b[:i+1]...)
				b = b[i+2:]
				continue
			default:
				return nil, nil, errBadTuple
			}
			break
		}
		out = append(out, string(v))
	}
	return out, b, nil
}

// appendDesc appends n so that larger numbers sort first.
func appendDesc(b []byte, n uint64) []byte { return binary.BigEndian.AppendUint64(b, ^n) }

func readDesc(b []byte) (uint64, bool) {
	if len(b) < 8 {
		return 0, false
	}
	return ^binary.BigEndian.Uint64(b), true
}
