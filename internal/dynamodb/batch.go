package dynamodb

import (
	"context"
	"sort"
)

const (
	maxBatchWrite = 25
	maxBatchGet   = 100
	// maxBatchGetBytes is how much item data a BatchGetItem returns; the
	// keys beyond it come back as UnprocessedKeys.
	maxBatchGetBytes = 16 << 20
)

type PutRequest struct {
	Item Item `json:"Item"`
}

type DeleteRequest struct {
	Key Item `json:"Key"`
}

type WriteRequest struct {
	PutRequest    *PutRequest    `json:"PutRequest,omitempty"`
	DeleteRequest *DeleteRequest `json:"DeleteRequest,omitempty"`
}

type BatchWriteItemInput struct {
	RequestItems                map[string][]WriteRequest `json:"RequestItems"`
	ReturnConsumedCapacity      string                    `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics string                    `json:"ReturnItemCollectionMetrics,omitempty"`
}

type BatchWriteItemOutput struct {
	UnprocessedItems      map[string][]WriteRequest          `json:"UnprocessedItems"`
	ConsumedCapacity      []ConsumedCapacity                 `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics map[string][]ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// batchWriteLengths is the constraint a table's requests in a
// BatchWriteItem break when there are none or more than 25.
const batchWriteLengths = "Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"

// BatchWriteItem puts and deletes up to 25 items in one durable commit.
// Nothing is left unprocessed: Lakebox has no throughput to exceed.
func (s *Service) BatchWriteItem(ctx context.Context, in *BatchWriteItemInput) (*BatchWriteItemOutput, error) {
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := checkCollectionMetrics(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	if len(in.RequestItems) == 0 {
		return nil, modelValidation("{}", "requestItems", "have length greater than or equal to 1")
	}
	n := 0
	for _, name := range sortedNames(in.RequestItems) {
		switch reqs := in.RequestItems[name]; {
		case len(reqs) == 0: // DynamoDB shows the map as Java prints it: here, exactly
			return nil, validationf("1 validation error detected: Value '{%s=[]}' at 'requestItems' failed to satisfy constraint: %s", name, batchWriteLengths)
		case len(reqs) > maxBatchWrite: // and here with the requests as Java would print them, which Lakebox does not imitate
			return nil, validationf("1 validation error detected: Value '{%s=[%d write requests]}' at 'requestItems' failed to satisfy constraint: %s", name, len(reqs), batchWriteLengths)
		default:
			n += len(reqs)
		}
	}
	if n > maxBatchWrite {
		return nil, validationf("Too many items requested for the BatchWriteItem call")
	}
	type write struct {
		rec   *tableRecord
		table string // as the request names it
		key   []byte
		item  Item   // nil: delete
		body  []byte // the item's encoding
		named Item   // the item, or the key of a delete
	}
	var writes []write
	var keys [][]byte
	units := map[string]float64{}
	recs, release, err := s.lockTables(ctx, sortedNames(in.RequestItems)...)
	if err != nil {
		return nil, err
	}
	defer release()
	// Keys in the store name their table's id: one set finds the same item
	// named twice, also when the request names its table by name and by
	// ARN. Two writes of one item in a batch would each change its index
	// entries from the item before the batch.
	seen := map[string]bool{}
	for _, name := range sortedNames(in.RequestItems) {
		rec := recs[name]
		for _, r := range in.RequestItems[name] {
			if (r.PutRequest == nil) == (r.DeleteRequest == nil) {
				return nil, validationf("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
			}
			var w write
			if p := r.PutRequest; p != nil {
				if err := checkItem(p.Item); err != nil {
					return nil, err
				}
				key, err := rec.keyOf(p.Item, false)
				if err != nil {
					return nil, validationf("The provided key element does not match the schema")
				}
				if err := rec.checkIndexKeys(p.Item); err != nil {
					return nil, err
				}
				if itemSize(p.Item) > maxItemSize {
					return nil, validationf("Item size has exceeded the maximum allowed size")
				}
				body, err := encodeItem(p.Item)
				if err != nil {
					return nil, err
				}
				w = write{rec: &rec, key: key, item: p.Item, body: body, table: name, named: p.Item}
			} else {
				if err := checkItem(r.DeleteRequest.Key); err != nil {
					return nil, err
				}
				key, err := rec.keyOf(r.DeleteRequest.Key, true)
				if err != nil {
					return nil, err
				}
				w = write{rec: &rec, key: key, table: name, named: r.DeleteRequest.Key}
			}
			if seen[string(w.key)] {
				return nil, validationf("Provided list of item keys contains duplicates")
			}
			seen[string(w.key)] = true
			writes = append(writes, w)
			keys = append(keys, w.key)
		}
	}
	unlock := s.lockItems(keys...)
	defer unlock()
	wb := s.newWriteBatch()
	defer wb.discard()
	ix := indexCharges{}
	for _, w := range writes {
		var old Item
		// A write is charged by the larger of the item it replaces and the
		// item it writes, as PutItem's and DeleteItem's are.
		if w.rec.readsOld() || wantsCapacity(in.ReturnConsumedCapacity) {
			var err error
			if old, err = s.getItem(w.key); err != nil {
				return nil, err
			}
		}
		if wantsCapacity(in.ReturnConsumedCapacity) {
			ix.add(w.table, w.rec, w.rec.indexUnits(old, w.item), 1)
			units[w.table] += replaceUnits(old, w.item)
		}
		if w.item == nil {
			wb.remove(w.rec, w.key, old, false)
		} else {
			wb.put(w.rec, w.key, old, w.item, w.body)
		}
	}
	if err := wb.commit(); err != nil {
		return nil, err
	}
	out := &BatchWriteItemOutput{UnprocessedItems: map[string][]WriteRequest{}}
	for _, name := range sortedNames(in.RequestItems) {
		if c := ix.charged(in.ReturnConsumedCapacity, name, units[name]); c != nil {
			out.ConsumedCapacity = append(out.ConsumedCapacity, *c)
		}
	}
	collections := collectionsWritten{mode: in.ReturnItemCollectionMetrics}
	for _, w := range writes {
		collections.add(s, w.table, w.rec, w.named, wb)
	}
	out.ItemCollectionMetrics = collections.out
	return out, nil
}

type KeysAndAttributes struct {
	Keys                     []Item            `json:"Keys"`
	ProjectionExpression     Expression        `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
	ConsistentRead           *bool             `json:"ConsistentRead,omitempty"`
	AttributesToGet          []string          `json:"AttributesToGet,omitempty"`
}

type BatchGetItemInput struct {
	RequestItems           map[string]KeysAndAttributes `json:"RequestItems"`
	ReturnConsumedCapacity string                       `json:"ReturnConsumedCapacity,omitempty"`
}

type BatchGetItemOutput struct {
	Responses        map[string][]Item            `json:"Responses"`
	UnprocessedKeys  map[string]KeysAndAttributes `json:"UnprocessedKeys"`
	ConsumedCapacity []ConsumedCapacity           `json:"ConsumedCapacity,omitempty"`
}

// BatchGetItem reads up to 100 items from one or more tables; past 16 MB
// of items the rest are returned as UnprocessedKeys, as on DynamoDB.
func (s *Service) BatchGetItem(ctx context.Context, in *BatchGetItemInput) (*BatchGetItemOutput, error) {
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if len(in.RequestItems) == 0 {
		return nil, modelValidation("{}", "requestItems", "have length greater than or equal to 1")
	}
	n := 0
	for _, name := range sortedNames(in.RequestItems) {
		keys := in.RequestItems[name].Keys
		if len(keys) == 0 {
			return nil, modelValidation("[]", "requestItems."+name+".member.keys", "have length greater than or equal to 1")
		}
		n += len(keys)
	}
	if n > maxBatchGet {
		return nil, validationf("Too many items requested for the BatchGetItem call")
	}
	out := &BatchGetItemOutput{Responses: map[string][]Item{}, UnprocessedKeys: map[string]KeysAndAttributes{}}
	total := 0
	seen := map[string]bool{} // as BatchWriteItem's
	for _, name := range sortedNames(in.RequestItems) {
		ka := in.RequestItems[name]
		if err := checkAttributesToGet("requestItems."+name+".member.attributesToGet", ka.AttributesToGet); err != nil {
			return nil, err
		}
		if err := (&params{attributesToGet: ka.AttributesToGet != nil, projection: ka.ProjectionExpression, names: ka.ExpressionAttributeNames != nil}).check(); err != nil {
			return nil, err
		}
		if ka.AttributesToGet != nil {
			var values map[string]AttributeValue
			ka.ProjectionExpression = legacyMaps(&ka.ExpressionAttributeNames, &values).projection(ka.AttributesToGet)
		}
		t, err := s.lookup(ctx, name)
		if err != nil {
			return nil, err
		}
		t.mu.RLock()
		rec := t.rec
		t.mu.RUnlock()
		x, err := parseExpressions(ka.ExpressionAttributeNames, nil, "", "", ka.ProjectionExpression)
		if err != nil {
			return nil, err
		}
		if err := rec.checkKeyPaths(x.projection, nil); err != nil {
			return nil, err
		}
		items := []Item{}
		consistent := consistentRead(ka.ConsistentRead)
		read := 0.0 // each key is charged as a GetItem of it: its size rounded up, a missing item the least
		for i, k := range ka.Keys {
			if err := checkItem(k); err != nil {
				return nil, err
			}
			key, err := rec.keyOf(k, true)
			if err != nil {
				return nil, err
			}
			if seen[string(key)] {
				return nil, validationf("Provided list of item keys contains duplicates")
			}
			seen[string(key)] = true
			if total >= maxBatchGetBytes {
				rest := in.RequestItems[name] // as asked: not with the projection AttributesToGet became
				rest.Keys = ka.Keys[i:]
				out.UnprocessedKeys[name] = rest
				break
			}
			item, err := s.getItem(key)
			if err != nil {
				return nil, err
			}
			size := itemSize(item)
			read += readUnits(size, consistent)
			if item == nil {
				continue
			}
			total += size
			if x.projection != nil {
				item = project(item, x.projection)
			}
			items = append(items, item)
		}
		out.Responses[name] = items
		if c := consumed(in.ReturnConsumedCapacity, name, read, false); c != nil {
			out.ConsumedCapacity = append(out.ConsumedCapacity, *c)
		}
	}
	return out, nil
}

func sortedNames[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
