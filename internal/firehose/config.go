package firehose

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// The wire shapes of a destination's configuration. A delivery stream
// keeps its ExtendedS3 destination in these shapes, normalized: defaults
// filled in, so Describe returns what delivery uses.

type BufferingHints struct {
	SizeInMBs         *int `json:"SizeInMBs,omitempty"`
	IntervalInSeconds *int `json:"IntervalInSeconds,omitempty"`
}

type ProcessorParameter struct {
	ParameterName  string `json:"ParameterName"`
	ParameterValue string `json:"ParameterValue"`
}

type Processor struct {
	Type       string               `json:"Type"`
	Parameters []ProcessorParameter `json:"Parameters,omitempty"`
}

// param returns the value of the processor's parameter name, or def.
func (p Processor) param(name, def string) string {
	for _, x := range p.Parameters {
		if x.ParameterName == name {
			return x.ParameterValue
		}
	}
	return def
}

type ProcessingConfiguration struct {
	Enabled    *bool       `json:"Enabled,omitempty"`
	Processors []Processor `json:"Processors,omitempty"`
}

type RetryOptions struct {
	DurationInSeconds *int `json:"DurationInSeconds,omitempty"`
}

type DynamicPartitioningConfiguration struct {
	RetryOptions *RetryOptions `json:"RetryOptions,omitempty"`
	Enabled      *bool         `json:"Enabled,omitempty"`
}

type SchemaConfiguration struct {
	RoleARN      string `json:"RoleARN,omitempty"`
	CatalogId    string `json:"CatalogId,omitempty"`
	DatabaseName string `json:"DatabaseName,omitempty"`
	TableName    string `json:"TableName,omitempty"`
	Region       string `json:"Region,omitempty"`
	VersionId    string `json:"VersionId,omitempty"`
}

type OpenXJsonSerDe struct {
	ConvertDotsInJsonKeysToUnderscores *bool             `json:"ConvertDotsInJsonKeysToUnderscores,omitempty"`
	CaseInsensitive                    *bool             `json:"CaseInsensitive,omitempty"`
	ColumnToJsonKeyMappings            map[string]string `json:"ColumnToJsonKeyMappings,omitempty"`
}

type HiveJsonSerDe struct {
	TimestampFormats []string `json:"TimestampFormats,omitempty"`
}

type Deserializer struct {
	OpenXJsonSerDe *OpenXJsonSerDe `json:"OpenXJsonSerDe,omitempty"`
	HiveJsonSerDe  *HiveJsonSerDe  `json:"HiveJsonSerDe,omitempty"`
}

type InputFormatConfiguration struct {
	Deserializer *Deserializer `json:"Deserializer,omitempty"`
}

type ParquetSerDe struct {
	BlockSizeBytes              *int   `json:"BlockSizeBytes,omitempty"`
	PageSizeBytes               *int   `json:"PageSizeBytes,omitempty"`
	Compression                 string `json:"Compression,omitempty"`
	EnableDictionaryCompression *bool  `json:"EnableDictionaryCompression,omitempty"`
	MaxPaddingBytes             *int   `json:"MaxPaddingBytes,omitempty"`
	WriterVersion               string `json:"WriterVersion,omitempty"`
}

// OrcSerDe writes converted records as ORC. Compression and
// StripeSizeBytes shape the files; the rest tune what ORC readers may skip
// or how stripes pad to HDFS blocks, and Lakebox, which writes no row index,
// bloom filters or padding, keeps them only to describe the destination.
type OrcSerDe struct {
	StripeSizeBytes                     *int     `json:"StripeSizeBytes,omitempty"`
	BlockSizeBytes                      *int     `json:"BlockSizeBytes,omitempty"`
	RowIndexStride                      *int     `json:"RowIndexStride,omitempty"`
	EnablePadding                       *bool    `json:"EnablePadding,omitempty"`
	PaddingTolerance                    *float64 `json:"PaddingTolerance,omitempty"`
	Compression                         string   `json:"Compression,omitempty"`
	BloomFilterColumns                  []string `json:"BloomFilterColumns,omitempty"`
	BloomFilterFalsePositiveProbability *float64 `json:"BloomFilterFalsePositiveProbability,omitempty"`
	DictionaryKeyThreshold              *float64 `json:"DictionaryKeyThreshold,omitempty"`
	FormatVersion                       string   `json:"FormatVersion,omitempty"`
}

