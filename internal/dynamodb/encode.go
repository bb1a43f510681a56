package dynamodb

import (
	"encoding/json"
	"strconv"
)

// The item-bearing responses append their JSON by hand (they implement
// awsjson.Appender): reflection-driven encoding of nested attribute values
// cost more than the rest of a GetItem.

// appendMember appends "name": and what add appends, with a comma when
// the object already has members (its opening brace is not last).
func appendMember(b []byte, name string, add func([]byte) []byte) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	return add(append(appendString(b, name), ':'))
}

func appendConsumed(b []byte, c *ConsumedCapacity) []byte {
	if c == nil {
		return b
	}
	return appendMember(b, "ConsumedCapacity", func(b []byte) []byte {
		j, _ := json.Marshal(c) // a few plain numbers and strings
		return append(b, j...)
	})
}

func appendCollectionMetrics(b []byte, m *ItemCollectionMetrics) []byte {
	if m == nil {
		return b
	}
	return appendMember(b, "ItemCollectionMetrics", func(b []byte) []byte {
		b = appendItem(append(b, `{"ItemCollectionKey":`...), m.ItemCollectionKey)
		b = append(b, `,"SizeEstimateRangeGB":[`...)
		for i, gb := range m.SizeEstimateRangeGB {
			if i > 0 {
				b = append(b, ',')
			}
			b = strconv.AppendFloat(b, gb, 'f', -1, 64)
		}
		return append(b, "]}"...)
	})
}

func itemMember(b []byte, name string, item Item) []byte {
	if item == nil {
		return b
	}
	return appendMember(b, name, func(b []byte) []byte { return appendItem(b, item) })
}

// AppendJSON writes the response.
func (o *GetItemOutput) AppendJSON(b []byte) []byte {
	b = append(b, '{')
	if o.Item != nil {
		b = append(append(b, `"Item":`...), o.Item...)
	}
	return append(appendConsumed(b, o.ConsumedCapacity), '}')
}

// AppendJSON writes the response.
func (o *ItemOutput) AppendJSON(b []byte) []byte {
	b = itemMember(append(b, '{'), "Attributes", o.Attributes)
	b = appendConsumed(b, o.ConsumedCapacity)
	return append(appendCollectionMetrics(b, o.ItemCollectionMetrics), '}')
}

// AppendJSON writes the response.
func (o *QueryOutput) AppendJSON(b []byte) []byte {
	b = append(b, `{"Count":`...)
	b = strconv.AppendInt(b, int64(o.Count), 10)
	b = append(b, `,"ScannedCount":`...)
	b = strconv.AppendInt(b, int64(o.ScannedCount), 10)
	if o.Items != nil {
		b = append(b, `,"Items":[`...)
		for i, item := range o.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, item...)
		}
		b = append(b, ']')
	}
	b = itemMember(b, "LastEvaluatedKey", o.LastEvaluatedKey)
	return append(appendConsumed(b, o.ConsumedCapacity), '}')
}
