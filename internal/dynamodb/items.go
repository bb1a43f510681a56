package dynamodb

import (
	"context"
	"errors"
	"slices"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

func itemKeyPrefix(tableID string) []byte {
	return []byte(string(itemPrefix) + tableID + "\x00")
}

// appendKeyPart appends an order-preserving, prefix-free encoding of a
// key value: strings and binary escape 0x00 as 0x00 0xFF and end with
// 0x00 0x01; numbers as appendNumberKey.
func appendKeyPart(b []byte, v *AttributeValue) []byte {
	var raw []byte
	switch {
	case v.N != nil:
		return appendNumberKey(b, *v.N)
	case v.S != nil:
		raw = []byte(*v.S)
	default:
		raw = v.B
	}
	for _, c := range raw {
		if c == 0 {
			b = append(b, 0, 0xFF)
		} else {
			b = append(b, c)
		}
	}
	return append(b, 0, 1)
}

// keyOf checks the key attributes of an item (or of a Key) and returns
// the item's key in the store. exact requires the attributes to be only
// the key's (GetItem's Key).
func (r *tableRecord) keyOf(item Item, exact bool) ([]byte, error) {
	hash, rng := r.keyNames()
	want := 1
	if rng != "" {
		want = 2
	}
	if exact && len(item) != want {
		return nil, validationf("The provided key element does not match the schema")
	}
	id := r.dataID()
	key := make([]byte, 0, len(itemPrefix)+len(id)+64) // room for the usual key values
	key = append(append(append(key, itemPrefix...), id...), 0)
	for _, name := range []string{hash, rng} {
		if name == "" {
			continue
		}
		v, ok := item[name]
		if !ok {
			if exact {
				return nil, validationf("The provided key element does not match the schema")
			}
			return nil, invalidParam("Missing the key %s in the item", name)
		}
		if t := r.attrType(name); v.Type() != t {
			if exact {
				return nil, validationf("The provided key element does not match the schema")
			}
			return nil, invalidParam("Type mismatch for key %s expected: %s actual: %s", name, t, v.Type())
		}
		if (v.S != nil && *v.S == "") || (v.B != nil && len(v.B) == 0) {
			kind := map[bool]string{true: "string", false: "binary"}[v.S != nil]
			return nil, validationf("One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty %s value. Key: %s", kind, name)
		}
		if size := len(v.B) + len(deref(v.S)); name == hash && size > 2048 {
			return nil, invalidParam("Size of hashkey has exceeded the maximum size limit of2048 bytes")
		} else if name == rng && size > 1024 {
			return nil, invalidParam("Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
		}
		key = appendKeyPart(key, &v)
	}
	return key, nil
}

// keyAttributes returns the key attributes of an item.
func (r *tableRecord) keyAttributes(item Item) Item {
	hash, rng := r.keyNames()
	out := Item{hash: item[hash]}
	if rng != "" {
		out[rng] = item[rng]
	}
	return out
}

// getItem reads an item (nil when absent).
func (s *Service) getItem(key []byte) (Item, error) {
	raw, err := s.getRaw(key)
	if raw == nil || err != nil {
		return nil, err
	}
	return raw.Decode()
}

// getRaw reads an item as it is stored (nil when there is none).
func (s *Service) getRaw(key []byte) (RawItem, error) {
	v, err := s.db.Get(key)
	if errors.Is(err, meta.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return s.open(v)
}

// RawItem is an item in its wire JSON, which is how the store keeps it
// (appendItem's encoding). Reads that return whole items hand it on as it
// is: decoding it and encoding it again was most of a GetItem's own work.
type RawItem []byte

// MarshalJSON returns the item's JSON.
func (r RawItem) MarshalJSON() ([]byte, error) { return r, nil }

// Decode parses the item.
func (r RawItem) Decode() (Item, error) { return decodeItem(r) }

func encodeItem(item Item) ([]byte, error) { return appendItem(nil, item), nil }

// expressions are a request's parsed expressions over one environment.
type expressions struct {
	env        *exprEnv
	condition  *condition
	update     *update
	projection []path
}

// updated is the item an update (nil: none) makes of old, or of an item
// of only key when there is none, checked as a written item is: within
// the size limit, with index keys of their types. UpdateItem and a
// transaction's Update share it.
func (r *tableRecord) updated(u *update, old, key Item) (Item, error) {
	base := old
	if base == nil {
		base = cloneItem(key)
	}
	next := cloneItem(base)
	if u != nil {
		var err error
		if next, err = apply(u, base); err != nil {
			return nil, err
		}
	}
	if itemSize(next) > maxItemSize {
		return nil, validationf("Item size to update has exceeded the maximum allowed size")
	}
	return next, r.checkIndexKeys(next)
}

// checkReturnValues checks a ReturnValues against the model's values,
// then against those the operation allows.
func checkReturnValues(v string, allowed ...string) error {
	switch v {
	case "":
		return nil
	case "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW":
	default:
		return modelValidation(v, "returnValues", "satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]")
	}
	if !slices.Contains(allowed, v) {
		return validationf("Return values set to invalid value")
	}
	return nil
}

// parseExpressions parses what a write or read request gives and checks
// that every name and value is used.
func parseExpressions(names map[string]string, values map[string]AttributeValue, cond, upd, proj Expression) (*expressions, error) {
	if err := checkNames(names); err != nil {
		return nil, err
	}
	if err := checkValues(values); err != nil {
		return nil, err
	}
	x := &expressions{env: newEnv(names, values)}
	var err error
	if cond != "" {
		if x.condition, err = parseCondition("ConditionExpression", string(cond), x.env); err != nil {
			return nil, err
		}
	}
	if upd != "" {
		if x.update, err = parseUpdate(string(upd), x.env); err != nil {
			return nil, err
		}
	}
	if proj != "" {
		if x.projection, err = parseProjection(string(proj), x.env); err != nil {
			return nil, err
		}
	}
	// Most requests were checked so before their old parameters were
	// translated; a transaction's actions are checked here.
	given := params{condition: cond, update: upd, projection: proj, names: len(names) > 0, values: len(values) > 0, valuesFor: "ConditionExpression is null"}
	if err := given.check(); err != nil {
		return nil, err
	}
	return x, x.env.checkUnused()
}

// check evaluates the condition on the current item.
func (x *expressions) check(old Item, returnOld string) error {
	if x.condition == nil {
		return nil
	}
	ok, err := evaluate(x.condition, old)
	if err != nil {
		return err
	}
	if !ok {
		e := ErrConditionalCheckFailed.WithMessage("The conditional request failed")
		if returnOld == "ALL_OLD" && old != nil {
			return e.WithJSON("Item", appendItem(nil, old))
		}
		return e
	}
	return nil
}

// checkReturnOnFailure refuses a ReturnValuesOnConditionCheckFailure
// other than NONE and ALL_OLD; field names it in the message.
func checkReturnOnFailure(field, v string) error {
	switch v {
	case "", "NONE", "ALL_OLD":
		return nil
	}
	return modelValidation(v, field, "satisfy enum value set: [ALL_OLD, NONE]")
}

type PutItemInput struct {
	TableName                           string                            `json:"TableName"`
	Item                                Item                              `json:"Item"`
	ConditionExpression                 Expression                        `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string                 `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue         `json:"ExpressionAttributeValues,omitempty"`
	ReturnValues                        string                            `json:"ReturnValues,omitempty"`
	ReturnConsumedCapacity              string                            `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics         string                            `json:"ReturnItemCollectionMetrics,omitempty"`
	ReturnValuesOnConditionCheckFailure string                            `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
	Expected                            map[string]ExpectedAttributeValue `json:"Expected,omitempty"`
	ConditionalOperator                 string                            `json:"ConditionalOperator,omitempty"`
}

type ItemOutput struct {
	Attributes            Item                   `json:"Attributes,omitempty"`
	ConsumedCapacity      *ConsumedCapacity      `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics *ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// PutItem writes an item, durably, if its condition holds.
func (s *Service) PutItem(ctx context.Context, in *PutItemInput) (*ItemOutput, error) {
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := checkCollectionMetrics(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	if err := translateWrite(in.Expected, in.ConditionalOperator, nil, &in.ConditionExpression, nil, &in.ExpressionAttributeNames, &in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	if err := checkReturnValues(in.ReturnValues, "NONE", "ALL_OLD"); err != nil {
		return nil, err
	}
	if err := checkReturnOnFailure("returnValuesOnConditionCheckFailure", in.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	if in.Item == nil {
		return nil, modelValidation(nil, "item", "not be null")
	}
	if err := checkItem(in.Item); err != nil {
		return nil, err
	}
	x, err := parseExpressions(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ConditionExpression, "", "")
	if err != nil {
		return nil, err
	}
	rec, release, err := s.lockTable(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	defer release()
	key, err := rec.keyOf(in.Item, false)
	if err != nil {
		return nil, err
	}
	if err := rec.checkIndexKeys(in.Item); err != nil {
		return nil, err
	}
	size := itemSize(in.Item)
	if size > maxItemSize {
		return nil, validationf("Item size has exceeded the maximum allowed size")
	}
	body, err := encodeItem(in.Item)
	if err != nil {
		return nil, err
	}
	unlock := s.lockItems(key)
	defer unlock()
	// A blind put (no condition, no old image asked for, no index entries
	// to replace, no stream record to write, no capacity to size by the
	// old item) need not read the item it replaces: that read was a third
	// of its work.
	var old Item
	if x.condition != nil || in.ReturnValues == "ALL_OLD" || rec.readsOld() || wantsCapacity(in.ReturnConsumedCapacity) {
		if old, err = s.getItem(key); err != nil {
			return nil, err
		}
	}
	if err := x.check(old, in.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	w := s.newWriteBatch()
	defer w.discard()
	w.put(rec, key, old, in.Item, body)
	if err := w.commit(); err != nil {
		return nil, err
	}
	out := &ItemOutput{ConsumedCapacity: writeConsumed(in.ReturnConsumedCapacity, rec, in.TableName, old, in.Item)}
	out.ItemCollectionMetrics = s.collectionMetrics(in.ReturnItemCollectionMetrics, rec, in.Item, w)
	if in.ReturnValues == "ALL_OLD" {
		out.Attributes = old
	}
	return out, nil
}

type GetItemInput struct {
	TableName                string            `json:"TableName"`
	Key                      Item              `json:"Key"`
	ConsistentRead           *bool             `json:"ConsistentRead,omitempty"`
	ProjectionExpression     Expression        `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
	ReturnConsumedCapacity   string            `json:"ReturnConsumedCapacity,omitempty"`
	AttributesToGet          []string          `json:"AttributesToGet,omitempty"`
}

type GetItemOutput struct {
	Item             RawItem           `json:"Item,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// GetItem reads an item. Every read is strongly consistent here.
func (s *Service) GetItem(ctx context.Context, in *GetItemInput) (*GetItemOutput, error) {
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := checkAttributesToGet("attributesToGet", in.AttributesToGet); err != nil {
		return nil, err
	}
	if err := (&params{attributesToGet: in.AttributesToGet != nil, projection: in.ProjectionExpression, names: in.ExpressionAttributeNames != nil}).check(); err != nil {
		return nil, err
	}
	if in.AttributesToGet != nil {
		var values map[string]AttributeValue
		in.ProjectionExpression = legacyMaps(&in.ExpressionAttributeNames, &values).projection(in.AttributesToGet)
	}
	x, err := parseExpressions(in.ExpressionAttributeNames, nil, "", "", in.ProjectionExpression)
	if err != nil {
		return nil, err
	}
	rec, key, release, err := s.target(ctx, in.TableName, in.Key)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := rec.checkKeyPaths(x.projection, nil); err != nil {
		return nil, err
	}
	raw, err := s.getRaw(key)
	if err != nil {
		return nil, err
	}
	if raw == nil {
		return &GetItemOutput{ConsumedCapacity: consumed(in.ReturnConsumedCapacity, in.TableName, readUnits(0, consistentRead(in.ConsistentRead)), false)}, nil
	}
	out := &GetItemOutput{Item: raw}
	if x.projection == nil && !wantsCapacity(in.ReturnConsumedCapacity) {
		return out, nil
	}
	item, err := raw.Decode()
	if err != nil {
		return nil, err
	}
	out.ConsumedCapacity = consumed(in.ReturnConsumedCapacity, in.TableName, readUnits(itemSize(item), consistentRead(in.ConsistentRead)), false)
	if x.projection != nil {
		out.Item = appendItem(nil, project(item, x.projection))
	}
	return out, nil
}

func consistentRead(b *bool) bool { return b != nil && *b }

type DeleteItemInput struct {
	TableName                           string                            `json:"TableName"`
	Key                                 Item                              `json:"Key"`
	ConditionExpression                 Expression                        `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string                 `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue         `json:"ExpressionAttributeValues,omitempty"`
	ReturnValues                        string                            `json:"ReturnValues,omitempty"`
	ReturnConsumedCapacity              string                            `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics         string                            `json:"ReturnItemCollectionMetrics,omitempty"`
	ReturnValuesOnConditionCheckFailure string                            `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
	Expected                            map[string]ExpectedAttributeValue `json:"Expected,omitempty"`
	ConditionalOperator                 string                            `json:"ConditionalOperator,omitempty"`
}

// DeleteItem removes an item if its condition holds.
func (s *Service) DeleteItem(ctx context.Context, in *DeleteItemInput) (*ItemOutput, error) {
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := checkCollectionMetrics(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	if err := translateWrite(in.Expected, in.ConditionalOperator, nil, &in.ConditionExpression, nil, &in.ExpressionAttributeNames, &in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	if err := checkReturnValues(in.ReturnValues, "NONE", "ALL_OLD"); err != nil {
		return nil, err
	}
	if err := checkReturnOnFailure("returnValuesOnConditionCheckFailure", in.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	// The expressions are checked before the table is looked up: a bad
	// one is refused even for a table that does not exist, as DynamoDB
	// refuses it.
	x, err := parseExpressions(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ConditionExpression, "", "")
	if err != nil {
		return nil, err
	}
	rec, key, release, err := s.target(ctx, in.TableName, in.Key)
	if err != nil {
		return nil, err
	}
	defer release()
	unlock := s.lockItems(key)
	defer unlock()
	old, err := s.getItem(key)
	if err != nil {
		return nil, err
	}
	if err := x.check(old, in.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	var w *writeBatch
	if old != nil {
		w = s.newWriteBatch()
		defer w.discard()
		w.remove(rec, key, old, false)
		if err := w.commit(); err != nil {
			return nil, err
		}
	}
	out := &ItemOutput{ConsumedCapacity: writeConsumed(in.ReturnConsumedCapacity, rec, in.TableName, old, nil)}
	out.ItemCollectionMetrics = s.collectionMetrics(in.ReturnItemCollectionMetrics, rec, in.Key, w)
	if in.ReturnValues == "ALL_OLD" {
		out.Attributes = old
	}
	return out, nil
}

type UpdateItemInput struct {
	TableName                           string                            `json:"TableName"`
	Key                                 Item                              `json:"Key"`
	UpdateExpression                    Expression                        `json:"UpdateExpression,omitempty"`
	ConditionExpression                 Expression                        `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string                 `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue         `json:"ExpressionAttributeValues,omitempty"`
	ReturnValues                        string                            `json:"ReturnValues,omitempty"`
	ReturnConsumedCapacity              string                            `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics         string                            `json:"ReturnItemCollectionMetrics,omitempty"`
	ReturnValuesOnConditionCheckFailure string                            `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
	AttributeUpdates                    map[string]AttributeValueUpdate   `json:"AttributeUpdates,omitempty"`
	Expected                            map[string]ExpectedAttributeValue `json:"Expected,omitempty"`
	ConditionalOperator                 string                            `json:"ConditionalOperator,omitempty"`
}

// UpdateItem changes an item (making it if absent) by an update
// expression, if its condition holds. Numbers are added exactly.
func (s *Service) UpdateItem(ctx context.Context, in *UpdateItemInput) (*ItemOutput, error) {
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := checkCollectionMetrics(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	if err := translateWrite(in.Expected, in.ConditionalOperator, in.AttributeUpdates, &in.ConditionExpression, &in.UpdateExpression, &in.ExpressionAttributeNames, &in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	if err := checkReturnValues(in.ReturnValues, "NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"); err != nil {
		return nil, err
	}
	if err := checkReturnOnFailure("returnValuesOnConditionCheckFailure", in.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	x, err := parseExpressions(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ConditionExpression, in.UpdateExpression, "")
	if err != nil {
		return nil, err
	}
	rec, key, release, err := s.target(ctx, in.TableName, in.Key)
	if err != nil {
		return nil, err
	}
	defer release()
	if err := rec.checkUpdateKeys(x.update); err != nil {
		return nil, err
	}
	unlock := s.lockItems(key)
	defer unlock()
	old, err := s.getItem(key)
	if err != nil {
		return nil, err
	}
	if err := x.check(old, in.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	next, err := rec.updated(x.update, old, in.Key)
	if err != nil {
		return nil, err
	}
	body, err := encodeItem(next)
	if err != nil {
		return nil, err
	}
	w := s.newWriteBatch()
	defer w.discard()
	w.put(rec, key, old, next, body)
	if err := w.commit(); err != nil {
		return nil, err
	}
	out := &ItemOutput{ConsumedCapacity: writeConsumed(in.ReturnConsumedCapacity, rec, in.TableName, old, next)}
	out.ItemCollectionMetrics = s.collectionMetrics(in.ReturnItemCollectionMetrics, rec, next, w)
	switch in.ReturnValues {
	case "ALL_OLD":
		out.Attributes = old
	case "ALL_NEW":
		out.Attributes = next
	case "UPDATED_OLD":
		out.Attributes = updated(old, x.update)
	case "UPDATED_NEW":
		out.Attributes = updated(next, x.update)
	}
	return out, nil
}

// target finds a request's table, read-locked until release, and the
// store key of its Key.
func (s *Service) target(ctx context.Context, tableName string, key Item) (*tableRecord, []byte, func(), error) {
	rec, release, err := s.lockTable(ctx, tableName)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := checkItem(key); err != nil {
		release()
		return nil, nil, nil, err
	}
	k, err := rec.keyOf(key, true)
	if err != nil {
		release()
		return nil, nil, nil, err
	}
	return rec, k, release, nil
}

// updated is what UPDATED_OLD and UPDATED_NEW return: the item projected
// on the paths an update writes, so SET m.x returns {m: {x: …}}, not all
// of m. As in DynamoDB, a path the item lacks is left out, and a list
// element is the one now at that index: after REMOVE l[1], the new l[1]
// is the element that moved into its place.
func updated(item Item, u *update) Item {
	if item == nil || u == nil {
		return nil
	}
	out := project(item, u.paths())
	if len(out) == 0 {
		return nil
	}
	return out
}

// checkUpdateKeys refuses an update that writes a key attribute.
func (r *tableRecord) checkUpdateKeys(u *update) error {
	if u == nil {
		return nil
	}
	hash, rng := r.keyNames()
	for _, p := range u.paths() {
		if p[0].name == hash || p[0].name == rng {
			return validationf("One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key", p[0].name)
		}
	}
	return nil
}

// paths lists every path an update writes.
func (u *update) paths() []path {
	var out []path
	for _, a := range u.set {
		out = append(out, a.path)
	}
	out = append(out, u.remove...)
	for _, a := range u.add {
		out = append(out, a.path)
	}
	for _, a := range u.delete {
		out = append(out, a.path)
	}
	return out
}