type Serializer struct {
	ParquetSerDe *ParquetSerDe `json:"ParquetSerDe,omitempty"`
	OrcSerDe     *OrcSerDe     `json:"OrcSerDe,omitempty"`
}

type OutputFormatConfiguration struct {
	Serializer *Serializer `json:"Serializer,omitempty"`
}

type DataFormatConversionConfiguration struct {
	SchemaConfiguration       *SchemaConfiguration       `json:"SchemaConfiguration,omitempty"`
	InputFormatConfiguration  *InputFormatConfiguration  `json:"InputFormatConfiguration,omitempty"`
	OutputFormatConfiguration *OutputFormatConfiguration `json:"OutputFormatConfiguration,omitempty"`
	Enabled                   *bool                      `json:"Enabled,omitempty"`
}

type KMSEncryptionConfig struct {
	AWSKMSKeyARN string `json:"AWSKMSKeyARN"`
}

type EncryptionConfiguration struct {
	NoEncryptionConfig  string               `json:"NoEncryptionConfig,omitempty"`
	KMSEncryptionConfig *KMSEncryptionConfig `json:"KMSEncryptionConfig,omitempty"`
}

type CloudWatchLoggingOptions struct {
	Enabled       *bool  `json:"Enabled,omitempty"`
	LogGroupName  string `json:"LogGroupName,omitempty"`
	LogStreamName string `json:"LogStreamName,omitempty"`
}

// S3Destination is S3DestinationConfiguration, S3DestinationUpdate and
// S3DestinationDescription: the plain S3 destination and the backup one.
type S3Destination struct {
	RoleARN                  string                    `json:"RoleARN,omitempty"`
	BucketARN                string                    `json:"BucketARN,omitempty"`
	Prefix                   *string                   `json:"Prefix,omitempty"`
	ErrorOutputPrefix        *string                   `json:"ErrorOutputPrefix,omitempty"`
	BufferingHints           *BufferingHints           `json:"BufferingHints,omitempty"`
	CompressionFormat        string                    `json:"CompressionFormat,omitempty"`
	EncryptionConfiguration  *EncryptionConfiguration  `json:"EncryptionConfiguration,omitempty"`
	CloudWatchLoggingOptions *CloudWatchLoggingOptions `json:"CloudWatchLoggingOptions,omitempty"`
}

// ExtendedS3Destination is ExtendedS3DestinationConfiguration and
// ExtendedS3DestinationUpdate (the backup is S3BackupConfiguration in one
// and S3BackupUpdate in the other).
type ExtendedS3Destination struct {
	RoleARN                           string                             `json:"RoleARN,omitempty"`
	BucketARN                         string                             `json:"BucketARN,omitempty"`
	Prefix                            *string                            `json:"Prefix,omitempty"`
	ErrorOutputPrefix                 *string                            `json:"ErrorOutputPrefix,omitempty"`
	BufferingHints                    *BufferingHints                    `json:"BufferingHints,omitempty"`
	CompressionFormat                 string                             `json:"CompressionFormat,omitempty"`
	EncryptionConfiguration           *EncryptionConfiguration           `json:"EncryptionConfiguration,omitempty"`
	CloudWatchLoggingOptions          *CloudWatchLoggingOptions          `json:"CloudWatchLoggingOptions,omitempty"`
	ProcessingConfiguration           *ProcessingConfiguration           `json:"ProcessingConfiguration,omitempty"`
	S3BackupMode                      string                             `json:"S3BackupMode,omitempty"`
	S3BackupConfiguration             *S3Destination                     `json:"S3BackupConfiguration,omitempty"`
	S3BackupUpdate                    *S3Destination                     `json:"S3BackupUpdate,omitempty"`
	DataFormatConversionConfiguration *DataFormatConversionConfiguration `json:"DataFormatConversionConfiguration,omitempty"`
	DynamicPartitioningConfiguration  *DynamicPartitioningConfiguration  `json:"DynamicPartitioningConfiguration,omitempty"`
	FileExtension                     *string                            `json:"FileExtension,omitempty"`
	CustomTimeZone                    *string                            `json:"CustomTimeZone,omitempty"`
}

