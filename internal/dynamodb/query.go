package dynamodb

import (
	"context"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// pageBytes is the data a Query or Scan reads before it stops with a
// LastEvaluatedKey (DynamoDB's 1 MB rule).
const pageBytes = 1 << 20

type QueryInput struct {
	TableName                 string                    `json:"TableName"`
	IndexName                 string                    `json:"IndexName,omitempty"`
	KeyConditionExpression    Expression                `json:"KeyConditionExpression,omitempty"`
	FilterExpression          Expression                `json:"FilterExpression,omitempty"`
	ProjectionExpression      Expression                `json:"ProjectionExpression,omitempty"`
	ExpressionAttributeNames  map[string]string         `json:"ExpressionAttributeNames,omitempty"`
	ExpressionAttributeValues map[string]AttributeValue `json:"ExpressionAttributeValues,omitempty"`
	Select                    string                    `json:"Select,omitempty"`
	Limit                     *int                      `json:"Limit,omitempty"`
	ExclusiveStartKey         Item                      `json:"ExclusiveStartKey,omitempty"`
	ScanIndexForward          *bool                     `json:"ScanIndexForward,omitempty"`
	ConsistentRead            *bool                     `json:"ConsistentRead,omitempty"`
	ReturnConsumedCapacity    string                    `json:"ReturnConsumedCapacity,omitempty"`
	KeyConditions             map[string]Condition      `json:"KeyConditions,omitempty"`
	QueryFilter               map[string]Condition      `json:"QueryFilter,omitempty"`
	ConditionalOperator       string                    `json:"ConditionalOperator,omitempty"`
	AttributesToGet           []string                  `json:"AttributesToGet,omitempty"`

	// Scan's.
	Segment       *int                 `json:"Segment,omitempty"`
	TotalSegments *int                 `json:"TotalSegments,omitempty"`
	ScanFilter    map[string]Condition `json:"ScanFilter,omitempty"`

	// keysInFilter is set by PartiQL, whose WHERE clause may name the
	// sort key beyond what joins the key condition.
	keysInFilter bool
	// pageRead is what the Queries before this one read into the same
	// page, for a PartiQL SELECT of several partitions: a page's 1 MB
	// counts them too.
	pageRead int
}

type QueryOutput struct {
	Items            []RawItem         `json:"Items,omitempty"`
	Count            int               `json:"Count"`
	ScannedCount     int               `json:"ScannedCount"`
	LastEvaluatedKey Item              `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`

	read int // the bytes read, by DynamoDB's item sizes
}

// keyCondition is a Query's key condition: the partition key's value,
// and a condition on the sort key (nil for none).
type keyCondition struct {
	hash *AttributeValue
	sort *condition
}

// parseKeyCondition checks a key condition against the key schema of
// the table or index read. Each condition an AND joins names one key
// attribute, first or (for the comparisons) second: ":v < sk" is read as
// "sk > :v", as DynamoDB reads it. Its refusals are DynamoDB's, in the
// order its extractor finds them (its own emulator and dynalite agree).
func parseKeyCondition(rec *tableRecord, ks *keyspace, src string, env *exprEnv) (*keyCondition, error) {
	c, err := parseCondition("KeyConditionExpression", src, env)
	if err != nil {
		return nil, err
	}
	var parts []*condition
	var flatten func(c *condition) error
	flatten = func(c *condition) error {
		if c.kind == condAnd {
			for _, sub := range c.subs {
				if err := flatten(sub); err != nil {
					return err
				}
			}
			return nil
		}
		p, err := keyPart(c)
		if err != nil {
			return err
		}
		parts = append(parts, p)
		return nil
	}
	if err := flatten(c); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, p := range parts {
		name := p.operands[0].path[0].name
		if seen[name] {
			return nil, validationf("KeyConditionExpressions must only contain one condition per key")
		}
		seen[name] = true
	}
	if len(parts) > 2 {
		return nil, validationf("Conditions can be of length 1 or 2 only")
	}
	hash, rng := ks.hash, ks.rng
	kc := &keyCondition{}
	other := false // a condition on neither key
	for _, p := range parts {
		switch name := p.operands[0].path[0].name; {
		case name == hash:
			if p.kind != condCompare || p.op != "=" {
				return nil, validationf("Query key condition not supported")
			}
			kc.hash = p.operands[1].value
			if kc.hash.Type() != rec.attrType(hash) {
				return nil, validationf("One or more parameter values were invalid: Condition parameter type does not match schema type")
			}
		case name == rng && rng != "":
			for _, o := range p.operands[1:] {
				if o.value.Type() != rec.attrType(rng) {
					return nil, validationf("One or more parameter values were invalid: Condition parameter type does not match schema type")
				}
			}
			kc.sort = p
		default:
			other = true
		}
	}
	// A condition on another attribute is taken, as DynamoDB takes it, for
	// a failed try at the key it does not name.
	switch {
	case kc.hash == nil:
		return nil, validationf("Query condition missed key schema element: %s", hash)
	case other && rng != "" && kc.sort == nil:
		return nil, validationf("Query condition missed key schema element: %s", rng)
	case other:
		return nil, validationf("Query key condition not supported")
	}
	return kc, nil
}

// keyPart checks one condition of a key condition, one that is not an
// AND, and returns it with its key attribute first.
func keyPart(c *condition) (*condition, error) {
	name := c.op // the operator's name in DynamoDB's messages
	switch c.kind {
	case condCompare:
		if c.op == "<>" {
			return nil, validationf("Invalid operator used in KeyConditionExpression: <>")
		}
	case condBetween:
		name = "BETWEEN"
	case condFunc:
		if c.op != "begins_with" {
			return nil, validationf("Invalid operator used in KeyConditionExpression: %s", c.op)
		}
	default:
		return nil, validationf("Invalid operator used in KeyConditionExpression: %s", map[int]string{condOr: "OR", condNot: "NOT", condIn: "IN"}[c.kind])
	}
	key := -1 // the operand naming the key attribute
	for i, o := range c.operands {
		switch o.kind {
		case opPath:
			if key >= 0 {
				return nil, validationf("Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition")
			}
			if len(o.path) > 1 {
				return nil, validationf("Invalid KeyConditionExpression: KeyConditionExpressions cannot have conditions on nested attributes")
			}
			key = i
		case opValue:
			if key < 0 && c.kind != condCompare {
				return nil, validationf("Invalid condition in KeyConditionExpression: %s operator must have the key attribute as its first operand", name)
			}
		default:
			return nil, validationf("KeyConditionExpressions cannot contain nested operations")
		}
	}
	switch key {
	case -1:
		return nil, validationf("Invalid condition in KeyConditionExpression: No key attribute specified")
	case 0:
		return c, nil
	}
	// value op key: key op' value, the comparison turned round.
	turned := map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}[c.op]
	return &condition{kind: condCompare, op: turned, operands: []*operand{c.operands[1], c.operands[0]}}, nil
}

