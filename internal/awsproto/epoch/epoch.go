package epoch

import (
	"encoding/binary"
	"errors"
	"math"
	"strconv"
	"time"
)

// Time is a UTC instant that encodes as epoch seconds, e.g. 1700000000.123.
type Time struct{ time.Time }

// New returns t truncated to milliseconds, the precision the wire keeps.
func New(t time.Time) Time { return Time{t.UTC().Truncate(time.Millisecond)} }

// Ptr returns a pointer to New(t), for optional fields.
func Ptr(t time.Time) *Time { e := New(t); return &e }

// MarshalJSON writes epoch seconds with up to three decimals.
func (t Time) MarshalJSON() ([]byte, error) { return t.AppendJSON(nil), nil }

// AppendJSON appends what MarshalJSON writes.
func (t Time) AppendJSON(b []byte) []byte {
	ms := t.UnixMilli()
	b = strconv.AppendInt(b, ms/1000, 10)
	if frac := ms % 1000; frac != 0 {
		if frac < 0 {
			frac = -frac
		}
		b = append(b, '.')
		b = append(b, byte('0'+frac/100), byte('0'+frac/10%10), byte('0'+frac%10))
		for b[len(b)-1] == '0' {
			b = b[:len(b)-1]
		}
	}
	return b
}

// UnmarshalJSON reads epoch seconds (a JSON number) or, as some clients
// send, an RFC 3339 string.
func (t *Time) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		s, err := strconv.Unquote(string(b))
		if err != nil {
			return errors.New("epoch: timestamp is not a valid string")
		}
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return errors.New("epoch: timestamp string is not RFC 3339")
		}
		*t = New(v)
		return nil
	}
	f, err := strconv.ParseFloat(string(b), 64)
	if err != nil || f != f || f > 1e13 || f < -1e13 {
		return errors.New("epoch: timestamp is not a number of seconds")
	}
	sec := int64(f)
	ms := int64((f-float64(sec))*1000 + 0.5)
	*t = New(time.Unix(sec, ms*int64(time.Millisecond)))
	return nil
}

// MarshalCBOR writes the CBOR encoding's timestamp, as the AWS SDK for Java
// reads it: tag 1 over an integer of epoch milliseconds (not RFC 8949's
// seconds).
func (t Time) MarshalCBOR() ([]byte, error) {
	const tag1 = 0xc1
	ms := t.UnixMilli()
	major := byte(0) // unsigned integer
	n := uint64(ms)
	if ms < 0 {
		major, n = 1, uint64(-1-ms) // negative integer: -1-n
	}
	b := []byte{tag1}
	switch {
	case n < 24:
		return append(b, major<<5|byte(n)), nil
	case n <= math.MaxUint8:
		return append(b, major<<5|24, byte(n)), nil
	case n <= math.MaxUint16:
		return binary.BigEndian.AppendUint16(append(b, major<<5|25), uint16(n)), nil
	case n <= math.MaxUint32:
		return binary.BigEndian.AppendUint32(append(b, major<<5|26), uint32(n)), nil
	}
	return binary.BigEndian.AppendUint64(append(b, major<<5|27), n), nil
}