// ExtendedS3DestinationDescription is how Describe shows the destination.
type ExtendedS3DestinationDescription struct {
	RoleARN                           string                             `json:"RoleARN"`
	BucketARN                         string                             `json:"BucketARN"`
	Prefix                            *string                            `json:"Prefix,omitempty"`
	ErrorOutputPrefix                 *string                            `json:"ErrorOutputPrefix,omitempty"`
	BufferingHints                    *BufferingHints                    `json:"BufferingHints"`
	CompressionFormat                 string                             `json:"CompressionFormat"`
	EncryptionConfiguration           *EncryptionConfiguration           `json:"EncryptionConfiguration"`
	CloudWatchLoggingOptions          *CloudWatchLoggingOptions          `json:"CloudWatchLoggingOptions,omitempty"`
	ProcessingConfiguration           *ProcessingConfiguration           `json:"ProcessingConfiguration,omitempty"`
	S3BackupMode                      string                             `json:"S3BackupMode,omitempty"`
	S3BackupDescription               *S3Destination                     `json:"S3BackupDescription,omitempty"`
	DataFormatConversionConfiguration *DataFormatConversionConfiguration `json:"DataFormatConversionConfiguration,omitempty"`
	DynamicPartitioningConfiguration  *DynamicPartitioningConfiguration  `json:"DynamicPartitioningConfiguration,omitempty"`
	FileExtension                     *string                            `json:"FileExtension,omitempty"`
	CustomTimeZone                    *string                            `json:"CustomTimeZone,omitempty"`
}

const (
	compressionNone         = "UNCOMPRESSED"
	compressionGzip         = "GZIP"
	compressionZip          = "ZIP"
	compressionSnappy       = "Snappy"
	compressionHadoopSnappy = "HADOOP_SNAPPY"

	defaultSizeMB      = 5
	defaultIntervalSec = 300
	// minConvertSizeMB is the smallest buffer AWS allows when records are
	// converted to Parquet or partitioned dynamically.
	minConvertSizeMB = 64
	// defaultConvertSizeMB is the buffer size when converting by default.
	defaultConvertSizeMB = 128
	// minPartitionIntervalSec is the shortest buffering interval AWS allows
	// with dynamic partitioning.
	minPartitionIntervalSec = 60
)

var (
	bucketARNPattern = regexp.MustCompile(`^arn:.*:s3:::[\w.\-]{1,255}$`)
	roleARNPattern   = regexp.MustCompile(`^arn:.*:iam::\d{12}:role/[a-zA-Z_0-9+=,.@\-_/]+$`)
	namePattern      = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,64}$`)
	extPattern       = regexp.MustCompile(`^$|^\.[0-9a-z!\-_.*'()]+$`)
)

func ptr[T any](v T) *T { return &v }

func on(b *bool) bool { return b != nil && *b }

// bucketOf returns the bucket an ARN names.
func bucketOf(arn string) string { return arn[strings.LastIndex(arn, ":")+1:] }

// fromS3 turns a plain S3 destination into the extended one it is.
func fromS3(d *S3Destination) *ExtendedS3Destination {
	return &ExtendedS3Destination{
		RoleARN: d.RoleARN, BucketARN: d.BucketARN, Prefix: d.Prefix, ErrorOutputPrefix: d.ErrorOutputPrefix,
		BufferingHints: d.BufferingHints, CompressionFormat: d.CompressionFormat,
		EncryptionConfiguration: d.EncryptionConfiguration, CloudWatchLoggingOptions: d.CloudWatchLoggingOptions,
	}
}

