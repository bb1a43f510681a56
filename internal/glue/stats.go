package glue

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

// Column statistics, stored per table column and per partition column as
// given (Lakebox does not compute them; Glue's statistics task runs are
// not supported).

const maxStatsPerCall = 25

type ColumnStatistics struct {
	ColumnName     string          `json:"ColumnName"`
	ColumnType     string          `json:"ColumnType"`
	AnalyzedTime   *epoch.Time     `json:"AnalyzedTime"`
	StatisticsData json.RawMessage `json:"StatisticsData"`
}

type ColumnStatisticsError struct {
	ColumnStatistics *ColumnStatistics `json:"ColumnStatistics"`
	Error            *ErrorDetail      `json:"Error"`
}

type ColumnError struct {
	ColumnName string       `json:"ColumnName"`
	Error      *ErrorDetail `json:"Error"`
}

// statsTarget is the table, and for partition statistics the partition,
// whose columns statistics describe.
type statsTarget struct {
	sc     scope
	rec    *tableRecord
	values []string // nil for table statistics
}

func (t statsTarget) key(column string) []byte {
	if t.values == nil {
		return t.sc.key(kindTableStat, t.rec.DatabaseName, t.rec.Name, strings.ToLower(column))
	}
	return append(appendTuple(t.sc.key(kindPartStat, t.rec.DatabaseName, t.rec.Name), t.values...), strings.ToLower(column)+"\x00"...)
}

func (t statsTarget) hasColumn(name string) bool {
	if sd := t.rec.StorageDescriptor; sd != nil {
		for _, c := range sd.Columns {
			if strings.EqualFold(c.Name, name) {
				return true
			}
		}
	}
	return false
}

func (s *Service) statsTarget(ctx context.Context, catalogID, db, table string, values []string) (statsTarget, error) {
	sc, rec, err := s.readTable(ctx, catalogID, db, table)
	if err != nil {
		return statsTarget{}, err
	}
	t := statsTarget{sc: sc, rec: rec, values: values}
	if values != nil {
		if err := checkValues(&rec.Table, values); err != nil {
			return t, err
		}
		if ok, err := s.db.Has(partKey(sc, rec.DatabaseName, rec.Name, values)); err != nil {
			return t, err
		} else if !ok {
			return t, notFound("Cannot find partition.")
		}
	}
	return t, nil
}

// lockStats takes the locks a statistics write needs and checks that the
// table still exists under them.
func (s *Service) lockStats(ctx context.Context, t statsTarget) (func(), error) {
	_, _, release, err := s.lockedTable(ctx, t.sc.account, t.rec.DatabaseName, t.rec.Name)
	return release, err
}

func (s *Service) updateStats(ctx context.Context, t statsTarget, list []ColumnStatistics) ([]ColumnStatisticsError, error) {
	if len(list) > maxStatsPerCall {
		return nil, invalid("ColumnStatisticsList can hold at most %d entries.", maxStatsPerCall)
	}
	release, err := s.lockStats(ctx, t)
	if err != nil {
		return nil, err
	}
	defer release()
	errs := []ColumnStatisticsError{}
	b := s.db.NewBatch()
	for i := range list {
		cs := &list[i]
		var typ struct{ Type string }
		switch {
		case !t.hasColumn(cs.ColumnName):
			errs = append(errs, ColumnStatisticsError{cs, errorDetail(notFound("Column %s not found in table %s.", cs.ColumnName, t.rec.Name))})
		case cs.StatisticsData == nil || json.Unmarshal(cs.StatisticsData, &typ) != nil || typ.Type == "":
			errs = append(errs, ColumnStatisticsError{cs, errorDetail(invalid("StatisticsData with a Type is required."))})
		default:
			b.Set(t.key(cs.ColumnName), mustJSON(cs))
		}
	}
	return errs, b.Commit()
}

func (s *Service) getStats(t statsTarget, columns []string) ([]ColumnStatistics, []ColumnError, error) {
	if len(columns) > 100 {
		return nil, nil, invalid("ColumnNames can hold at most 100 names.")
	}
	list, errs := []ColumnStatistics{}, []ColumnError{}
	for _, c := range columns {
		var cs ColumnStatistics
		ok, err := s.getJSON(t.key(c), &cs)
		if err != nil {
			return nil, nil, err
		}
		if !ok {
			errs = append(errs, ColumnError{ColumnName: c, Error: errorDetail(notFound("Statistics for column %s not found.", c))})
			continue
		}
		list = append(list, cs)
	}
	return list, errs, nil
}

func (s *Service) deleteStats(ctx context.Context, t statsTarget, column string) error {
	release, err := s.lockStats(ctx, t)
	if err != nil {
		return err
	}
	defer release()
	key := t.key(column)
	if ok, err := s.db.Has(key); err != nil {
		return err
	} else if !ok {
		return notFound("Statistics for column %s not found.", column)
	}
	b := s.db.NewBatch()
	b.Delete(key)
	return b.Commit()
}

type UpdateColumnStatisticsForTableInput struct {
	CatalogId            string             `json:"CatalogId,omitempty"`
	DatabaseName         string             `json:"DatabaseName"`
	TableName            string             `json:"TableName"`
	ColumnStatisticsList []ColumnStatistics `json:"ColumnStatisticsList"`
}

type UpdateColumnStatisticsOutput struct {
	Errors []ColumnStatisticsError `json:"Errors"`
}

