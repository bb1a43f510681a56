package athena

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/glue"
)

// Athena's views of the catalog, its saved queries and prepared statements.

const dataCatalog = "AwsDataCatalog"

// ErrMetadata is Athena's error for catalog lookups that fail.
var ErrMetadata = awserr.New("MetadataException", 400, "Metadata error")

func checkCatalog(name string) error {
	if !strings.EqualFold(name, dataCatalog) {
		return ErrMetadata.WithMessage("Catalog %s is not found; Lakebox serves the catalog %s.", name, dataCatalog)
	}
	return nil
}

type DataCatalogSummary struct {
	CatalogName string `json:"CatalogName"`
	Type        string `json:"Type"`
}

type ListDataCatalogsInput struct {
	NextToken  string `json:"NextToken,omitempty"`
	MaxResults int64  `json:"MaxResults,omitempty"`
	WorkGroup  string `json:"WorkGroup,omitempty"`
}

type ListDataCatalogsOutput struct {
	DataCatalogsSummary []DataCatalogSummary `json:"DataCatalogsSummary"`
}

// ListDataCatalogs lists the one catalog: the Glue Data Catalog.
func (s *Service) ListDataCatalogs(ctx context.Context, in *ListDataCatalogsInput) (*ListDataCatalogsOutput, error) {
	return &ListDataCatalogsOutput{DataCatalogsSummary: []DataCatalogSummary{{CatalogName: dataCatalog, Type: "GLUE"}}}, nil
}

type DataCatalog struct {
	Name        string            `json:"Name"`
	Description string            `json:"Description,omitempty"`
	Type        string            `json:"Type"`
	Parameters  map[string]string `json:"Parameters,omitempty"`
}

type GetDataCatalogInput struct {
	Name      string `json:"Name"`
	WorkGroup string `json:"WorkGroup,omitempty"`
}

type GetDataCatalogOutput struct {
	DataCatalog *DataCatalog `json:"DataCatalog"`
}

// GetDataCatalog describes the Glue Data Catalog.
func (s *Service) GetDataCatalog(ctx context.Context, in *GetDataCatalogInput) (*GetDataCatalogOutput, error) {
	if err := checkCatalog(in.Name); err != nil {
		return nil, invalid("%s", err.(*awserr.Error).Message)
	}
	sc := scopeOf(ctx)
	return &GetDataCatalogOutput{DataCatalog: &DataCatalog{Name: dataCatalog, Type: "GLUE", Description: "AWS Glue Data Catalog",
		Parameters: map[string]string{"catalog-id": sc.account}}}, nil
}

type Database struct {
	Name        string            `json:"Name"`
	Description string            `json:"Description,omitempty"`
	Parameters  map[string]string `json:"Parameters,omitempty"`
}

type ListDatabasesInput struct {
	CatalogName string `json:"CatalogName"`
	NextToken   string `json:"NextToken,omitempty"`
	MaxResults  int64  `json:"MaxResults,omitempty"`
	WorkGroup   string `json:"WorkGroup,omitempty"`
}

type ListDatabasesOutput struct {
	DatabaseList []Database `json:"DatabaseList"`
	NextToken    string     `json:"NextToken,omitempty"`
}

// ListDatabases lists the catalog's databases.
func (s *Service) ListDatabases(ctx context.Context, in *ListDatabasesInput) (*ListDatabasesOutput, error) {
	if err := checkCatalog(in.CatalogName); err != nil {
		return nil, err
	}
	max := in.MaxResults
	if max == 0 || max > 50 {
		max = 50
	}
	out, err := s.glue.GetDatabases(scopeOf(ctx).identity(ctx), &glue.GetDatabasesInput{NextToken: in.NextToken, MaxResults: max})
	if err != nil {
		return nil, metadataError(err)
	}
	res := &ListDatabasesOutput{DatabaseList: []Database{}, NextToken: out.NextToken}
	for _, d := range out.DatabaseList {
		res.DatabaseList = append(res.DatabaseList, Database{Name: d.Name, Description: d.Description, Parameters: d.Parameters})
	}
	return res, nil
}