// merge applies an update to the destination d: fields the update gives
// replace d's.
func merge(d ExtendedS3Destination, u *ExtendedS3Destination) ExtendedS3Destination {
	set := func(dst *string, src string) {
		if src != "" {
			*dst = src
		}
	}
	set(&d.RoleARN, u.RoleARN)
	set(&d.BucketARN, u.BucketARN)
	set(&d.CompressionFormat, u.CompressionFormat)
	set(&d.S3BackupMode, u.S3BackupMode)
	if u.Prefix != nil {
		d.Prefix = u.Prefix
	}
	if u.ErrorOutputPrefix != nil {
		d.ErrorOutputPrefix = u.ErrorOutputPrefix
	}
	if u.BufferingHints != nil {
		h := *d.BufferingHints
		if u.BufferingHints.SizeInMBs != nil {
			h.SizeInMBs = u.BufferingHints.SizeInMBs
		}
		if u.BufferingHints.IntervalInSeconds != nil {
			h.IntervalInSeconds = u.BufferingHints.IntervalInSeconds
		}
		d.BufferingHints = &h
	}
	if u.EncryptionConfiguration != nil {
		d.EncryptionConfiguration = u.EncryptionConfiguration
	}
	if u.CloudWatchLoggingOptions != nil {
		d.CloudWatchLoggingOptions = u.CloudWatchLoggingOptions
	}
	if u.ProcessingConfiguration != nil {
		d.ProcessingConfiguration = u.ProcessingConfiguration
	}
	if b := firstBackup(u); b != nil {
		merged := S3Destination{}
		if d.S3BackupConfiguration != nil {
			merged = *d.S3BackupConfiguration
		}
		set(&merged.RoleARN, b.RoleARN)
		set(&merged.BucketARN, b.BucketARN)
		set(&merged.CompressionFormat, b.CompressionFormat)
		if b.Prefix != nil {
			merged.Prefix = b.Prefix
		}
		if b.ErrorOutputPrefix != nil {
			merged.ErrorOutputPrefix = b.ErrorOutputPrefix
		}
		if b.BufferingHints != nil {
			merged.BufferingHints = b.BufferingHints
		}
		d.S3BackupConfiguration = &merged
	}
	if u.DataFormatConversionConfiguration != nil {
		d.DataFormatConversionConfiguration = u.DataFormatConversionConfiguration
	}
	if u.DynamicPartitioningConfiguration != nil {
		d.DynamicPartitioningConfiguration = u.DynamicPartitioningConfiguration
	}
	if u.FileExtension != nil {
		d.FileExtension = u.FileExtension
	}
	if u.CustomTimeZone != nil {
		d.CustomTimeZone = u.CustomTimeZone
	}
	return d
}

func firstBackup(d *ExtendedS3Destination) *S3Destination {
	if d.S3BackupUpdate != nil {
		return d.S3BackupUpdate
	}
	return d.S3BackupConfiguration
}

// normalize fills in AWS's defaults.
func normalize(d *ExtendedS3Destination) {
	if d.CompressionFormat == "" {
		d.CompressionFormat = compressionNone
	}
	h := BufferingHints{}
	if d.BufferingHints != nil {
		h = *d.BufferingHints
	}
	if h.SizeInMBs == nil {
		size := defaultSizeMB
		switch {
		case d.converts():
			size = defaultConvertSizeMB
		case d.partitions():
			size = minConvertSizeMB
		}
		h.SizeInMBs = &size
	}
	if h.IntervalInSeconds == nil {
		h.IntervalInSeconds = ptr(defaultIntervalSec)
	}
	d.BufferingHints = &h
	if d.EncryptionConfiguration == nil {
		d.EncryptionConfiguration = &EncryptionConfiguration{NoEncryptionConfig: "NoEncryption"}
	}
	if d.S3BackupMode == "" {
		d.S3BackupMode = "Disabled"
	}
	if d.CloudWatchLoggingOptions == nil {
		d.CloudWatchLoggingOptions = &CloudWatchLoggingOptions{Enabled: ptr(false)}
	}
	if d.DynamicPartitioningConfiguration != nil && d.DynamicPartitioningConfiguration.RetryOptions == nil {
		d.DynamicPartitioningConfiguration.RetryOptions = &RetryOptions{DurationInSeconds: ptr(300)}
	}
	if b := d.S3BackupConfiguration; b != nil {
		if b.CompressionFormat == "" {
			b.CompressionFormat = compressionNone
		}
		if b.BufferingHints == nil {
			b.BufferingHints = &BufferingHints{SizeInMBs: ptr(defaultSizeMB), IntervalInSeconds: ptr(defaultIntervalSec)}
		}
		if b.EncryptionConfiguration == nil {
			b.EncryptionConfiguration = &EncryptionConfiguration{NoEncryptionConfig: "NoEncryption"}
		}
	}
	d.S3BackupUpdate = nil
}

func (d *ExtendedS3Destination) converts() bool {
	return d.DataFormatConversionConfiguration != nil && (d.DataFormatConversionConfiguration.Enabled == nil || *d.DataFormatConversionConfiguration.Enabled)
}

func (d *ExtendedS3Destination) partitions() bool {
	return d.DynamicPartitioningConfiguration != nil && on(d.DynamicPartitioningConfiguration.Enabled)
}

