package glue

import (
	"context"
	"encoding/json"
)

// defaultPermissions is what Glue reports for a database created without
// CreateTableDefaultPermissions while Lake Formation is not in use.
var defaultPermissions = json.RawMessage(`[{"Principal":{"DataLakePrincipalIdentifier":"IAM_ALLOWED_PRINCIPALS"},"Permissions":["ALL"]}]`)

type CreateDatabaseInput struct {
	CatalogId     string            `json:"CatalogId,omitempty"`
	DatabaseInput *DatabaseInput    `json:"DatabaseInput"`
	Tags          map[string]string `json:"Tags,omitempty"`
}

type CreateDatabaseOutput struct{}

// CreateDatabase creates a database.
func (s *Service) CreateDatabase(ctx context.Context, in *CreateDatabaseInput) (*CreateDatabaseOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	if in.DatabaseInput == nil {
		return nil, invalid("DatabaseInput is required.")
	}
	name, err := checkName("Database", in.DatabaseInput.Name)
	if err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	if in.DatabaseInput.FederatedDatabase != nil || in.DatabaseInput.TargetDatabase != nil {
		return nil, notSupported("Federated and resource-link databases")
	}
	s.catalogMu.Lock()
	defer s.catalogMu.Unlock()
	key := sc.key(kindDatabase, name)
	if ok, err := s.db.Has(key); err != nil {
		return nil, err
	} else if ok {
		return nil, exists("Database already exists.")
	}
	d := databaseFrom(in.DatabaseInput, name, sc)
	d.CreateTime = s.now()
	b := s.db.NewBatch()
	b.Set(key, mustJSON(d))
	if len(in.Tags) > 0 {
		b.Set(sc.key(kindTag, arn(sc, "database/"+name)), mustJSON(in.Tags))
	}
	return &CreateDatabaseOutput{}, b.Commit()
}

func databaseFrom(in *DatabaseInput, name string, sc scope) *Database {
	d := &Database{
		Name:                          name,
		Description:                   in.Description,
		LocationUri:                   in.LocationUri,
		Parameters:                    in.Parameters,
		CreateTableDefaultPermissions: in.CreateTableDefaultPermissions,
		CatalogId:                     sc.account,
	}
	if d.CreateTableDefaultPermissions == nil {
		d.CreateTableDefaultPermissions = defaultPermissions
	}
	return d
}

type GetDatabaseInput struct {
	CatalogId string `json:"CatalogId,omitempty"`
	Name      string `json:"Name"`
}

type GetDatabaseOutput struct {
	Database *Database `json:"Database"`
}

// GetDatabase returns one database.
func (s *Service) GetDatabase(ctx context.Context, in *GetDatabaseInput) (*GetDatabaseOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	d, err := s.database(sc, in.Name)
	if err != nil {
		return nil, err
	}
	return &GetDatabaseOutput{Database: d}, nil
}

// database reads a database by its (not yet lowercased) name.
func (s *Service) database(sc scope, name string) (*Database, error) {
	name, err := checkName("Database", name)
	if err != nil {
		return nil, err
	}
	var d Database
	ok, err := s.getJSON(sc.key(kindDatabase, name), &d)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("Database %s not found.", name)
	}
	return &d, nil
}

type GetDatabasesInput struct {
	CatalogId         string `json:"CatalogId,omitempty"`
	NextToken         string `json:"NextToken,omitempty"`
	MaxResults        int64  `json:"MaxResults,omitempty"`
	ResourceShareType string `json:"ResourceShareType,omitempty"`
	AttributesToGet   []string
}

type GetDatabasesOutput struct {
	DatabaseList []*Database `json:"DatabaseList"`
	NextToken    string      `json:"NextToken,omitempty"`
}

