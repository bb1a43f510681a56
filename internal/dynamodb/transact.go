package dynamodb

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

const (
	maxTransactItems = 100
	// tokenLife is how long a ClientRequestToken makes a repeated
	// TransactWriteItems a no-op.
	tokenLife = 10 * time.Minute
)

// checkTransactItems checks how many actions a transaction has.
func checkTransactItems(n int) error {
	shown := any(n)
	if n == 0 {
		shown = "[]"
	}
	return awserr.LengthValidation(shown, "transactItems", n, 1, maxTransactItems)
}

type ConditionCheck struct {
	TableName                           string                    `json:"TableName"`
	Key                                 Item                      `json:"Key"`
	ConditionExpression                 Expression                `json:"ConditionExpression"`
	ExpressionAttributeNames            map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure string                    `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

type TransactPut struct {
	TableName                           string                    `json:"TableName"`
	Item                                Item                      `json:"Item"`
	ConditionExpression                 Expression                `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure string                    `json:"ReturnValuesOnConditionCheckFailure,omitempty"`

	// failure is the cancellation reason when the condition fails, in
	// place of ConditionalCheckFailed: DuplicateItem for a PartiQL INSERT.
	failure string
}

type TransactDelete struct {
	TableName                           string                    `json:"TableName"`
	Key                                 Item                      `json:"Key"`
	ConditionExpression                 Expression                `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure string                    `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

type TransactUpdate struct {
	TableName                           string                    `json:"TableName"`
	Key                                 Item                      `json:"Key"`
	UpdateExpression                    Expression                `json:"UpdateExpression"`
	ConditionExpression                 Expression                `json:"ConditionExpression,omitempty"`
	ExpressionAttributeNames            map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues           map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	ReturnValuesOnConditionCheckFailure string                    `json:"ReturnValuesOnConditionCheckFailure,omitempty"`
}

type TransactWriteItem struct {
	ConditionCheck *ConditionCheck `json:"ConditionCheck,omitempty"`
	Put            *TransactPut    `json:"Put,omitempty"`
	Delete         *TransactDelete `json:"Delete,omitempty"`
	Update         *TransactUpdate `json:"Update,omitempty"`
}

type TransactWriteItemsInput struct {
	TransactItems               []TransactWriteItem `json:"TransactItems"`
	ClientRequestToken          string              `json:"ClientRequestToken,omitempty"`
	ReturnConsumedCapacity      string              `json:"ReturnConsumedCapacity,omitempty"`
	ReturnItemCollectionMetrics string              `json:"ReturnItemCollectionMetrics,omitempty"`
}

type TransactWriteItemsOutput struct {
	ConsumedCapacity      []ConsumedCapacity                 `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics map[string][]ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

// ClientRequestTokens: a committed transaction's token is stored, with
// the digest of its actions and when it committed, in the transaction's
// own batch, so a retry after a crash is still recognized. For ten minutes
// of server time a repeat with the same actions does nothing and succeeds;
// with other actions it is IdempotentParameterMismatchException. Requests
// with one token are serialized (striped locks), so two concurrent
// retries cannot both apply.
var tokenPrefix = []byte("ddb\x00T\x00")

func tokenKey(sc scope, token string) []byte {
	return []byte(string(tokenPrefix) + sc.account + "\x00" + sc.region + "\x00" + token)
}

// lockToken serializes the transactions that carry one token.
func (s *Service) lockToken(token string) func() { return s.tokenLocks.lock([]byte(token)) }

// expireTokens forgets ClientRequestTokens older than ten minutes of
// server time.
func (s *Service) expireTokens() error {
	cutoff := s.clock.Now().Add(-tokenLife).UnixNano()
	it, err := s.db.NewIter(tokenPrefix, meta.PrefixEnd(tokenPrefix))
	if err != nil {
		return err
	}
	b := s.db.NewBatch()
	for it.First(); it.Valid(); it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		if len(v) != 40 || int64(binary.BigEndian.Uint64(v[32:])) < cutoff {
			b.Delete(slices.Clone(it.Key()))
		}
	}
	if err := it.Close(); err != nil {
		return err
	}
	if b.Empty() {
		return nil
	}
	return b.Commit()
}

// txOp is one action of a transaction, resolved.
type txOp struct {
	table   string // as the action named it, by name or ARN
	rec     tableRecord
	key     []byte
	x       *expressions
	put     Item   // Put
	del     bool   // Delete
	item    Item   // Update and Delete: the key
	failure string // the reason a failed condition gives
	// returnOld is ReturnValuesOnConditionCheckFailure: ALL_OLD puts the
	// item in the reason when the condition fails.
	returnOld string
}

// TransactWriteItems applies up to 100 actions on distinct items all or
// none: every condition is checked with every item locked, then every
// write is one durable commit. A failed condition cancels the whole
// transaction with a reason per action.
func (s *Service) TransactWriteItems(ctx context.Context, in *TransactWriteItemsInput) (*TransactWriteItemsOutput, error) {
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := checkCollectionMetrics(in.ReturnItemCollectionMetrics); err != nil {
		return nil, err
	}
	if err := checkTransactItems(len(in.TransactItems)); err != nil {
		return nil, err
	}
	if err := awserr.LengthValidation(in.ClientRequestToken, "clientRequestToken", len(in.ClientRequestToken), 0, 36); err != nil {
		return nil, err
	}
	var token []byte // the token record this transaction stores
	var tkey []byte
	if in.ClientRequestToken != "" {
		unlock := s.lockToken(in.ClientRequestToken)
		defer unlock()
		body, _ := json.Marshal(in.TransactItems)
		digest := sha256.Sum256(body)
		now := s.clock.Now()
		tkey = tokenKey(scopeOf(ctx), in.ClientRequestToken)
		prev, err := s.db.Get(tkey)
		switch {
		case errors.Is(err, meta.ErrNotFound):
		case err != nil:
			return nil, err
		case len(prev) == 40 && now.Sub(time.Unix(0, int64(binary.BigEndian.Uint64(prev[32:])))) <= tokenLife:
			if !bytes.Equal(prev[:32], digest[:]) {
				return nil, ErrIdempotentMismatch.WithMessage("Request parameters do not match the parameters of the original request with the same ClientRequestToken.")
			}
			return &TransactWriteItemsOutput{}, nil
		}
		token = binary.BigEndian.AppendUint64(digest[:], uint64(now.UnixNano()))
	}
	var tables []string
	for _, it := range in.TransactItems {
		switch {
		case it.ConditionCheck != nil:
			tables = append(tables, it.ConditionCheck.TableName)
		case it.Put != nil:
			tables = append(tables, it.Put.TableName)
		case it.Delete != nil:
			tables = append(tables, it.Delete.TableName)
		case it.Update != nil:
			tables = append(tables, it.Update.TableName)
		}
	}
	recs, release, err := s.lockTables(ctx, tables...)
	if err != nil {
		return nil, err
	}
	defer release()
	ops := make([]txOp, len(in.TransactItems))
	seen := map[string]bool{}
	var keys [][]byte
	for i, it := range in.TransactItems {
		if countSet(it.ConditionCheck != nil, it.Put != nil, it.Delete != nil, it.Update != nil) != 1 {
			return nil, validationf("TransactItems can only contain one of Check, Put, Update or Delete")
		}
		op, err := resolveTx(recs, it)
		if err != nil {
			return nil, err
		}
		if seen[string(op.key)] {
			return nil, validationf("Transaction request cannot include multiple operations on one item")
		}
		seen[string(op.key)] = true
		ops[i], keys = op, append(keys, op.key)
	}
	unlock := s.lockItems(keys...)
	defer unlock()
	reasons := make([]cancellationReason, len(ops))
	failed := false
	news := make([]Item, len(ops))
	olds := make([]Item, len(ops))
	for i, op := range ops {
		reasons[i].Code = "None"
		old, err := s.getItem(op.key)
		if err != nil {
			return nil, err
		}
		olds[i] = old
		next, ok, err := op.outcome(old)
		if e, invalid := awserr.As(err); invalid && e.Code == ErrValidation.Code {
			// What the item it found makes invalid cancels the
			// transaction, with the reason, as DynamoDB cancels it.
			reasons[i], failed = cancellationReason{Code: "ValidationError", Message: e.Message}, true
			continue
		}
		if err != nil {
			return nil, err
		}
		if !ok {
			reasons[i], failed = conditionFailed(op.failure, op.returnOld, old), true
			continue
		}
		news[i] = next
	}
	if failed {
		return nil, transactionCanceled(reasons)
	}
	w := s.newWriteBatch()
	defer w.discard()
	if token != nil {
		w.b.Set(tkey, token)
	}
	units := map[string]float64{}
	ix := indexCharges{}
	for i, op := range ops {
		switch {
		case op.del:
			w.remove(&op.rec, op.key, olds[i], false)
		case news[i] != nil:
			body, err := encodeItem(news[i])
			if err != nil {
				return nil, err
			}
			w.put(&op.rec, op.key, olds[i], news[i], body)
		}
		// Transactional writes cost double, by the larger of the item before
		// and after, as PutItem's do.
		units[op.table] += 2 * replaceUnits(olds[i], news[i])
		if wantsCapacity(in.ReturnConsumedCapacity) && (op.del || news[i] != nil) {
			ix.add(op.table, &op.rec, op.rec.indexUnits(olds[i], news[i]), 2)
		}
	}
	if err := w.commit(); err != nil {
		if full, ok := errors.AsType[*collectionFullError](err); ok {
			return nil, collectionFull(ops, olds, news, full.key)
		}
		return nil, err
	}
	out := &TransactWriteItemsOutput{}
	for _, name := range sortedNames(units) {
		if c := ix.charged(in.ReturnConsumedCapacity, name, units[name]); c != nil {
			out.ConsumedCapacity = append(out.ConsumedCapacity, *c)
		}
	}
	collections := collectionsWritten{mode: in.ReturnItemCollectionMetrics}
	for i, op := range ops {
		written := news[i]
		if op.del {
			written = op.item
		}
		if written == nil {
			continue // a condition check
		}
		collections.add(s, op.table, &op.rec, written, w)
	}
	out.ItemCollectionMetrics = collections.out
	return out, nil
}

// collectionFull cancels a transaction whose writes would grow the item
// collection at key past the limit, naming those that grow it.
func collectionFull(ops []txOp, olds, news []Item, key string) error {
	reasons := make([]cancellationReason, len(ops))
	for i, op := range ops {
		reasons[i].Code = "None"
		if news[i] != nil && op.rec.hasLocalIndexes() && string(op.rec.collectionKey(news[i])) == key &&
			op.rec.collectionShare(news[i]) > op.rec.collectionShare(olds[i]) {
			reasons[i] = cancellationReason{Code: "ItemCollectionSizeLimitExceeded", Message: ErrCollectionSizeLimit.Message}
		}
	}
	return transactionCanceled(reasons)
}

// resolveTx checks one action and finds its table and key.
func resolveTx(recs map[string]tableRecord, it TransactWriteItem) (txOp, error) {
	var op txOp
	var err error
	var table string
	var key Item
	var cond, upd Expression
	var names map[string]string
	var values map[string]AttributeValue
	var kind string // the action's member, for messages
	switch {
	case it.ConditionCheck != nil:
		c := it.ConditionCheck
		table, key, cond, names, values = c.TableName, c.Key, c.ConditionExpression, c.ExpressionAttributeNames, c.ExpressionAttributeValues
		kind, op.returnOld = "conditionCheck", c.ReturnValuesOnConditionCheckFailure
		if cond == "" {
			return op, modelValidation(nil, "transactItems.member.conditionCheck.conditionExpression", "not be null")
		}
	case it.Put != nil:
		p := it.Put
		table, cond, names, values = p.TableName, p.ConditionExpression, p.ExpressionAttributeNames, p.ExpressionAttributeValues
		kind, op.put, op.failure, op.returnOld = "put", p.Item, p.failure, p.ReturnValuesOnConditionCheckFailure
	case it.Delete != nil:
		d := it.Delete
		table, key, cond, names, values = d.TableName, d.Key, d.ConditionExpression, d.ExpressionAttributeNames, d.ExpressionAttributeValues
		kind, op.del, op.item, op.returnOld = "delete", true, key, d.ReturnValuesOnConditionCheckFailure
	default:
		u := it.Update
		kind = "update"
		table, key, cond, upd, names, values = u.TableName, u.Key, u.ConditionExpression, u.UpdateExpression, u.ExpressionAttributeNames, u.ExpressionAttributeValues
		if upd == "" {
			return op, modelValidation(nil, "transactItems.member.update.updateExpression", "not be null")
		}
		op.item, op.returnOld = key, u.ReturnValuesOnConditionCheckFailure
	}
	if err := checkReturnOnFailure("transactItems.member."+kind+".returnValuesOnConditionCheckFailure", op.returnOld); err != nil {
		return op, err
	}
	op.table, op.rec = table, recs[table]
	if op.put != nil {
		if err := checkItem(op.put); err != nil {
			return op, err
		}
		if itemSize(op.put) > maxItemSize {
			return op, validationf("Item size has exceeded the maximum allowed size")
		}
		if op.key, err = op.rec.keyOf(op.put, false); err == nil {
			err = op.rec.checkIndexKeys(op.put)
		}
	} else {
		if err := checkItem(key); err != nil {
			return op, err
		}
		op.key, err = op.rec.keyOf(key, true)
	}
	if err != nil {
		return op, err
	}
	if op.x, err = parseExpressions(names, values, cond, upd, ""); err != nil {
		return op, err
	}
	return op, op.rec.checkUpdateKeys(op.x.update)
}

// outcome is what an action makes of the item it found (old, nil for
// none): the new item (nil for a condition check or a delete), or ok false
// when its condition fails on old.
func (op *txOp) outcome(old Item) (next Item, ok bool, err error) {
	if op.x.condition != nil {
		if ok, err := evaluate(op.x.condition, old); err != nil || !ok {
			return nil, false, err
		}
	}
	switch {
	case op.put != nil:
		return op.put, true, nil
	case op.x.update != nil:
		next, err := op.rec.updated(op.x.update, old, op.item)
		return next, err == nil, err
	}
	return nil, true, nil
}

// cancellationReason is why one action of a canceled transaction
// failed, or None.
type cancellationReason struct {
	Code    string  `json:"Code"`
	Message string  `json:"Message,omitempty"`
	Item    RawItem `json:"Item,omitempty"`
}

// conditionFailed is the reason of an action whose condition failed on
// old: ConditionalCheckFailed, or the action's own failure code (a PartiQL
// INSERT's DuplicateItem), with the item when the action asked for it.
func conditionFailed(failure, returnOld string, old Item) cancellationReason {
	r := cancellationReason{Code: cmp.Or(failure, "ConditionalCheckFailed")}
	switch r.Code {
	case "ConditionalCheckFailed":
		r.Message = "The conditional request failed"
	case "DuplicateItem":
		r.Message = "Duplicate primary key exists in table"
	}
	if returnOld == "ALL_OLD" && old != nil {
		r.Item = appendItem(nil, old)
	}
	return r
}

// transactionCanceled is DynamoDB's cancellation, with a reason per
// action in order.
func transactionCanceled(reasons []cancellationReason) error {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = r.Code
	}
	raw, err := json.Marshal(reasons)
	if err != nil {
		return err
	}
	return ErrTransactionCanceled.WithMessage("Transaction cancelled, please refer cancellation reasons for specific reasons [%s]", strings.Join(codes, ", ")).
		WithJSON("CancellationReasons", raw)
}

type TransactGetItem struct {
	Get *struct {
		TableName                string            `json:"TableName"`
		Key                      Item              `json:"Key"`
		ProjectionExpression     Expression        `json:"ProjectionExpression,omitempty"`
		ExpressionAttributeNames map[string]string `json:"ExpressionAttributeNames,omitempty"`
	} `json:"Get"`
}

type TransactGetItemsInput struct {
	TransactItems          []TransactGetItem `json:"TransactItems"`
	ReturnConsumedCapacity string            `json:"ReturnConsumedCapacity,omitempty"`
}

type ItemResponse struct {
	Item Item `json:"Item,omitempty"`
}

type TransactGetItemsOutput struct {
	Responses        []ItemResponse     `json:"Responses"`
	ConsumedCapacity []ConsumedCapacity `json:"ConsumedCapacity,omitempty"`
}

// TransactGetItems reads up to 100 items as of one moment: their locks
// are held while they are read.
func (s *Service) TransactGetItems(ctx context.Context, in *TransactGetItemsInput) (*TransactGetItemsOutput, error) {
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := checkTransactItems(len(in.TransactItems)); err != nil {
		return nil, err
	}
	type get struct {
		table string // as the request named it
		key   []byte
		rec   tableRecord
		proj  []path
	}
	gets := make([]get, len(in.TransactItems))
	var keys [][]byte
	var tables []string
	for _, it := range in.TransactItems {
		if it.Get == nil {
			return nil, modelValidation(nil, "transactItems.member.get", "not be null")
		}
		tables = append(tables, it.Get.TableName)
	}
	recs, release, err := s.lockTables(ctx, tables...)
	if err != nil {
		return nil, err
	}
	defer release()
	seen := map[string]bool{}
	for i, it := range in.TransactItems {
		rec := recs[it.Get.TableName]
		if err := checkItem(it.Get.Key); err != nil {
			return nil, err
		}
		key, err := rec.keyOf(it.Get.Key, true)
		if err != nil {
			return nil, err
		}
		if seen[string(key)] {
			return nil, validationf("Transaction request cannot include multiple operations on one item")
		}
		seen[string(key)] = true
		x, err := parseExpressions(it.Get.ExpressionAttributeNames, nil, "", "", it.Get.ProjectionExpression)
		if err != nil {
			return nil, err
		}
		if err := rec.checkKeyPaths(x.projection, nil); err != nil {
			return nil, err
		}
		gets[i], keys = get{it.Get.TableName, key, rec, x.projection}, append(keys, key)
	}
	unlock := s.lockItems(keys...)
	defer unlock()
	out := &TransactGetItemsOutput{Responses: make([]ItemResponse, len(gets))}
	units := map[string]float64{}
	for i, g := range gets {
		item, err := s.getItem(g.key)
		if err != nil {
			return nil, err
		}
		units[g.table] += 2 * readUnits(itemSize(item), true)
		if item != nil && g.proj != nil {
			item = project(item, g.proj)
		}
		out.Responses[i].Item = item
	}
	for _, name := range sortedNames(units) {
		if c := consumed(in.ReturnConsumedCapacity, name, units[name], false); c != nil {
			out.ConsumedCapacity = append(out.ConsumedCapacity, *c)
		}
	}
	return out, nil
}