// processors returns the processors that run, in order.
func (d *ExtendedS3Destination) processors() []Processor {
	if p := d.ProcessingConfiguration; p != nil && on(p.Enabled) {
		return p.Processors
	}
	return nil
}

func (d *ExtendedS3Destination) describe() *ExtendedS3DestinationDescription {
	return &ExtendedS3DestinationDescription{
		RoleARN: d.RoleARN, BucketARN: d.BucketARN, Prefix: d.Prefix, ErrorOutputPrefix: d.ErrorOutputPrefix,
		BufferingHints: d.BufferingHints, CompressionFormat: d.CompressionFormat,
		EncryptionConfiguration: d.EncryptionConfiguration, CloudWatchLoggingOptions: d.CloudWatchLoggingOptions,
		ProcessingConfiguration: d.ProcessingConfiguration, S3BackupMode: d.S3BackupMode, S3BackupDescription: d.S3BackupConfiguration,
		DataFormatConversionConfiguration: d.DataFormatConversionConfiguration,
		DynamicPartitioningConfiguration:  d.DynamicPartitioningConfiguration,
		FileExtension:                     d.FileExtension, CustomTimeZone: d.CustomTimeZone,
	}
}

// validate checks a normalized destination; field is its name in the
// request, for messages.
func validate(d *ExtendedS3Destination, field string) error {
	if !roleARNPattern.MatchString(d.RoleARN) {
		return validation(d.RoleARN, field+".roleARN", `satisfy regular expression pattern: arn:.*:iam::\d{12}:role/[a-zA-Z_0-9+=,.@\-_/]+`)
	}
	if !bucketARNPattern.MatchString(d.BucketARN) {
		return validation(d.BucketARN, field+".bucketARN", `satisfy regular expression pattern: arn:.*:s3:::[\w\.\-]{1,255}`)
	}
	if err := checkCompression(d.CompressionFormat, field); err != nil {
		return err
	}
	h := d.BufferingHints
	if *h.SizeInMBs < 1 || *h.SizeInMBs > 128 {
		return validation(*h.SizeInMBs, field+".bufferingHints.sizeInMBs", "have value less than or equal to 128")
	}
	if *h.IntervalInSeconds < 0 || *h.IntervalInSeconds > 900 {
		return validation(*h.IntervalInSeconds, field+".bufferingHints.intervalInSeconds", "have value less than or equal to 900")
	}
	if d.FileExtension != nil && !extPattern.MatchString(*d.FileExtension) {
		return validation(*d.FileExtension, field+".fileExtension", `satisfy regular expression pattern: ^$|\.[0-9a-z!\-_.*'()]+`)
	}
	if d.CustomTimeZone != nil && *d.CustomTimeZone != "" {
		if _, err := time.LoadLocation(*d.CustomTimeZone); err != nil {
			return invalidArg("CustomTimeZone %s is not a valid time zone.", *d.CustomTimeZone)
		}
	}
	switch d.S3BackupMode {
	case "Disabled":
	case "Enabled":
		b := d.S3BackupConfiguration
		if b == nil {
			return invalidArg("S3BackupConfiguration is required when S3BackupMode is Enabled.")
		}
		if !bucketARNPattern.MatchString(b.BucketARN) {
			return validation(b.BucketARN, field+".s3BackupConfiguration.bucketARN", `satisfy regular expression pattern: arn:.*:s3:::[\w\.\-]{1,255}`)
		}
		if err := checkCompression(b.CompressionFormat, field+".s3BackupConfiguration"); err != nil {
			return err
		}
	default:
		return validation(d.S3BackupMode, field+".s3BackupMode", "satisfy enum value set: [Disabled, Enabled]")
	}
	if _, err := compileProcessors(d.processors(), d.partitions()); err != nil {
		return err
	}
	if d.converts() {
		if err := checkConversion(d); err != nil {
			return err
		}
	}
	if d.partitions() {
		if *h.SizeInMBs < minConvertSizeMB {
			return invalidArg("BufferingHints.SizeInMBs must be at least %d when Dynamic Partitioning is enabled.", minConvertSizeMB)
		}
		if *h.IntervalInSeconds < minPartitionIntervalSec {
			return invalidArg("BufferingHints.IntervalInSeconds must be at least %d seconds when Dynamic Partitioning is enabled.", minPartitionIntervalSec)
		}
	}
	_, err := compileDestinationPrefixes(d)
	return err
}