// GetDatabases lists databases in name order.
func (s *Service) GetDatabases(ctx context.Context, in *GetDatabasesInput) (*GetDatabasesOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	switch in.ResourceShareType {
	case "", "ALL", "FOREIGN":
	case "FEDERATED":
	default:
		return nil, invalid("ResourceShareType must be one of FOREIGN, ALL, FEDERATED.")
	}
	limit, err := pageSize(in.MaxResults, maxCatalogPage)
	if err != nil {
		return nil, err
	}
	namesOnly := len(in.AttributesToGet) > 0
	for _, a := range in.AttributesToGet {
		if a != "NAME" {
			return nil, invalid("AttributesToGet may only contain NAME.")
		}
	}
	out := &GetDatabasesOutput{DatabaseList: []*Database{}}
	if in.ResourceShareType == "FOREIGN" || in.ResourceShareType == "FEDERATED" {
		return out, nil // no database is shared with this account
	}
	prefix := sc.key(kindDatabase)
	lower, err := resume(prefix, in.NextToken)
	if err != nil {
		return nil, err
	}
	err = s.scan(lower, prefixEnd(prefix), func(k, v []byte) (bool, error) {
		if len(out.DatabaseList) == limit {
			out.NextToken = encodeToken(k[len(prefix):])
			return false, nil
		}
		var d Database
		if err := json.Unmarshal(v, &d); err != nil {
			return false, err
		}
		if namesOnly {
			d = Database{Name: d.Name}
		}
		out.DatabaseList = append(out.DatabaseList, &d)
		return true, nil
	})
	return out, err
}

// resume returns the lower bound of a listing under prefix that continues
// from token (the key suffix of the first item not yet returned).
func resume(prefix []byte, token string) ([]byte, error) {
	if token == "" {
		return prefix, nil
	}
	t, err := decodeToken(token)
	if err != nil {
		return nil, err
	}
	return append(append([]byte(nil), prefix...), t...), nil
}

type UpdateDatabaseInput struct {
	CatalogId     string         `json:"CatalogId,omitempty"`
	Name          string         `json:"Name"`
	DatabaseInput *DatabaseInput `json:"DatabaseInput"`
}

type UpdateDatabaseOutput struct{}

// UpdateDatabase replaces a database's definition. Renaming is not allowed.
func (s *Service) UpdateDatabase(ctx context.Context, in *UpdateDatabaseInput) (*UpdateDatabaseOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	if in.DatabaseInput == nil {
		return nil, invalid("DatabaseInput is required.")
	}
	s.catalogMu.Lock()
	defer s.catalogMu.Unlock()
	old, err := s.database(sc, in.Name)
	if err != nil {
		return nil, err
	}
	newName, err := checkName("Database", in.DatabaseInput.Name)
	if err != nil {
		return nil, err
	}
	if newName != old.Name {
		return nil, invalid("Database name cannot be changed: %s to %s.", old.Name, newName)
	}
	d := databaseFrom(in.DatabaseInput, old.Name, sc)
	d.CreateTime = old.CreateTime
	b := s.db.NewBatch()
	b.Set(sc.key(kindDatabase, old.Name), mustJSON(d))
	return &UpdateDatabaseOutput{}, b.Commit()
}

type DeleteDatabaseInput struct {
	CatalogId string `json:"CatalogId,omitempty"`
	Name      string `json:"Name"`
}

type DeleteDatabaseOutput struct{}

// DeleteDatabase removes a database with all its tables, partitions,
// versions, statistics and tags, in one batch.
func (s *Service) DeleteDatabase(ctx context.Context, in *DeleteDatabaseInput) (*DeleteDatabaseOutput, error) {
	sc, err := scopeOf(ctx, in.CatalogId)
	if err != nil {
		return nil, err
	}
	s.catalogMu.Lock()
	defer s.catalogMu.Unlock()
	d, err := s.database(sc, in.Name)
	if err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	// Table tags live under the tables' ARNs.
	tables := sc.key(kindTable, d.Name)
	err = s.scan(tables, prefixEnd(tables), func(k, _ []byte) (bool, error) {
		name := string(k[len(tables) : len(k)-1])
		b.Delete(sc.key(kindTag, arn(sc, "table/"+d.Name+"/"+name)))
		return true, nil
	})
	if err != nil {
		b.Close()
		return nil, err
	}
	for _, kind := range []byte{kindTable, kindVersion, kindPartition, kindIndex, kindTableStat, kindPartStat} {
		p := sc.key(kind, d.Name)
		b.DeleteRange(p, prefixEnd(p))
	}
	b.Delete(sc.key(kindDatabase, d.Name))
	b.Delete(sc.key(kindTag, arn(sc, "database/"+d.Name)))
	return &DeleteDatabaseOutput{}, b.Commit()
}
