package athena

import (
	"encoding/json"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

type ResultConfiguration struct {
	OutputLocation          string          `json:"OutputLocation,omitempty"`
	EncryptionConfiguration json.RawMessage `json:"EncryptionConfiguration,omitempty"`
	ExpectedBucketOwner     string          `json:"ExpectedBucketOwner,omitempty"`
	AclConfiguration        json.RawMessage `json:"AclConfiguration,omitempty"`
}

type QueryExecutionContext struct {
	Database string `json:"Database,omitempty"`
	Catalog  string `json:"Catalog,omitempty"`
}

type AthenaError struct {
	ErrorCategory int64  `json:"ErrorCategory,omitempty"`
	ErrorType     int64  `json:"ErrorType,omitempty"`
	Retryable     bool   `json:"Retryable"`
	ErrorMessage  string `json:"ErrorMessage,omitempty"`
}

type QueryExecutionStatus struct {
	State              string       `json:"State"`
	StateChangeReason  string       `json:"StateChangeReason,omitempty"`
	SubmissionDateTime *epoch.Time  `json:"SubmissionDateTime,omitempty"`
	CompletionDateTime *epoch.Time  `json:"CompletionDateTime,omitempty"`
	AthenaError        *AthenaError `json:"AthenaError,omitempty"`
}

type QueryExecutionStatistics struct {
	EngineExecutionTimeInMillis      int64  `json:"EngineExecutionTimeInMillis"`
	DataScannedInBytes               int64  `json:"DataScannedInBytes"`
	DataManifestLocation             string `json:"DataManifestLocation,omitempty"`
	TotalExecutionTimeInMillis       int64  `json:"TotalExecutionTimeInMillis"`
	QueryQueueTimeInMillis           int64  `json:"QueryQueueTimeInMillis"`
	ServicePreProcessingTimeInMillis int64  `json:"ServicePreProcessingTimeInMillis"`
	QueryPlanningTimeInMillis        int64  `json:"QueryPlanningTimeInMillis"`
	ServiceProcessingTimeInMillis    int64  `json:"ServiceProcessingTimeInMillis"`
}

type EngineVersion struct {
	SelectedEngineVersion  string `json:"SelectedEngineVersion,omitempty"`
	EffectiveEngineVersion string `json:"EffectiveEngineVersion,omitempty"`
}

// QueryExecution is one query as Athena reports it.
type QueryExecution struct {
	QueryExecutionId      string                    `json:"QueryExecutionId"`
	Query                 string                    `json:"Query"`
	StatementType         string                    `json:"StatementType,omitempty"`
	ResultConfiguration   *ResultConfiguration      `json:"ResultConfiguration,omitempty"`
	QueryExecutionContext *QueryExecutionContext    `json:"QueryExecutionContext,omitempty"`
	Status                QueryExecutionStatus      `json:"Status"`
	Statistics            *QueryExecutionStatistics `json:"Statistics,omitempty"`
	WorkGroup             string                    `json:"WorkGroup,omitempty"`
	EngineVersion         *EngineVersion            `json:"EngineVersion,omitempty"`
	ExecutionParameters   []string                  `json:"ExecutionParameters,omitempty"`
	SubstatementType      string                    `json:"SubstatementType,omitempty"`
}

type ColumnInfo struct {
	CatalogName   string `json:"CatalogName,omitempty"`
	SchemaName    string `json:"SchemaName,omitempty"`
	TableName     string `json:"TableName,omitempty"`
	Name          string `json:"Name"`
	Label         string `json:"Label,omitempty"`
	Type          string `json:"Type"`
	Precision     int64  `json:"Precision"`
	Scale         int64  `json:"Scale"`
	Nullable      string `json:"Nullable,omitempty"`
	CaseSensitive bool   `json:"CaseSensitive"`
}

type Datum struct {
	VarCharValue *string `json:"VarCharValue,omitempty"`
}

type Row struct {
	Data []Datum `json:"Data"`
}

type ResultSetMetadata struct {
	ColumnInfo []ColumnInfo `json:"ColumnInfo"`
}

type ResultSet struct {
	Rows              []Row              `json:"Rows"`
	ResultSetMetadata *ResultSetMetadata `json:"ResultSetMetadata"`
}

type WorkGroupConfiguration struct {
	ResultConfiguration                     *ResultConfiguration `json:"ResultConfiguration,omitempty"`
	EnforceWorkGroupConfiguration           *bool                `json:"EnforceWorkGroupConfiguration,omitempty"`
	PublishCloudWatchMetricsEnabled         *bool                `json:"PublishCloudWatchMetricsEnabled,omitempty"`
	BytesScannedCutoffPerQuery              *int64               `json:"BytesScannedCutoffPerQuery,omitempty"`
	RequesterPaysEnabled                    *bool                `json:"RequesterPaysEnabled,omitempty"`
	EngineVersion                           *EngineVersion       `json:"EngineVersion,omitempty"`
	AdditionalConfiguration                 string               `json:"AdditionalConfiguration,omitempty"`
	ExecutionRole                           string               `json:"ExecutionRole,omitempty"`
	EnableMinimumEncryptionConfiguration    *bool                `json:"EnableMinimumEncryptionConfiguration,omitempty"`
	CustomerContentEncryptionConfiguration  json.RawMessage      `json:"CustomerContentEncryptionConfiguration,omitempty"`
	ManagedQueryResultsConfiguration        json.RawMessage      `json:"ManagedQueryResultsConfiguration,omitempty"`
	MonitoringConfiguration                 json.RawMessage      `json:"MonitoringConfiguration,omitempty"`
	EngineConfiguration                     json.RawMessage      `json:"EngineConfiguration,omitempty"`
	IdentityCenterConfiguration             json.RawMessage      `json:"IdentityCenterConfiguration,omitempty"`
	QueryResultsS3AccessGrantsConfiguration json.RawMessage      `json:"QueryResultsS3AccessGrantsConfiguration,omitempty"`
}

type WorkGroup struct {
	Name          string                  `json:"Name"`
	State         string                  `json:"State,omitempty"`
	Configuration *WorkGroupConfiguration `json:"Configuration,omitempty"`
	Description   string                  `json:"Description,omitempty"`
	CreationTime  *epoch.Time             `json:"CreationTime,omitempty"`
}

type Tag struct {
	Key   string `json:"Key,omitempty"`
	Value string `json:"Value,omitempty"`
}
