package glue

import (
	"encoding/json"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

// The catalog's shapes, as Glue's API names them. Members Lakebox stores
// but does not interpret are json.RawMessage so they round-trip exactly.

// Database is a catalog database.
type Database struct {
	Name                          string            `json:"Name"`
	Description                   string            `json:"Description,omitempty"`
	LocationUri                   string            `json:"LocationUri,omitempty"`
	Parameters                    map[string]string `json:"Parameters,omitempty"`
	CreateTime                    *epoch.Time       `json:"CreateTime,omitempty"`
	CreateTableDefaultPermissions json.RawMessage   `json:"CreateTableDefaultPermissions,omitempty"`
	TargetDatabase                json.RawMessage   `json:"TargetDatabase,omitempty"`
	CatalogId                     string            `json:"CatalogId,omitempty"`
	FederatedDatabase             json.RawMessage   `json:"FederatedDatabase,omitempty"`
}

// DatabaseInput is what CreateDatabase and UpdateDatabase take.
type DatabaseInput struct {
	Name                          string            `json:"Name"`
	Description                   string            `json:"Description,omitempty"`
	LocationUri                   string            `json:"LocationUri,omitempty"`
	Parameters                    map[string]string `json:"Parameters,omitempty"`
	CreateTableDefaultPermissions json.RawMessage   `json:"CreateTableDefaultPermissions,omitempty"`
	TargetDatabase                json.RawMessage   `json:"TargetDatabase,omitempty"`
	FederatedDatabase             json.RawMessage   `json:"FederatedDatabase,omitempty"`
}

// Table is a catalog table or view.
type Table struct {
	Name                          string             `json:"Name"`
	DatabaseName                  string             `json:"DatabaseName,omitempty"`
	Description                   string             `json:"Description,omitempty"`
	Owner                         string             `json:"Owner,omitempty"`
	CreateTime                    *epoch.Time        `json:"CreateTime,omitempty"`
	UpdateTime                    *epoch.Time        `json:"UpdateTime,omitempty"`
	LastAccessTime                *epoch.Time        `json:"LastAccessTime,omitempty"`
	LastAnalyzedTime              *epoch.Time        `json:"LastAnalyzedTime,omitempty"`
	Retention                     int64              `json:"Retention"`
	StorageDescriptor             *StorageDescriptor `json:"StorageDescriptor,omitempty"`
	PartitionKeys                 []Column           `json:"PartitionKeys"`
	ViewOriginalText              string             `json:"ViewOriginalText,omitempty"`
	ViewExpandedText              string             `json:"ViewExpandedText,omitempty"`
	TableType                     string             `json:"TableType,omitempty"`
	Parameters                    map[string]string  `json:"Parameters,omitempty"`
	CreatedBy                     string             `json:"CreatedBy,omitempty"`
	IsRegisteredWithLakeFormation bool               `json:"IsRegisteredWithLakeFormation"`
	TargetTable                   json.RawMessage    `json:"TargetTable,omitempty"`
	CatalogId                     string             `json:"CatalogId,omitempty"`
	VersionId                     string             `json:"VersionId,omitempty"`
	ViewDefinition                json.RawMessage    `json:"ViewDefinition,omitempty"`
	IsMultiDialectView            *bool              `json:"IsMultiDialectView,omitempty"`
}

// TableInput is what CreateTable and UpdateTable take.
type TableInput struct {
	Name              string             `json:"Name"`
	Description       string             `json:"Description,omitempty"`
	Owner             string             `json:"Owner,omitempty"`
	LastAccessTime    *epoch.Time        `json:"LastAccessTime,omitempty"`
	LastAnalyzedTime  *epoch.Time        `json:"LastAnalyzedTime,omitempty"`
	Retention         int64              `json:"Retention,omitempty"`
	StorageDescriptor *StorageDescriptor `json:"StorageDescriptor,omitempty"`
	PartitionKeys     []Column           `json:"PartitionKeys,omitempty"`
	ViewOriginalText  string             `json:"ViewOriginalText,omitempty"`
	ViewExpandedText  string             `json:"ViewExpandedText,omitempty"`
	TableType         string             `json:"TableType,omitempty"`
	Parameters        map[string]string  `json:"Parameters,omitempty"`
	TargetTable       json.RawMessage    `json:"TargetTable,omitempty"`
	ViewDefinition    json.RawMessage    `json:"ViewDefinition,omitempty"`
}

// StorageDescriptor says where and how a table's or partition's data is
// stored.
type StorageDescriptor struct {
	Columns                []Column          `json:"Columns,omitempty"`
	Location               string            `json:"Location,omitempty"`
	AdditionalLocations    []string          `json:"AdditionalLocations,omitempty"`
	InputFormat            string            `json:"InputFormat,omitempty"`
	OutputFormat           string            `json:"OutputFormat,omitempty"`
	Compressed             bool              `json:"Compressed"`
	NumberOfBuckets        int64             `json:"NumberOfBuckets"`
	SerdeInfo              *SerDeInfo        `json:"SerdeInfo,omitempty"`
	BucketColumns          []string          `json:"BucketColumns"`
	SortColumns            []Order           `json:"SortColumns"`
	Parameters             map[string]string `json:"Parameters"`
	SkewedInfo             *SkewedInfo       `json:"SkewedInfo,omitempty"`
	StoredAsSubDirectories bool              `json:"StoredAsSubDirectories"`
	SchemaReference        json.RawMessage   `json:"SchemaReference,omitempty"`
}

// Column is a column or partition key.
type Column struct {
	Name       string            `json:"Name"`
	Type       string            `json:"Type,omitempty"`
	Comment    string            `json:"Comment,omitempty"`
	Parameters map[string]string `json:"Parameters,omitempty"`
}

// SerDeInfo names the serializer/deserializer.
type SerDeInfo struct {
	Name                 string            `json:"Name,omitempty"`
	SerializationLibrary string            `json:"SerializationLibrary,omitempty"`
	Parameters           map[string]string `json:"Parameters,omitempty"`
}

// Order is one sort column.
type Order struct {
	Column    string `json:"Column"`
	SortOrder int64  `json:"SortOrder"`
}

// SkewedInfo describes skewed values.
type SkewedInfo struct {
	SkewedColumnNames             []string          `json:"SkewedColumnNames,omitempty"`
	SkewedColumnValues            []string          `json:"SkewedColumnValues,omitempty"`
	SkewedColumnValueLocationMaps map[string]string `json:"SkewedColumnValueLocationMaps,omitempty"`
}

// Partition is one partition of a table.
type Partition struct {
	Values            []string           `json:"Values"`
	DatabaseName      string             `json:"DatabaseName,omitempty"`
	TableName         string             `json:"TableName,omitempty"`
	CreationTime      *epoch.Time        `json:"CreationTime,omitempty"`
	LastAccessTime    *epoch.Time        `json:"LastAccessTime,omitempty"`
	StorageDescriptor *StorageDescriptor `json:"StorageDescriptor,omitempty"`
	Parameters        map[string]string  `json:"Parameters,omitempty"`
	LastAnalyzedTime  *epoch.Time        `json:"LastAnalyzedTime,omitempty"`
	CatalogId         string             `json:"CatalogId,omitempty"`
}

// PartitionInput is what CreatePartition and UpdatePartition take.
type PartitionInput struct {
	Values            []string           `json:"Values"`
	LastAccessTime    *epoch.Time        `json:"LastAccessTime,omitempty"`
	StorageDescriptor *StorageDescriptor `json:"StorageDescriptor,omitempty"`
	Parameters        map[string]string  `json:"Parameters,omitempty"`
	LastAnalyzedTime  *epoch.Time        `json:"LastAnalyzedTime,omitempty"`
}

// PartitionValueList names one partition by its values.
type PartitionValueList struct {
	Values []string `json:"Values"`
}

// ErrorDetail is one failed item of a batch call.
type ErrorDetail struct {
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

// PartitionError is a partition a batch call could not process.
type PartitionError struct {
	PartitionValues []string     `json:"PartitionValues"`
	ErrorDetail     *ErrorDetail `json:"ErrorDetail,omitempty"`
}

// errorDetail renders err for a batch response.
func errorDetail(err error) *ErrorDetail {
	if e, ok := asAWS(err); ok {
		return &ErrorDetail{ErrorCode: e.Code, ErrorMessage: e.Message}
	}
	return &ErrorDetail{ErrorCode: "InternalServiceException", ErrorMessage: "An internal error occurred."}
}
