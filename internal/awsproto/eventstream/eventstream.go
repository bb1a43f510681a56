package eventstream

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
)

// Header is a string-valued message header.
type Header struct{ Name, Value string }

const typeString = 7

// AppendMessage appends one message.
func AppendMessage(b []byte, headers []Header, payload []byte) []byte {
	hlen := 0
	for _, h := range headers {
		hlen += 1 + len(h.Name) + 1 + 2 + len(h.Value)
	}
	start := len(b)
	b = binary.BigEndian.AppendUint32(b, uint32(12+hlen+len(payload)+4))
	b = binary.BigEndian.AppendUint32(b, uint32(hlen))
	b = binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:start+8]))
	for _, h := range headers {
		b = append(b, byte(len(h.Name)))
		b = append(b, h.Name...)
		b = append(b, typeString)
		b = binary.BigEndian.AppendUint16(b, uint16(len(h.Value)))
		b = append(b, h.Value...)
	}
	b = append(b, payload...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[start:]))
}

// Event is an event message: its type, and its payload in contentType
// (the operation's: "application/json", or CBOR's).
func Event(b []byte, eventType, contentType string, payload []byte) []byte {
	return AppendMessage(b, []Header{{":event-type", eventType}, {":content-type", contentType}, {":message-type", "event"}}, payload)
}

// Exception is an exception message: the error's code, and its payload
// in contentType.
func Exception(b []byte, code, contentType string, payload []byte) []byte {
	return AppendMessage(b, []Header{{":exception-type", code}, {":content-type", contentType}, {":message-type", "exception"}}, payload)
}

// ErrCorrupt is returned by ReadMessage for a message that does not check.
var ErrCorrupt = errors.New("eventstream: corrupt message")

// ReadMessage decodes the message at the start of b and returns its
// headers, its payload and what follows it.
func ReadMessage(b []byte) (headers []Header, payload, rest []byte, err error) {
	if len(b) < 16 {
		return nil, nil, b, ErrCorrupt
	}
	total, hlen := binary.BigEndian.Uint32(b), binary.BigEndian.Uint32(b[4:])
	if total < 16 || uint64(total) > uint64(len(b)) || uint64(hlen) > uint64(total)-16 ||
		crc32.ChecksumIEEE(b[:8]) != binary.BigEndian.Uint32(b[8:]) ||
		crc32.ChecksumIEEE(b[:total-4]) != binary.BigEndian.Uint32(b[total-4:]) {
		return nil, nil, b, ErrCorrupt
	}
	h := b[12 : 12+hlen]
	for len(h) > 0 {
		n := int(h[0])
		if len(h) < 1+n+3 || h[1+n] != typeString {
			return nil, nil, b, ErrCorrupt
		}
		name := string(h[1 : 1+n])
		vl := int(binary.BigEndian.Uint16(h[2+n:]))
		if len(h) < 4+n+vl {
			return nil, nil, b, ErrCorrupt
		}
		headers = append(headers, Header{name, string(h[4+n : 4+n+vl])})
		h = h[4+n+vl:]
	}
	return headers, b[12+hlen : total-4], b[total:], nil
}