func checkCompression(c, field string) error {
	switch c {
	case compressionNone, compressionGzip, compressionZip, compressionSnappy, compressionHadoopSnappy:
		return nil
	}
	return validation(c, field+".compressionFormat", "satisfy enum value set: [UNCOMPRESSED, GZIP, ZIP, Snappy, HADOOP_SNAPPY]")
}

func checkConversion(d *ExtendedS3Destination) error {
	c := d.DataFormatConversionConfiguration
	if d.CompressionFormat != compressionNone {
		return invalidArg("CompressionFormat must be UNCOMPRESSED when data format conversion is enabled; the Parquet serializer compresses.")
	}
	if *d.BufferingHints.SizeInMBs < minConvertSizeMB {
		return invalidArg("BufferingHints.SizeInMBs must be at least %d when data format conversion is enabled.", minConvertSizeMB)
	}
	s := c.SchemaConfiguration
	if s == nil || s.DatabaseName == "" || s.TableName == "" {
		return invalidArg("SchemaConfiguration with DatabaseName and TableName is required when data format conversion is enabled.")
	}
	in := c.InputFormatConfiguration
	if in == nil || in.Deserializer == nil || (in.Deserializer.OpenXJsonSerDe == nil) == (in.Deserializer.HiveJsonSerDe == nil) {
		return invalidArg("InputFormatConfiguration must name exactly one deserializer: OpenXJsonSerDe or HiveJsonSerDe.")
	}
	out := c.OutputFormatConfiguration
	if out == nil || out.Serializer == nil || (out.Serializer.ParquetSerDe == nil) == (out.Serializer.OrcSerDe == nil) {
		return invalidArg("OutputFormatConfiguration must name exactly one serializer: ParquetSerDe or OrcSerDe.")
	}
	if o := out.Serializer.OrcSerDe; o != nil {
		if err := o.check(); err != nil {
			return err
		}
	} else {
		switch p := out.Serializer.ParquetSerDe; p.Compression {
		case "", "SNAPPY", "GZIP", "UNCOMPRESSED":
		default:
			return validation(p.Compression, "parquetSerDe.compression", "satisfy enum value set: [UNCOMPRESSED, GZIP, SNAPPY]")
		}
	}
	if h := in.Deserializer.HiveJsonSerDe; h != nil {
		if _, err := compileTimestampFormats(h.TimestampFormats); err != nil {
			return invalidArg("HiveJsonSerDe.TimestampFormats: %v", err)
		}
	}
	return nil
}

// check applies the model's constraints to an OrcSerDe.
func (o *OrcSerDe) check() error {
	switch o.Compression {
	case "", "NONE", "ZLIB", "SNAPPY":
	default:
		return validation(o.Compression, "orcSerDe.compression", "satisfy enum value set: [NONE, ZLIB, SNAPPY]")
	}
	switch o.FormatVersion {
	case "", "V0_12":
	case "V0_11":
		return invalidArg("Lakebox writes ORC files of format version 0.12 only: set OrcSerDe.FormatVersion to V0_12 or leave it out.")
	default:
		return validation(o.FormatVersion, "orcSerDe.formatVersion", "satisfy enum value set: [V0_11, V0_12]")
	}
	for _, c := range []struct {
		v     *int
		min   int
		field string
	}{{o.StripeSizeBytes, 8 << 20, "stripeSizeBytes"}, {o.BlockSizeBytes, 64 << 20, "blockSizeBytes"}, {o.RowIndexStride, 1000, "rowIndexStride"}} {
		if c.v != nil && *c.v < c.min {
			return validation(*c.v, "orcSerDe."+c.field, fmt.Sprintf("have value greater than or equal to %d", c.min))
		}
	}
	for _, c := range []struct {
		v     *float64
		field string
	}{{o.PaddingTolerance, "paddingTolerance"}, {o.BloomFilterFalsePositiveProbability, "bloomFilterFalsePositiveProbability"}, {o.DictionaryKeyThreshold, "dictionaryKeyThreshold"}} {
		if c.v != nil && (*c.v < 0 || *c.v > 1) {
			return validation(*c.v, "orcSerDe."+c.field, "have value between 0 and 1")
		}
	}
	return nil
}

// versionID renders a version number as the API does.
func versionID(v int) string { return strconv.Itoa(v) }