type GetDatabaseInput struct {
	CatalogName  string `json:"CatalogName"`
	DatabaseName string `json:"DatabaseName"`
	WorkGroup    string `json:"WorkGroup,omitempty"`
}

type GetDatabaseOutput struct {
	Database *Database `json:"Database"`
}

// GetDatabase describes one database.
func (s *Service) GetDatabase(ctx context.Context, in *GetDatabaseInput) (*GetDatabaseOutput, error) {
	if err := checkCatalog(in.CatalogName); err != nil {
		return nil, err
	}
	out, err := s.glue.GetDatabase(scopeOf(ctx).identity(ctx), &glue.GetDatabaseInput{Name: in.DatabaseName})
	if err != nil {
		return nil, metadataError(err)
	}
	d := out.Database
	return &GetDatabaseOutput{Database: &Database{Name: d.Name, Description: d.Description, Parameters: d.Parameters}}, nil
}

type MetadataColumn struct {
	Name    string `json:"Name"`
	Type    string `json:"Type,omitempty"`
	Comment string `json:"Comment,omitempty"`
}

type TableMetadata struct {
	Name           string            `json:"Name"`
	CreateTime     *epoch.Time       `json:"CreateTime,omitempty"`
	LastAccessTime *epoch.Time       `json:"LastAccessTime,omitempty"`
	TableType      string            `json:"TableType,omitempty"`
	Columns        []MetadataColumn  `json:"Columns"`
	PartitionKeys  []MetadataColumn  `json:"PartitionKeys"`
	Parameters     map[string]string `json:"Parameters,omitempty"`
}

func tableMetadata(t *glue.Table) TableMetadata {
	m := TableMetadata{Name: t.Name, CreateTime: t.CreateTime, LastAccessTime: t.LastAccessTime, TableType: t.TableType,
		Columns: []MetadataColumn{}, PartitionKeys: []MetadataColumn{}, Parameters: map[string]string{}}
	if sd := t.StorageDescriptor; sd != nil {
		for _, c := range sd.Columns {
			m.Columns = append(m.Columns, MetadataColumn{Name: c.Name, Type: c.Type, Comment: c.Comment})
		}
		m.Parameters["location"] = sd.Location
		m.Parameters["inputformat"] = sd.InputFormat
		m.Parameters["outputformat"] = sd.OutputFormat
		if sd.SerdeInfo != nil {
			m.Parameters["serde.serialization.lib"] = sd.SerdeInfo.SerializationLibrary
			for k, v := range sd.SerdeInfo.Parameters {
				m.Parameters["serde.param."+k] = v
			}
		}
	}
	for _, k := range t.PartitionKeys {
		m.PartitionKeys = append(m.PartitionKeys, MetadataColumn{Name: k.Name, Type: k.Type, Comment: k.Comment})
	}
	for k, v := range t.Parameters {
		m.Parameters[k] = v
	}
	return m
}

type ListTableMetadataInput struct {
	CatalogName  string `json:"CatalogName"`
	DatabaseName string `json:"DatabaseName"`
	Expression   string `json:"Expression,omitempty"`
	NextToken    string `json:"NextToken,omitempty"`
	MaxResults   int64  `json:"MaxResults,omitempty"`
	WorkGroup    string `json:"WorkGroup,omitempty"`
}

type ListTableMetadataOutput struct {
	TableMetadataList []TableMetadata `json:"TableMetadataList"`
	NextToken         string          `json:"NextToken,omitempty"`
}