// UpdateColumnStatisticsForTable stores statistics of table columns.
func (s *Service) UpdateColumnStatisticsForTable(ctx context.Context, in *UpdateColumnStatisticsForTableInput) (*UpdateColumnStatisticsOutput, error) {
	t, err := s.statsTarget(ctx, in.CatalogId, in.DatabaseName, in.TableName, nil)
	if err != nil {
		return nil, err
	}
	errs, err := s.updateStats(ctx, t, in.ColumnStatisticsList)
	return &UpdateColumnStatisticsOutput{Errors: errs}, err
}

type GetColumnStatisticsForTableInput struct {
	CatalogId    string   `json:"CatalogId,omitempty"`
	DatabaseName string   `json:"DatabaseName"`
	TableName    string   `json:"TableName"`
	ColumnNames  []string `json:"ColumnNames"`
}

type GetColumnStatisticsOutput struct {
	ColumnStatisticsList []ColumnStatistics `json:"ColumnStatisticsList"`
	Errors               []ColumnError      `json:"Errors"`
}

// GetColumnStatisticsForTable returns stored statistics of table columns.
func (s *Service) GetColumnStatisticsForTable(ctx context.Context, in *GetColumnStatisticsForTableInput) (*GetColumnStatisticsOutput, error) {
	t, err := s.statsTarget(ctx, in.CatalogId, in.DatabaseName, in.TableName, nil)
	if err != nil {
		return nil, err
	}
	list, errs, err := s.getStats(t, in.ColumnNames)
	return &GetColumnStatisticsOutput{ColumnStatisticsList: list, Errors: errs}, err
}

type DeleteColumnStatisticsForTableInput struct {
	CatalogId    string `json:"CatalogId,omitempty"`
	DatabaseName string `json:"DatabaseName"`
	TableName    string `json:"TableName"`
	ColumnName   string `json:"ColumnName"`
}

type DeleteColumnStatisticsOutput struct{}

// DeleteColumnStatisticsForTable removes one column's statistics.
func (s *Service) DeleteColumnStatisticsForTable(ctx context.Context, in *DeleteColumnStatisticsForTableInput) (*DeleteColumnStatisticsOutput, error) {
	t, err := s.statsTarget(ctx, in.CatalogId, in.DatabaseName, in.TableName, nil)
	if err != nil {
		return nil, err
	}
	return &DeleteColumnStatisticsOutput{}, s.deleteStats(ctx, t, in.ColumnName)
}

type UpdateColumnStatisticsForPartitionInput struct {
	CatalogId            string             `json:"CatalogId,omitempty"`
	DatabaseName         string             `json:"DatabaseName"`
	TableName            string             `json:"TableName"`
	PartitionValues      []string           `json:"PartitionValues"`
	ColumnStatisticsList []ColumnStatistics `json:"ColumnStatisticsList"`
}

// UpdateColumnStatisticsForPartition stores statistics of a partition's columns.
func (s *Service) UpdateColumnStatisticsForPartition(ctx context.Context, in *UpdateColumnStatisticsForPartitionInput) (*UpdateColumnStatisticsOutput, error) {
	t, err := s.statsTarget(ctx, in.CatalogId, in.DatabaseName, in.TableName, nonNil(in.PartitionValues))
	if err != nil {
		return nil, err
	}
	errs, err := s.updateStats(ctx, t, in.ColumnStatisticsList)
	return &UpdateColumnStatisticsOutput{Errors: errs}, err
}

type GetColumnStatisticsForPartitionInput struct {
	CatalogId       string   `json:"CatalogId,omitempty"`
	DatabaseName    string   `json:"DatabaseName"`
	TableName       string   `json:"TableName"`
	PartitionValues []string `json:"PartitionValues"`
	ColumnNames     []string `json:"ColumnNames"`
}

// GetColumnStatisticsForPartition returns stored statistics of a partition's columns.
func (s *Service) GetColumnStatisticsForPartition(ctx context.Context, in *GetColumnStatisticsForPartitionInput) (*GetColumnStatisticsOutput, error) {
	t, err := s.statsTarget(ctx, in.CatalogId, in.DatabaseName, in.TableName, nonNil(in.PartitionValues))
	if err != nil {
		return nil, err
	}
	list, errs, err := s.getStats(t, in.ColumnNames)
	return &GetColumnStatisticsOutput{ColumnStatisticsList: list, Errors: errs}, err
}

type DeleteColumnStatisticsForPartitionInput struct {
	CatalogId       string   `json:"CatalogId,omitempty"`
	DatabaseName    string   `json:"DatabaseName"`
	TableName       string   `json:"TableName"`
	PartitionValues []string `json:"PartitionValues"`
	ColumnName      string   `json:"ColumnName"`
}

// DeleteColumnStatisticsForPartition removes one partition column's statistics.
func (s *Service) DeleteColumnStatisticsForPartition(ctx context.Context, in *DeleteColumnStatisticsForPartitionInput) (*DeleteColumnStatisticsOutput, error) {
	t, err := s.statsTarget(ctx, in.CatalogId, in.DatabaseName, in.TableName, nonNil(in.PartitionValues))
	if err != nil {
		return nil, err
	}
	return &DeleteColumnStatisticsOutput{}, s.deleteStats(ctx, t, in.ColumnName)
}

func nonNil(v []string) []string {
	if v == nil {
		return []string{}
	}
	return v
}