// admits refuses a Query's starting key that its key condition leaves
// out, as DynamoDB does: by the sort key's condition when there is one,
// else by the partition.
func (kc *keyCondition) admits(ks *keyspace, start Item) error {
	if kc.sort != nil {
		ok, err := evaluate(kc.sort, Item{ks.rng: start[ks.rng]})
		if err != nil {
			return err
		}
		if !ok {
			return validationf("The provided starting key does not match the range key predicate")
		}
	}
	if v := start[ks.hash]; !equal(&v, kc.hash) {
		return validationf("The provided starting key is outside query boundaries based on provided conditions")
	}
	return nil
}

// Query reads the items of one partition in sort key order.
func (s *Service) Query(ctx context.Context, in *QueryInput) (*QueryOutput, error) {
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := translateRead(in, in.QueryFilter, true); err != nil {
		return nil, err
	}
	if in.KeyConditionExpression == "" {
		return nil, validationf("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	return s.read(ctx, in, true)
}

// Scan reads a table, or a segment of it, in key order.
func (s *Service) Scan(ctx context.Context, in *QueryInput) (*QueryOutput, error) {
	if err := checkCapacityMode(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if in.KeyConditions != nil || in.QueryFilter != nil {
		return nil, validationf("KeyConditions and QueryFilter are Query parameters")
	}
	if err := translateRead(in, in.ScanFilter, false); err != nil {
		return nil, err
	}
	if in.Segment != nil && in.TotalSegments == nil {
		return nil, validationf("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
	}
	if in.TotalSegments != nil && in.Segment == nil {
		return nil, validationf("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
	}
	if in.TotalSegments != nil {
		if err := awserr.RangeValidation("totalSegments", *in.TotalSegments, 1, 1000000); err != nil {
			return nil, err
		}
		// The model's range first, then the rule that ties it to TotalSegments.
		if err := awserr.RangeValidation("segment", *in.Segment, 0, 999999); err != nil {
			return nil, err
		}
		if *in.Segment >= *in.TotalSegments {
			return nil, validationf("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %d is not less than TotalSegments: %d", *in.Segment, *in.TotalSegments)
		}
	}
	return s.read(ctx, in, false)
}

// translateRead turns a Query's or Scan's legacy parameters (filter is
// QueryFilter or ScanFilter) into expressions.
func translateRead(in *QueryInput, filter map[string]Condition, query bool) error {
	if err := checkAttributesToGet("attributesToGet", in.AttributesToGet); err != nil {
		return err
	}
	if err := checkConditionalOperator(in.ConditionalOperator); err != nil {
		return err
	}
	given := params{keyConditions: in.KeyConditions != nil, queryFilter: in.QueryFilter != nil, scanFilter: in.ScanFilter != nil,
		attributesToGet: in.AttributesToGet != nil, conditionalOperator: in.ConditionalOperator != "",
		keyCondition: in.KeyConditionExpression, filter: in.FilterExpression, projection: in.ProjectionExpression,
		names: in.ExpressionAttributeNames != nil, values: in.ExpressionAttributeValues != nil, valuesFor: "FilterExpression is null"}
	if query {
		given.valuesFor = "FilterExpression and KeyConditionExpression are null"
	}
	if err := given.check(); err != nil {
		return err
	}
	if err := conditionalOperatorUse(in.ConditionalOperator, len(filter)); err != nil {
		return err
	}
	if in.KeyConditions == nil && filter == nil && in.AttributesToGet == nil {
		return nil
	}
	l := legacyMaps(&in.ExpressionAttributeNames, &in.ExpressionAttributeValues)
	var err error
	if in.KeyConditions != nil {
		if n := len(in.KeyConditions); n != 1 && n != 2 {
			return validationf("Conditions can be of length 1 or 2 only")
		}
		for _, name := range sortedNames(in.KeyConditions) {
			switch in.KeyConditions[name].ComparisonOperator {
			case "EQ", "LE", "LT", "GE", "GT", "BEGINS_WITH", "BETWEEN":
			case "NE", "NULL", "NOT_NULL", "CONTAINS", "NOT_CONTAINS", "IN":
				return validationf("Attempted conditional constraint is not an indexable operation")
			}
		}
		l.prefix, l.member = "k", "keyConditions"
		if in.KeyConditionExpression, err = l.conditions(in.KeyConditions, "AND"); err != nil {
			return err
		}
	}
	if filter != nil {
		l.prefix, l.member = "f", "scanFilter"
		if query {
			l.member = "queryFilter"
		}
		if in.FilterExpression, err = l.conditions(filter, in.ConditionalOperator); err != nil {
			return err
		}
	}
	if in.AttributesToGet != nil {
		l.prefix = "p"
		in.ProjectionExpression = l.projection(in.AttributesToGet)
	}
	in.ExpressionAttributeNames, in.ExpressionAttributeValues = nonEmpty(in.ExpressionAttributeNames), nonEmpty(in.ExpressionAttributeValues) // when nothing was translated
	return nil
}

// checkKeyPaths refuses a projection or filter that looks inside a key
// attribute, of the table or of any of its indexes, as DynamoDB refuses
// it: key attributes are scalars.
func (r *tableRecord) checkKeyPaths(proj []path, filter *condition) error {
	nested := map[string]bool{}
	for _, p := range proj {
		if len(p) > 1 {
			nested[p[0].name] = true
		}
	}
	if filter != nil {
		filter.paths(func(p path) {
			if len(p) > 1 {
				nested[p[0].name] = true
			}
		})
	}
	if len(nested) == 0 {
		return nil
	}
	const refusal = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: %s: %s"
	for _, k := range r.KeySchema {
		if nested[k.AttributeName] {
			return validationf(refusal, "Key", k.AttributeName)
		}
	}
	for _, ix := range r.Indexes {
		for _, k := range ix.KeySchema {
			if nested[k.AttributeName] {
				return validationf(refusal, "IndexKey", k.AttributeName)
			}
		}
	}
	return nil
}

// checkFilterKeys refuses a Query's filter that names a key attribute of
// what it reads (the table's or the index's): the key condition is where
// they go. legacy says the filter came as QueryFilter.
func checkFilterKeys(filter *condition, ks *keyspace, legacy bool) error {
	named := map[string]bool{}
	filter.attributes(func(name string) { named[name] = true })
	for _, k := range []string{ks.hash, ks.rng} {
		if k != "" && named[k] {
			what := "Filter Expression"
			if legacy {
				what = "QueryFilter"
			}
			return validationf("%s can only contain non-primary key attributes: Primary key attribute: %s", what, k)
		}
	}
	return nil
}

func (s *Service) read(ctx context.Context, in *QueryInput, query bool) (*QueryOutput, error) {
	limit := 0
	if in.Limit != nil {
		if limit = *in.Limit; limit < 1 {
			return nil, modelValidation(limit, "limit", "have value greater than or equal to 1")
		}
	}
	sel := in.Select
	switch sel {
	case "":
		sel = "ALL_ATTRIBUTES"
		switch {
		case in.ProjectionExpression != "":
			sel = "SPECIFIC_ATTRIBUTES"
		case in.IndexName != "":
			sel = "ALL_PROJECTED_ATTRIBUTES"
		}
	case "ALL_ATTRIBUTES", "COUNT", "ALL_PROJECTED_ATTRIBUTES":
		if in.ProjectionExpression != "" {
			given, what := "ProjectionExpression", sel
			if in.AttributesToGet != nil {
				given = "AttributesToGet"
			}
			if sel == "COUNT" {
				what = "only the Count"
			}
			return nil, validationf("Cannot specify the %s when choosing to get %s", given, what)
		}
		if sel == "ALL_PROJECTED_ATTRIBUTES" && in.IndexName == "" {
			return nil, validationf("ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
		}
	case "SPECIFIC_ATTRIBUTES":
		if in.ProjectionExpression == "" {
			return nil, validationf("Must specify the AttributesToGet or ProjectionExpression when choosing to get SPECIFIC_ATTRIBUTES")
		}
	default:
		return nil, modelValidation(sel, "select", "satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")
	}
	t, err := s.lookup(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	rec := t.rec
	t.mu.RUnlock()
	ks, err := rec.keyspace(in.IndexName)
	if err != nil {
		return nil, err
	}
	if ix := ks.index; ix != nil {
		if ix.Global && consistentRead(in.ConsistentRead) {
			return nil, validationf("Consistent reads are not supported on global secondary indexes")
		}
		if sel == "ALL_ATTRIBUTES" && ix.Projection.ProjectionType != "ALL" {
			if ix.Global {
				return nil, invalidParam("Select type ALL_ATTRIBUTES is not supported for global secondary index %s because its projection type is not ALL", ix.IndexName)
			}
			// A local index fetches the table's item, as DynamoDB does.
		}
	}
	if err := checkNames(in.ExpressionAttributeNames); err != nil {
		return nil, err
	}
	if err := checkValues(in.ExpressionAttributeValues); err != nil {
		return nil, err
	}
	env := newEnv(in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	var kc *keyCondition
	if query {
		if kc, err = parseKeyCondition(&rec, ks, string(in.KeyConditionExpression), env); err != nil {
			return nil, err
		}
	}
	var filter *condition
	if in.FilterExpression != "" {
		if filter, err = parseCondition("FilterExpression", string(in.FilterExpression), env); err != nil {
			return nil, err
		}
	}
	var proj []path
	if in.ProjectionExpression != "" {
		if proj, err = parseProjection(string(in.ProjectionExpression), env); err != nil {
			return nil, err
		}
	}
	if err := rec.checkKeyPaths(proj, filter); err != nil {
		return nil, err
	}
	// A global index has only what it projects: naming more is refused.
	if ix := ks.index; ix != nil && ix.Global && ix.Projection.ProjectionType != "ALL" {
		var missing []string // what the projection names that the index does not keep
		for _, p := range proj {
			if name := p[0].name; !rec.projects(ix, name) && !slices.Contains(missing, name) {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return nil, invalidParam("Global secondary index %s does not project [%s]", ix.IndexName, strings.Join(missing, ", "))
		}
	}
	if query && filter != nil && !in.keysInFilter {
		if err := checkFilterKeys(filter, ks, in.QueryFilter != nil); err != nil {
			return nil, err
		}
	}
	if err := env.checkUnused(); err != nil {
		return nil, err
	}

	// The range of keys to read.
	lower := ks.prefix
	upper := meta.PrefixEnd(lower)
	if query {
		lower = appendKeyPart(lower, kc.hash)
		upper = meta.PrefixEnd(lower)
	}
	forward := in.ScanIndexForward == nil || *in.ScanIndexForward || !query
	var start []byte
	if in.ExclusiveStartKey != nil {
		if err := checkItem(in.ExclusiveStartKey); err != nil {
			return nil, err
		}
		if !query && in.TotalSegments != nil {
			if v, ok := in.ExclusiveStartKey[ks.hash]; ok && segmentOf(v, *in.TotalSegments) != *in.Segment {
				return nil, validationf("The provided starting key is invalid: Invalid ExclusiveStartKey. Please use ExclusiveStartKey with correct Segment. TotalSegments: %d Segment: %d",
					*in.TotalSegments, *in.Segment)
			}
		}
		if start, err = ks.startKey(&rec, in.ExclusiveStartKey); err != nil {
			return nil, err
		}
		if query {
			if err := kc.admits(ks, in.ExclusiveStartKey); err != nil {
				return nil, err
			}
		}
	}
	it, err := s.db.NewIter(lower, upper)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var valid bool
	switch {
	case start != nil && forward:
		valid = it.SeekGE(append(start, 0))
	case start != nil:
		valid = it.SeekLT(start)
	case forward:
		valid = it.First()
	default:
		valid = it.Last()
	}
	hash, rng := ks.hash, ks.rng
	// A local index with a partial projection reads the table's item for
	// ALL_ATTRIBUTES, or for an attribute it does not keep that the
	// projection or the filter names, as DynamoDB does (at extra cost
	// there). A global index cannot: such attributes are just missing.
	fetch := false
	if ix := ks.index; ix != nil && !ix.Global && ix.Projection.ProjectionType != "ALL" {
		fetch = sel == "ALL_ATTRIBUTES"
		need := func(name string) { fetch = fetch || !rec.projects(ix, name) }
		for _, p := range proj {
			need(p[0].name)
		}
		if filter != nil {
			filter.attributes(need)
		}
	}
	// Items pass through as they are stored unless something must look
	// inside them; only the last one read is decoded, for its key.
	decode := (!query && in.TotalSegments != nil) || (query && kc.sort != nil) || fetch || filter != nil || proj != nil
	out := &QueryOutput{}
	// read is the bytes read, by DynamoDB's item sizes: the page ends at
	// 1 MB of them. fetched is the units of the table items a local
	// index's entries fetched, each charged as a GetItem.
	read, fetched := 0, 0.0
	consistent := consistentRead(in.ConsistentRead)
	var arena []byte // the page's raw items, back to back
	for ; valid; valid = step(it, forward) {
		v, err := s.opened(it)
		if err != nil {
			return nil, err
		}
		raw := RawItem(v) // valid until the iterator moves
		var item Item
		if decode {
			if item, err = raw.Decode(); err != nil {
				return nil, err
			}
			if !query && in.TotalSegments != nil && segmentOf(item[hash], *in.TotalSegments) != *in.Segment {
				continue
			}
			if query && kc.sort != nil {
				ok, err := evaluate(kc.sort, Item{rng: item[rng]})
				if err != nil {
					return nil, err
				}
				if !ok {
					continue
				}
			}
		}
		size, err := raw.size() // the table's item or the index's entry
		if err != nil {
			return nil, err
		}
		read += size
		if fetch {
			key, err := rec.keyOf(rec.keyAttributes(item), true)
			if err != nil {
				return nil, err
			}
			full, err := s.getRaw(key)
			if err != nil {
				return nil, err
			}
			if full != nil {
				if sel == "ALL_ATTRIBUTES" { // otherwise the answer is still what the index keeps
					raw = full
				}
				if item, err = full.Decode(); err != nil {
					return nil, err
				}
				fetched += readUnits(itemSize(item), consistent)
			}
		}
		out.ScannedCount++
		match := true
		if filter != nil {
			if match, err = evaluate(filter, item); err != nil {
				return nil, err
			}
		}
		if match {
			out.Count++
			if sel != "COUNT" {
				n := len(arena)
				if proj != nil {
					arena = appendItem(arena, project(item, proj))
				} else {
					arena = append(arena, raw...)
				}
				out.Items = append(out.Items, arena[n:len(arena):len(arena)])
			}
		}
		// As on DynamoDB, a page cut by Limit or by size names where it
		// stopped even when nothing follows (the next page is empty).
		if limit > 0 && out.ScannedCount == limit || in.pageRead+read >= pageBytes {
			if item == nil {
				if item, err = raw.Decode(); err != nil {
					return nil, err
				}
			}
			out.LastEvaluatedKey = ks.lastKey(&rec, item)
			break
		}
	}
	if sel != "COUNT" && out.Items == nil {
		out.Items = []RawItem{}
	}
	out.read = read
	if ks.index != nil { // charged to the index read
		out.ConsumedCapacity = charged(in.ReturnConsumedCapacity, &rec, in.TableName, fetched, map[string]float64{ks.index.IndexName: readUnits(read, consistent)}, false)
	} else {
		out.ConsumedCapacity = consumed(in.ReturnConsumedCapacity, in.TableName, readUnits(read, consistent), false)
	}
	return out, nil
}

func step(it *meta.Iter, forward bool) bool {
	if forward {
		return it.Next()
	}
	return it.Prev()
}

// segmentOf is the Scan segment an item's partition key falls in.
func segmentOf(v AttributeValue, total int) int {
	h := fnv.New64a()
	h.Write(appendKeyPart(nil, &v))
	return int(h.Sum64() % uint64(total))
}