// ListTableMetadata lists a database's tables, those matching a
// name pattern if Expression is given.
func (s *Service) ListTableMetadata(ctx context.Context, in *ListTableMetadataInput) (*ListTableMetadataOutput, error) {
	if err := checkCatalog(in.CatalogName); err != nil {
		return nil, err
	}
	max := in.MaxResults
	if max == 0 || max > 50 {
		max = 50
	}
	out, err := s.glue.GetTables(scopeOf(ctx).identity(ctx), &glue.GetTablesInput{DatabaseName: in.DatabaseName, Expression: in.Expression, NextToken: in.NextToken, MaxResults: max})
	if err != nil {
		return nil, metadataError(err)
	}
	res := &ListTableMetadataOutput{TableMetadataList: []TableMetadata{}, NextToken: out.NextToken}
	for _, t := range out.TableList {
		res.TableMetadataList = append(res.TableMetadataList, tableMetadata(t))
	}
	return res, nil
}

type GetTableMetadataInput struct {
	CatalogName  string `json:"CatalogName"`
	DatabaseName string `json:"DatabaseName"`
	TableName    string `json:"TableName"`
	WorkGroup    string `json:"WorkGroup,omitempty"`
}

type GetTableMetadataOutput struct {
	TableMetadata *TableMetadata `json:"TableMetadata"`
}

// GetTableMetadata describes one table.
func (s *Service) GetTableMetadata(ctx context.Context, in *GetTableMetadataInput) (*GetTableMetadataOutput, error) {
	if err := checkCatalog(in.CatalogName); err != nil {
		return nil, err
	}
	out, err := s.glue.GetTable(scopeOf(ctx).identity(ctx), &glue.GetTableInput{DatabaseName: in.DatabaseName, Name: in.TableName})
	if err != nil {
		return nil, metadataError(err)
	}
	m := tableMetadata(out.Table)
	return &GetTableMetadataOutput{TableMetadata: &m}, nil
}

func metadataError(err error) error {
	if e, ok := awserr.As(err); ok && e.Code == "EntityNotFoundException" {
		return ErrMetadata.WithMessage("%s", e.Message)
	}
	return err
}

// Named queries: saved SQL, per workgroup.

type NamedQuery struct {
	Name         string `json:"Name"`
	Description  string `json:"Description,omitempty"`
	Database     string `json:"Database"`
	QueryString  string `json:"QueryString"`
	NamedQueryId string `json:"NamedQueryId"`
	WorkGroup    string `json:"WorkGroup,omitempty"`
}

type CreateNamedQueryInput struct {
	Name               string `json:"Name"`
	Description        string `json:"Description,omitempty"`
	Database           string `json:"Database"`
	QueryString        string `json:"QueryString"`
	ClientRequestToken string `json:"ClientRequestToken,omitempty"`
	WorkGroup          string `json:"WorkGroup,omitempty"`
}

type CreateNamedQueryOutput struct {
	NamedQueryId string `json:"NamedQueryId"`
}

// CreateNamedQuery saves a query.
func (s *Service) CreateNamedQuery(ctx context.Context, in *CreateNamedQueryInput) (*CreateNamedQueryOutput, error) {
	sc := scopeOf(ctx)
	if in.Name == "" || len(in.Name) > 128 || in.Database == "" || in.QueryString == "" {
		return nil, invalid("Name (1 to 128 characters), Database and QueryString are required.")
	}
	wg, err := s.workGroup(sc, in.WorkGroup)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if in.ClientRequestToken != "" {
		var id string
		if ok, err := s.getJSON(sc.key(kindToken, "nq:"+in.ClientRequestToken), &id); err != nil {
			return nil, err
		} else if ok {
			return &CreateNamedQueryOutput{NamedQueryId: id}, nil
		}
	}
	nq := NamedQuery{Name: in.Name, Description: in.Description, Database: in.Database, QueryString: in.QueryString, NamedQueryId: newID(), WorkGroup: wg.Name}
	b := s.db.NewBatch()
	b.Set(sc.key(kindNamedQuery, nq.NamedQueryId), mustJSON(&nq))
	if in.ClientRequestToken != "" {
		b.Set(sc.key(kindToken, "nq:"+in.ClientRequestToken), mustJSON(nq.NamedQueryId))
	}
	return &CreateNamedQueryOutput{NamedQueryId: nq.NamedQueryId}, b.Commit()
}

