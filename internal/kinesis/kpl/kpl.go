package kpl

import (
	"bytes"
	"crypto/md5"
	"errors"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"
)

// Magic begins every aggregated record.
var Magic = []byte{0xF3, 0x89, 0x9A, 0xC2}

// UserRecord is one record of an aggregate.
type UserRecord struct {
	PartitionKey    string
	ExplicitHashKey string // "" when it has none
	Data            []byte
	// SubSequence is the record's place in its aggregate (0 for a record
	// that was not aggregated); with the Kinesis record's sequence number
	// it orders user records, as the KCL's UserRecord does.
	SubSequence int
	Aggregated  bool
}

// ErrCorrupt is returned for an aggregate whose checksum holds but whose
// contents do not decode.
var ErrCorrupt = errors.New("kpl: corrupt aggregated record")

// Deaggregate returns the user records a Kinesis record holds. A record
// that is not an aggregate (no magic, too short, or a checksum that does
// not match) is its own only user record, as the KCL treats it.
func Deaggregate(partitionKey string, data []byte) ([]UserRecord, error) {
	if !IsAggregate(data) {
		return []UserRecord{{PartitionKey: partitionKey, Data: data}}, nil
	}
	msg := data[len(Magic) : len(data)-md5.Size]
	var keys, hashes []string
	var recs []record
	for len(msg) > 0 {
		num, typ, n := protowire.ConsumeTag(msg)
		if n < 0 {
			return nil, ErrCorrupt
		}
		msg = msg[n:]
		switch {
		case num == 1 && typ == protowire.BytesType, num == 2 && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(msg)
			if n < 0 {
				return nil, ErrCorrupt
			}
			msg = msg[n:]
			if num == 1 {
				keys = append(keys, string(v))
			} else {
				hashes = append(hashes, string(v))
			}
		case num == 3 && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(msg)
			if n < 0 {
				return nil, ErrCorrupt
			}
			msg = msg[n:]
			r, err := decodeRecord(v)
			if err != nil {
				return nil, err
			}
			recs = append(recs, r)
		default:
			n := protowire.ConsumeFieldValue(num, typ, msg)
			if n < 0 {
				return nil, ErrCorrupt
			}
			msg = msg[n:]
		}
	}
	out := make([]UserRecord, len(recs))
	for i, r := range recs {
		if r.key >= uint64(len(keys)) || r.hasHash && r.hash >= uint64(len(hashes)) {
			return nil, fmt.Errorf("%w: record %d names a key the tables lack", ErrCorrupt, i)
		}
		out[i] = UserRecord{PartitionKey: keys[r.key], Data: r.data, SubSequence: i, Aggregated: true}
		if r.hasHash {
			out[i].ExplicitHashKey = hashes[r.hash]
		}
	}
	return out, nil
}

// IsAggregate reports whether data is a KPL aggregate: the magic, a
// protobuf and its MD5.
func IsAggregate(data []byte) bool {
	if len(data) < len(Magic)+md5.Size || !bytes.HasPrefix(data, Magic) {
		return false
	}
	msg := data[len(Magic) : len(data)-md5.Size]
	sum := md5.Sum(msg)
	return bytes.Equal(sum[:], data[len(data)-md5.Size:])
}

type record struct {
	key, hash uint64
	hasHash   bool
	data      []byte
}

func decodeRecord(b []byte) (record, error) {
	var r record
	var hasKey, hasData bool
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return r, ErrCorrupt
		}
		b = b[n:]
		switch {
		case num == 1 && typ == protowire.VarintType, num == 2 && typ == protowire.VarintType:
			v, n := protowire.ConsumeVarint(b)
			if n < 0 {
				return r, ErrCorrupt
			}
			b = b[n:]
			if num == 1 {
				r.key, hasKey = v, true
			} else {
				r.hash, r.hasHash = v, true
			}
		case num == 3 && typ == protowire.BytesType:
			v, n := protowire.ConsumeBytes(b)
			if n < 0 {
				return r, ErrCorrupt
			}
			b = b[n:]
			r.data, hasData = v, true
		default: // tags (4) and anything newer
			n := protowire.ConsumeFieldValue(num, typ, b)
			if n < 0 {
				return r, ErrCorrupt
			}
			b = b[n:]
		}
	}
	if !hasKey || !hasData {
		return r, fmt.Errorf("%w: a record lacks its partition key index or data", ErrCorrupt)
	}
	return r, nil
}

// Aggregate packs user records as the KPL does (tests and producers use
// it): keys and hash keys go into tables, each once.
func Aggregate(recs []UserRecord) []byte {
	var msg, body []byte
	keyIndex, hashIndex := map[string]uint64{}, map[string]uint64{}
	var keyTable, hashTable []string
	for _, r := range recs {
		ki, ok := keyIndex[r.PartitionKey]
		if !ok {
			ki = uint64(len(keyTable))
			keyIndex[r.PartitionKey] = ki
			keyTable = append(keyTable, r.PartitionKey)
		}
		body = body[:0]
		body = protowire.AppendTag(body, 1, protowire.VarintType)
		body = protowire.AppendVarint(body, ki)
		if r.ExplicitHashKey != "" {
			hi, ok := hashIndex[r.ExplicitHashKey]
			if !ok {
				hi = uint64(len(hashTable))
				hashIndex[r.ExplicitHashKey] = hi
				hashTable = append(hashTable, r.ExplicitHashKey)
			}
			body = protowire.AppendTag(body, 2, protowire.VarintType)
			body = protowire.AppendVarint(body, hi)
		}
		body = protowire.AppendTag(body, 3, protowire.BytesType)
		body = protowire.AppendBytes(body, r.Data)
		msg = protowire.AppendTag(msg, 3, protowire.BytesType)
		msg = protowire.AppendBytes(msg, body)
	}
	var head []byte
	for _, k := range keyTable {
		head = protowire.AppendTag(head, 1, protowire.BytesType)
		head = protowire.AppendString(head, k)
	}
	for _, h := range hashTable {
		head = protowire.AppendTag(head, 2, protowire.BytesType)
		head = protowire.AppendString(head, h)
	}
	msg = append(head, msg...)
	sum := md5.Sum(msg)
	out := append(append([]byte(nil), Magic...), msg...)
	return append(out, sum[:]...)
}
