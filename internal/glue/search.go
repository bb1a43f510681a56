package glue

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
)

type PropertyPredicate struct {
	Key        string `json:"Key,omitempty"`
	Value      string `json:"Value,omitempty"`
	Comparator string `json:"Comparator,omitempty"`
}

type SortCriterion struct {
	FieldName string `json:"FieldName,omitempty"`
	Sort      string `json:"Sort,omitempty"`
}

type SearchTablesInput struct {
	CatalogId            string              `json:"CatalogId,omitempty"`
	NextToken            string              `json:"NextToken,omitempty"`
	Filters              []PropertyPredicate `json:"Filters,omitempty"`
	SearchText           string              `json:"SearchText,omitempty"`
	SortCriteria         []SortCriterion     `json:"SortCriteria,omitempty"`
	MaxResults           int64               `json:"MaxResults,omitempty"`
	ResourceShareType    string              `json:"ResourceShareType,omitempty"`
	IncludeStatusDetails *bool               `json:"IncludeStatusDetails,omitempty"`
}

type SearchTablesOutput struct {
	NextToken string   `json:"NextToken,omitempty"`
	TableList []*Table `json:"TableList"`
}

// SearchTables finds tables across the caller's databases: SearchText
// matches (case-insensitively, as a substring) the database and table
// names, the description, column and partition key names and comments, and
// parameter values; each filter compares a table property (DatabaseName,
// Name, Description, Owner, TableType, Location, or a parameter key) with
// EQUALS, GREATER_THAN, LESS_THAN, GREATER_THAN_EQUALS or
// LESS_THAN_EQUALS. Results are ordered by SortCriteria (one field) or by
// database and table name.
func (s *Service) SearchTables(ctx context.Context, in *SearchTablesInput) (*SearchTablesOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	limit, err := pageSize(in.MaxResults, maxPartitionPage)
	if err != nil {
		return nil, err
	}
	for _, f := range in.Filters {
		switch f.Comparator {
		case "", "EQUALS", "GREATER_THAN", "LESS_THAN", "GREATER_THAN_EQUALS", "LESS_THAN_EQUALS":
		default:
			return nil, invalid("Comparator %s is not valid.", f.Comparator)
		}
	}
	if len(in.SortCriteria) > 1 {
		return nil, invalid("SortCriteria can hold one criterion.")
	}
	offset := 0
	if in.NextToken != "" {
		b, err := decodeToken(in.NextToken)
		if err != nil {
			return nil, err
		}
		if err := json.Unmarshal(b, &offset); err != nil || offset < 0 {
			return nil, invalid("The NextToken is not valid.")
		}
	}
	text := strings.ToLower(in.SearchText)
	var found []*Table
	prefix := sc.key(kindTable)
	err = s.scan(prefix, prefixEnd(prefix), func(_, v []byte) (bool, error) {
		var rec tableRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, err
		}
		t := &rec.Table
		if (text == "" || matchesText(t, text)) && matchesFilters(t, in.Filters) {
			found = append(found, t)
		}
		return true, nil
	})
	if err != nil {
		return nil, err
	}
	if len(in.SortCriteria) == 1 {
		c := in.SortCriteria[0]
		desc := c.Sort == "DESC"
		slices.SortStableFunc(found, func(a, b *Table) int {
			r := strings.Compare(property(a, c.FieldName), property(b, c.FieldName))
			if desc {
				r = -r
			}
			return r
		})
	}
	out := &SearchTablesOutput{TableList: []*Table{}}
	if offset < len(found) {
		end := min(offset+limit, len(found))
		out.TableList = found[offset:end]
		if end < len(found) {
			out.NextToken = encodeToken(mustJSON(end))
		}
	}
	return out, nil
}

func matchesText(t *Table, text string) bool {
	hit := func(s string) bool { return strings.Contains(strings.ToLower(s), text) }
	if hit(t.Name) || hit(t.DatabaseName) || hit(t.Description) {
		return true
	}
	cols := t.PartitionKeys
	if t.StorageDescriptor != nil {
		cols = append(slices.Clip(cols), t.StorageDescriptor.Columns...)
	}
	for _, c := range cols {
		if hit(c.Name) || hit(c.Comment) {
			return true
		}
	}
	for _, v := range t.Parameters {
		if hit(v) {
			return true
		}
	}
	return false
}

func matchesFilters(t *Table, filters []PropertyPredicate) bool {
	for _, f := range filters {
		v := property(t, f.Key)
		c := strings.Compare(v, f.Value)
		var ok bool
		switch f.Comparator {
		case "", "EQUALS":
			ok = strings.EqualFold(v, f.Value)
		case "GREATER_THAN":
			ok = c > 0
		case "LESS_THAN":
			ok = c < 0
		case "GREATER_THAN_EQUALS":
			ok = c >= 0
		case "LESS_THAN_EQUALS":
			ok = c <= 0
		}
		if !ok {
			return false
		}
	}
	return true
}

func property(t *Table, key string) string {
	switch key {
	case "DatabaseName":
		return t.DatabaseName
	case "Name":
		return t.Name
	case "Description":
		return t.Description
	case "Owner":
		return t.Owner
	case "TableType":
		return t.TableType
	case "Location":
		if t.StorageDescriptor != nil {
			return t.StorageDescriptor.Location
		}
		return ""
	case "CreateTime":
		if t.CreateTime != nil {
			return t.CreateTime.UTC().Format("2006-01-02T15:04:05.000Z")
		}
	case "UpdateTime":
		if t.UpdateTime != nil {
			return t.UpdateTime.UTC().Format("2006-01-02T15:04:05.000Z")
		}
	}
	return t.Parameters[key]
}