type NamedQueryIdInput struct {
	NamedQueryId string `json:"NamedQueryId"`
}

type GetNamedQueryOutput struct {
	NamedQuery *NamedQuery `json:"NamedQuery"`
}

func (s *Service) namedQuery(sc scope, id string) (*NamedQuery, error) {
	var nq NamedQuery
	ok, err := s.getJSON(sc.key(kindNamedQuery, id), &nq)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, invalid("NamedQuery %s was not found", id)
	}
	return &nq, nil
}

// GetNamedQuery returns a saved query.
func (s *Service) GetNamedQuery(ctx context.Context, in *NamedQueryIdInput) (*GetNamedQueryOutput, error) {
	nq, err := s.namedQuery(scopeOf(ctx), in.NamedQueryId)
	if err != nil {
		return nil, err
	}
	return &GetNamedQueryOutput{NamedQuery: nq}, nil
}

type DeleteNamedQueryOutput struct{}

// DeleteNamedQuery removes a saved query.
func (s *Service) DeleteNamedQuery(ctx context.Context, in *NamedQueryIdInput) (*DeleteNamedQueryOutput, error) {
	sc := scopeOf(ctx)
	if _, err := s.namedQuery(sc, in.NamedQueryId); err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	b.Delete(sc.key(kindNamedQuery, in.NamedQueryId))
	return &DeleteNamedQueryOutput{}, b.Commit()
}

type ListNamedQueriesInput struct {
	NextToken  string `json:"NextToken,omitempty"`
	MaxResults int64  `json:"MaxResults,omitempty"`
	WorkGroup  string `json:"WorkGroup,omitempty"`
}

type ListNamedQueriesOutput struct {
	NamedQueryIds []string `json:"NamedQueryIds"`
	NextToken     string   `json:"NextToken,omitempty"`
}

// ListNamedQueries lists a workgroup's saved queries.
func (s *Service) ListNamedQueries(ctx context.Context, in *ListNamedQueriesInput) (*ListNamedQueriesOutput, error) {
	sc := scopeOf(ctx)
	wg, err := s.workGroup(sc, in.WorkGroup)
	if err != nil {
		return nil, err
	}
	limit := int(in.MaxResults)
	if limit <= 0 || limit > 50 {
		limit = 50
	}
	prefix := sc.key(kindNamedQuery)
	lower := prefix
	if in.NextToken != "" {
		t, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil {
			return nil, invalid("The NextToken is not valid.")
		}
		lower = append(append([]byte(nil), prefix...), t...)
	}
	it, err := s.db.NewIter(lower, prefixEnd(prefix))
	if err != nil {
		return nil, err
	}
	out := &ListNamedQueriesOutput{NamedQueryIds: []string{}}
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return nil, err
		}
		var nq NamedQuery
		if err := json.Unmarshal(v, &nq); err != nil {
			it.Close()
			return nil, err
		}
		if nq.WorkGroup != wg.Name {
			continue
		}
		if len(out.NamedQueryIds) == limit {
			out.NextToken = base64.RawURLEncoding.EncodeToString(it.Key()[len(prefix):])
			break
		}
		out.NamedQueryIds = append(out.NamedQueryIds, nq.NamedQueryId)
	}
	return out, it.Close()
}

type BatchGetNamedQueryInput struct {
	NamedQueryIds []string `json:"NamedQueryIds"`
}

