package glue

import (
	"context"
	"encoding/json"
	"strconv"
)

// TableVersion is one archived definition of a table.
type TableVersion struct {
	Table     *Table `json:"Table"`
	VersionId string `json:"VersionId"`
}

type GetTableVersionsInput struct {
	CatalogId    string `json:"CatalogId,omitempty"`
	DatabaseName string `json:"DatabaseName"`
	TableName    string `json:"TableName"`
	NextToken    string `json:"NextToken,omitempty"`
	MaxResults   int64  `json:"MaxResults,omitempty"`
}

type GetTableVersionsOutput struct {
	TableVersions []TableVersion `json:"TableVersions"`
	NextToken     string         `json:"NextToken,omitempty"`
}

// GetTableVersions lists a table's versions, newest first.
func (s *Service) GetTableVersions(ctx context.Context, in *GetTableVersionsInput) (*GetTableVersionsOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	limit, err := pageSize(in.MaxResults, maxCatalogPage)
	if err != nil {
		return nil, err
	}
	rec, err := s.table(sc, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	prefix := sc.key(kindVersion, rec.DatabaseName, rec.Name)
	lower, err := resume(prefix, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &GetTableVersionsOutput{TableVersions: []TableVersion{}}
	err = s.scan(lower, prefixEnd(prefix), func(k, v []byte) (bool, error) {
		if len(out.TableVersions) == limit {
			out.NextToken = encodeToken(k[len(prefix):])
			return false, nil
		}
		var t Table
		if err := json.Unmarshal(v, &t); err != nil {
			return false, err
		}
		out.TableVersions = append(out.TableVersions, TableVersion{Table: &t, VersionId: t.VersionId})
		return true, nil
	})
	return out, err
}

type GetTableVersionInput struct {
	CatalogId    string `json:"CatalogId,omitempty"`
	DatabaseName string `json:"DatabaseName"`
	TableName    string `json:"TableName"`
	VersionId    string `json:"VersionId,omitempty"`
}

type GetTableVersionOutput struct {
	TableVersion *TableVersion `json:"TableVersion"`
}

// GetTableVersion returns one version, the current one without VersionId.
func (s *Service) GetTableVersion(ctx context.Context, in *GetTableVersionInput) (*GetTableVersionOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	rec, err := s.table(sc, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	if in.VersionId == "" {
		return &GetTableVersionOutput{TableVersion: &TableVersion{Table: &rec.Table, VersionId: rec.VersionId}}, nil
	}
	v, err := parseVersion(in.VersionId)
	if err != nil {
		return nil, err
	}
	var t Table
	ok, err := s.getJSON(versionKey(sc, rec.DatabaseName, rec.Name, v), &t)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("Version %s of table %s not found.", in.VersionId, rec.Name)
	}
	return &GetTableVersionOutput{TableVersion: &TableVersion{Table: &t, VersionId: t.VersionId}}, nil
}

func parseVersion(id string) (int64, error) {
	v, err := strconv.ParseInt(id, 10, 64)
	if err != nil || v < 0 {
		return 0, invalid("VersionId %q is not a valid version.", id)
	}
	return v, nil
}

type DeleteTableVersionInput struct {
	CatalogId    string `json:"CatalogId,omitempty"`
	DatabaseName string `json:"DatabaseName"`
	TableName    string `json:"TableName"`
	VersionId    string `json:"VersionId"`
}

type DeleteTableVersionOutput struct{}

// DeleteTableVersion removes an archived version; the current one stays.
func (s *Service) DeleteTableVersion(ctx context.Context, in *DeleteTableVersionInput) (*DeleteTableVersionOutput, error) {
	out, err := s.BatchDeleteTableVersion(ctx, &BatchDeleteTableVersionInput{
		CatalogId: in.CatalogId, DatabaseName: in.DatabaseName, TableName: in.TableName, VersionIds: []string{in.VersionId},
	})
	if err != nil {
		return nil, err
	}
	if len(out.Errors) > 0 {
		return nil, errorFromDetail(out.Errors[0].ErrorDetail)
	}
	return &DeleteTableVersionOutput{}, nil
}

type BatchDeleteTableVersionInput struct {
	CatalogId    string   `json:"CatalogId,omitempty"`
	DatabaseName string   `json:"DatabaseName"`
	TableName    string   `json:"TableName"`
	VersionIds   []string `json:"VersionIds"`
}

type TableVersionError struct {
	TableName   string       `json:"TableName"`
	VersionId   string       `json:"VersionId"`
	ErrorDetail *ErrorDetail `json:"ErrorDetail"`
}

type BatchDeleteTableVersionOutput struct {
	Errors []TableVersionError `json:"Errors"`
}

// BatchDeleteTableVersion removes up to 100 archived versions.
func (s *Service) BatchDeleteTableVersion(ctx context.Context, in *BatchDeleteTableVersionInput) (*BatchDeleteTableVersionOutput, error) {
	if len(in.VersionIds) > 100 {
		return nil, invalid("VersionIds can hold at most 100 versions.")
	}
	sc, rec, release, err := s.lockedTable(ctx, in.CatalogId, in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	defer release()
	out := &BatchDeleteTableVersionOutput{Errors: []TableVersionError{}}
	b := s.db.NewBatch()
	fail := func(id string, err error) {
		out.Errors = append(out.Errors, TableVersionError{TableName: rec.Name, VersionId: id, ErrorDetail: errorDetail(err)})
	}
	for _, id := range in.VersionIds {
		v, err := parseVersion(id)
		if err != nil {
			fail(id, err)
			continue
		}
		if v == rec.Version {
			fail(id, invalid("Version %s is the current version of table %s and cannot be deleted.", id, rec.Name))
			continue
		}
		key := versionKey(sc, rec.DatabaseName, rec.Name, v)
		if ok, err := s.db.Has(key); err != nil {
			b.Close()
			return nil, err
		} else if !ok {
			fail(id, notFound("Version %s of table %s not found.", id, rec.Name))
			continue
		}
		b.Delete(key)
	}
	return out, b.Commit()
}