type UnprocessedNamedQueryId struct {
	NamedQueryId string `json:"NamedQueryId,omitempty"`
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

type BatchGetNamedQueryOutput struct {
	NamedQueries             []NamedQuery              `json:"NamedQueries"`
	UnprocessedNamedQueryIds []UnprocessedNamedQueryId `json:"UnprocessedNamedQueryIds"`
}

// BatchGetNamedQuery returns up to 50 saved queries.
func (s *Service) BatchGetNamedQuery(ctx context.Context, in *BatchGetNamedQueryInput) (*BatchGetNamedQueryOutput, error) {
	if len(in.NamedQueryIds) == 0 || len(in.NamedQueryIds) > 50 {
		return nil, invalid("NamedQueryIds must hold 1 to 50 ids.")
	}
	sc := scopeOf(ctx)
	found, missing, err := batchGet(in.NamedQueryIds, func(id string) (NamedQuery, error) {
		nq, err := s.namedQuery(sc, id)
		if err != nil {
			return NamedQuery{}, err
		}
		return *nq, nil
	})
	out := &BatchGetNamedQueryOutput{NamedQueries: found, UnprocessedNamedQueryIds: []UnprocessedNamedQueryId{}}
	for _, id := range missing {
		out.UnprocessedNamedQueryIds = append(out.UnprocessedNamedQueryIds, UnprocessedNamedQueryId{NamedQueryId: id, ErrorCode: "INVALID_INPUT", ErrorMessage: "NamedQuery " + id + " was not found"})
	}
	return out, err
}

type QueryRuntimeStatisticsTimeline struct {
	QueryQueueTimeInMillis           int64 `json:"QueryQueueTimeInMillis"`
	ServicePreProcessingTimeInMillis int64 `json:"ServicePreProcessingTimeInMillis"`
	QueryPlanningTimeInMillis        int64 `json:"QueryPlanningTimeInMillis"`
	EngineExecutionTimeInMillis      int64 `json:"EngineExecutionTimeInMillis"`
	ServiceProcessingTimeInMillis    int64 `json:"ServiceProcessingTimeInMillis"`
	TotalExecutionTimeInMillis       int64 `json:"TotalExecutionTimeInMillis"`
}

type QueryRuntimeStatisticsRows struct {
	InputRows   int64 `json:"InputRows"`
	InputBytes  int64 `json:"InputBytes"`
	OutputBytes int64 `json:"OutputBytes"`
	OutputRows  int64 `json:"OutputRows"`
}

type QueryRuntimeStatistics struct {
	Timeline *QueryRuntimeStatisticsTimeline `json:"Timeline"`
	Rows     *QueryRuntimeStatisticsRows     `json:"Rows"`
}

type GetQueryRuntimeStatisticsInput struct {
	QueryExecutionId string `json:"QueryExecutionId"`
}

type GetQueryRuntimeStatisticsOutput struct {
	QueryRuntimeStatistics *QueryRuntimeStatistics `json:"QueryRuntimeStatistics"`
}

// GetQueryRuntimeStatistics reports a finished query's timeline and the
// bytes it read and rows it returned (the engine's row counts by stage are
// not kept).
func (s *Service) GetQueryRuntimeStatistics(ctx context.Context, in *GetQueryRuntimeStatisticsInput) (*GetQueryRuntimeStatisticsOutput, error) {
	rec, err := s.record(scopeOf(ctx), in.QueryExecutionId)
	if err != nil {
		return nil, err
	}
	st := rec.Statistics
	if st == nil {
		st = &QueryExecutionStatistics{}
	}
	return &GetQueryRuntimeStatisticsOutput{QueryRuntimeStatistics: &QueryRuntimeStatistics{
		Timeline: &QueryRuntimeStatisticsTimeline{QueryQueueTimeInMillis: st.QueryQueueTimeInMillis, EngineExecutionTimeInMillis: st.EngineExecutionTimeInMillis,
			TotalExecutionTimeInMillis: st.TotalExecutionTimeInMillis},
		Rows: &QueryRuntimeStatisticsRows{InputBytes: st.DataScannedInBytes, OutputRows: int64(rec.Rows)},
	}}, nil
}
