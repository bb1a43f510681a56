package firehose

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

const (
	typeDirectPut     = "DirectPut"
	typeKinesisSource = "KinesisStreamAsSource"
	destinationID     = "destinationId-000000000001"
	// streamLimit is AWS's default quota of delivery streams per region.
	streamLimit = 5000
	maxTags     = 50
)

type KinesisStreamSourceConfiguration struct {
	KinesisStreamARN string `json:"KinesisStreamARN"`
	RoleARN          string `json:"RoleARN"`
}

type Tag struct {
	Key   string  `json:"Key"`
	Value *string `json:"Value,omitempty"`
}

type CreateDeliveryStreamInput struct {
	DeliveryStreamName                         string                                      `json:"DeliveryStreamName"`
	DeliveryStreamType                         string                                      `json:"DeliveryStreamType,omitempty"`
	KinesisStreamSourceConfiguration           *KinesisStreamSourceConfiguration           `json:"KinesisStreamSourceConfiguration,omitempty"`
	DeliveryStreamEncryptionConfigurationInput *DeliveryStreamEncryptionConfigurationInput `json:"DeliveryStreamEncryptionConfigurationInput,omitempty"`
	S3DestinationConfiguration                 *S3Destination                              `json:"S3DestinationConfiguration,omitempty"`
	ExtendedS3DestinationConfiguration         *ExtendedS3Destination                      `json:"ExtendedS3DestinationConfiguration,omitempty"`
	HttpEndpointDestinationConfiguration       *HTTPEndpointDestination                    `json:"HttpEndpointDestinationConfiguration,omitempty"`
	Tags                                       []Tag                                       `json:"Tags,omitempty"`

	// Destinations Lakebox does not deliver to: named in the error.
	RedshiftDestinationConfiguration                   any `json:"RedshiftDestinationConfiguration,omitempty"`
	ElasticsearchDestinationConfiguration              any `json:"ElasticsearchDestinationConfiguration,omitempty"`
	AmazonopensearchserviceDestinationConfiguration    any `json:"AmazonopensearchserviceDestinationConfiguration,omitempty"`
	SplunkDestinationConfiguration                     any `json:"SplunkDestinationConfiguration,omitempty"`
	AmazonOpenSearchServerlessDestinationConfiguration any `json:"AmazonOpenSearchServerlessDestinationConfiguration,omitempty"`
	SnowflakeDestinationConfiguration                  any `json:"SnowflakeDestinationConfiguration,omitempty"`
	IcebergDestinationConfiguration                    any `json:"IcebergDestinationConfiguration,omitempty"`
	MSKSourceConfiguration                             any `json:"MSKSourceConfiguration,omitempty"`
	DatabaseSourceConfiguration                        any `json:"DatabaseSourceConfiguration,omitempty"`
}

type CreateDeliveryStreamOutput struct {
	DeliveryStreamARN string `json:"DeliveryStreamARN"`
}

// unsupported names a destination or source Lakebox does not serve.
func (in *CreateDeliveryStreamInput) unsupported() string {
	for name, v := range map[string]any{
		"Redshift": in.RedshiftDestinationConfiguration, "Elasticsearch": in.ElasticsearchDestinationConfiguration,
		"Amazon OpenSearch Service": in.AmazonopensearchserviceDestinationConfiguration, "Splunk": in.SplunkDestinationConfiguration,
		"OpenSearch Serverless": in.AmazonOpenSearchServerlessDestinationConfiguration,
		"Snowflake":             in.SnowflakeDestinationConfiguration, "Iceberg": in.IcebergDestinationConfiguration,
		"MSK source": in.MSKSourceConfiguration, "database source": in.DatabaseSourceConfiguration,
	} {
		if v != nil {
			return name
		}
	}
	return ""
}

// CreateDeliveryStream makes a delivery stream; it is ACTIVE at once.
func (s *Service) CreateDeliveryStream(ctx context.Context, in *CreateDeliveryStreamInput) (*CreateDeliveryStreamOutput, error) {
	sc := scopeOf(ctx)
	if !namePattern.MatchString(in.DeliveryStreamName) {
		return nil, validation(in.DeliveryStreamName, "deliveryStreamName", "satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	if what := in.unsupported(); what != "" {
		return nil, invalidArg("Lakebox delivers to Amazon S3 (ExtendedS3DestinationConfiguration or S3DestinationConfiguration) and HTTP endpoints (HttpEndpointDestinationConfiguration) from DirectPut and Kinesis stream sources; the %s is not supported.", what)
	}
	typ := in.DeliveryStreamType
	if typ == "" {
		typ = typeDirectPut
	}
	now := s.clock.Now()
	rec := streamRecord{Account: sc.account, Region: sc.region, Name: in.DeliveryStreamName, ID: newID(), Type: typ,
		Status: "ACTIVE", Version: 1, Created: now.UnixMilli(), Updated: now.UnixMilli()}
	switch typ {
	case typeDirectPut:
		if in.KinesisStreamSourceConfiguration != nil {
			return nil, invalidArg("KinesisStreamSourceConfiguration is only for the KinesisStreamAsSource delivery stream type.")
		}
	case typeKinesisSource:
		src := in.KinesisStreamSourceConfiguration
		if src == nil {
			return nil, invalidArg("KinesisStreamSourceConfiguration is required for the KinesisStreamAsSource delivery stream type.")
		}
		region, account, res, ok := splitARN(src.KinesisStreamARN, "kinesis")
		if !ok || !strings.HasPrefix(res, "stream/") {
			return nil, validation(src.KinesisStreamARN, "kinesisStreamSourceConfiguration.kinesisStreamARN", "satisfy regular expression pattern: arn:.*:kinesis:[a-zA-Z0-9\\-]+:\\d{12}:stream/[a-zA-Z0-9_.-]+")
		}
		if region != sc.region || account != sc.account {
			return nil, invalidArg("The Kinesis stream %s must be in the delivery stream's account and region.", src.KinesisStreamARN)
		}
		if in.DeliveryStreamEncryptionConfigurationInput != nil {
			return nil, invalidArg("DeliveryStreamEncryptionConfigurationInput is not supported for the KinesisStreamAsSource delivery stream type; the Kinesis stream's own encryption applies.")
		}
		rec.Source, rec.DeliveryStart = src, now.UnixMilli()
	default:
		return nil, invalidArg("Lakebox supports the DirectPut and KinesisStreamAsSource delivery stream types, not %s.", typ)
	}
	given := 0
	for _, d := range []bool{in.ExtendedS3DestinationConfiguration != nil, in.S3DestinationConfiguration != nil, in.HttpEndpointDestinationConfiguration != nil} {
		if d {
			given++
		}
	}
	if given > 1 {
		return nil, invalidArg("Only one destination configuration may be given.")
	}
	switch {
	case in.ExtendedS3DestinationConfiguration != nil:
		rec.Destination = *in.ExtendedS3DestinationConfiguration
	case in.S3DestinationConfiguration != nil:
		rec.Destination, rec.Plain = *fromS3(in.S3DestinationConfiguration), true
	case in.HttpEndpointDestinationConfiguration != nil:
		d := *in.HttpEndpointDestinationConfiguration // normalize fills it in; the input is the caller's
		d.S3Update = nil
		normalizeHTTP(&d)
		if err := validateHTTP(&d, "httpEndpointDestinationConfiguration"); err != nil {
			return nil, err
		}
		rec.HTTP, rec.Destination = &d, d.s3Destination()
	default:
		return nil, invalidArg("A destination configuration is required: ExtendedS3DestinationConfiguration, S3DestinationConfiguration or HttpEndpointDestinationConfiguration.")
	}
	rec.Destination.S3BackupUpdate = nil
	if b := rec.Destination.S3BackupConfiguration; b != nil {
		backup := *b // normalize fills it in; the input is the caller's
		rec.Destination.S3BackupConfiguration = &backup
	}
	normalize(&rec.Destination)
	if err := validate(&rec.Destination, "extendedS3DestinationConfiguration"); err != nil {
		return nil, err
	}
	if err := checkTagList(in.Tags, 0); err != nil {
		return nil, err
	}
	rec.Tags = mergeTags(nil, in.Tags)
	if e := in.DeliveryStreamEncryptionConfigurationInput; e != nil {
		if err := checkEncryptionInput(e); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	key := streamKey{sc.account, sc.region, in.DeliveryStreamName}
	if _, ok := s.streams[key]; ok {
		s.mu.Unlock()
		return nil, ErrResourceInUse.WithMessage("Firehose %s under accountId %s already exists", in.DeliveryStreamName, sc.account)
	}
	n := 0
	for k := range s.streams {
		if k.account == sc.account && k.region == sc.region {
			n++
		}
	}
	s.mu.Unlock()
	if n >= streamLimit {
		return nil, ErrLimitExceeded.WithMessage("You have already consumed your firehose quota of %d hoses. Firehose names: ...", streamLimit)
	}
	if e := in.DeliveryStreamEncryptionConfigurationInput; e != nil {
		ds := &deliveryStream{}
		s.enable(ds, &rec, e)
	}
	if err := s.save(&rec); err != nil {
		return nil, err
	}
	if err := s.start(rec); err != nil {
		return nil, err
	}
	return &CreateDeliveryStreamOutput{DeliveryStreamARN: rec.arn()}, nil
}

type DeleteDeliveryStreamInput struct {
	DeliveryStreamName string `json:"DeliveryStreamName"`
	AllowForceDelete   *bool  `json:"AllowForceDelete,omitempty"`
}

// DeleteDeliveryStream removes a stream and the records it had not yet
// delivered, as AWS does.
func (s *Service) DeleteDeliveryStream(ctx context.Context, in *DeleteDeliveryStreamInput) (*struct{}, error) {
	ds, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	if s.streams[ds.key] != ds {
		s.mu.Unlock()
		return nil, notFound(in.DeliveryStreamName, ds.key.account)
	}
	delete(s.streams, ds.key)
	s.mu.Unlock()
	ds.stop()
	b := s.db.NewBatch()
	for _, p := range [][]byte{streamPrefix, progressPrefix, sourcePrefix} {
		b.Delete(dbKey(p, ds.key))
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	os.RemoveAll(filepath.Join(s.opts.Dir, ds.rec.ID))
	return &struct{}{}, nil
}

type DescribeDeliveryStreamInput struct {
	DeliveryStreamName          string `json:"DeliveryStreamName"`
	Limit                       *int   `json:"Limit,omitempty"`
	ExclusiveStartDestinationId string `json:"ExclusiveStartDestinationId,omitempty"`
}

type DestinationDescription struct {
	DestinationId                      string                              `json:"DestinationId"`
	S3DestinationDescription           *S3Destination                      `json:"S3DestinationDescription,omitempty"`
	ExtendedS3DestinationDescription   *ExtendedS3DestinationDescription   `json:"ExtendedS3DestinationDescription,omitempty"`
	HttpEndpointDestinationDescription *HTTPEndpointDestinationDescription `json:"HttpEndpointDestinationDescription,omitempty"`
}

type KinesisStreamSourceDescription struct {
	KinesisStreamARN       string      `json:"KinesisStreamARN"`
	RoleARN                string      `json:"RoleARN"`
	DeliveryStartTimestamp *epoch.Time `json:"DeliveryStartTimestamp,omitempty"`
}

type SourceDescription struct {
	KinesisStreamSourceDescription *KinesisStreamSourceDescription `json:"KinesisStreamSourceDescription,omitempty"`
}

type DeliveryStreamDescription struct {
	DeliveryStreamName                    string                                 `json:"DeliveryStreamName"`
	DeliveryStreamARN                     string                                 `json:"DeliveryStreamARN"`
	DeliveryStreamStatus                  string                                 `json:"DeliveryStreamStatus"`
	DeliveryStreamEncryptionConfiguration *DeliveryStreamEncryptionConfiguration `json:"DeliveryStreamEncryptionConfiguration,omitempty"`
	DeliveryStreamType                    string                                 `json:"DeliveryStreamType"`
	VersionId                             string                                 `json:"VersionId"`
	CreateTimestamp                       epoch.Time                             `json:"CreateTimestamp"`
	LastUpdateTimestamp                   *epoch.Time                            `json:"LastUpdateTimestamp,omitempty"`
	Source                                *SourceDescription                     `json:"Source,omitempty"`
	Destinations                          []DestinationDescription               `json:"Destinations"`
	HasMoreDestinations                   bool                                   `json:"HasMoreDestinations"`
}

type DescribeDeliveryStreamOutput struct {
	DeliveryStreamDescription DeliveryStreamDescription `json:"DeliveryStreamDescription"`
}

// DescribeDeliveryStream describes a stream and its one destination.
func (s *Service) DescribeDeliveryStream(ctx context.Context, in *DescribeDeliveryStreamInput) (*DescribeDeliveryStreamOutput, error) {
	if in.Limit != nil && (*in.Limit < 1 || *in.Limit > 10000) {
		return nil, validation(*in.Limit, "limit", "have value between 1 and 10000")
	}
	ds, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	ds.mu.RLock()
	rec := ds.rec
	ds.mu.RUnlock()
	d := &rec.Destination
	var dest DestinationDescription
	if rec.HTTP != nil {
		dest = DestinationDescription{DestinationId: destinationID, HttpEndpointDestinationDescription: rec.HTTP.describe()}
	} else {
		dest = DestinationDescription{
			DestinationId:                    destinationID,
			ExtendedS3DestinationDescription: d.describe(),
			S3DestinationDescription: &S3Destination{RoleARN: d.RoleARN, BucketARN: d.BucketARN, Prefix: d.Prefix, ErrorOutputPrefix: d.ErrorOutputPrefix,
				BufferingHints: d.BufferingHints, CompressionFormat: d.CompressionFormat, EncryptionConfiguration: d.EncryptionConfiguration,
				CloudWatchLoggingOptions: d.CloudWatchLoggingOptions},
		}
	}
	out := DeliveryStreamDescription{
		DeliveryStreamName: rec.Name, DeliveryStreamARN: rec.arn(), DeliveryStreamStatus: rec.Status,
		DeliveryStreamEncryptionConfiguration: rec.encryption(), DeliveryStreamType: rec.Type, VersionId: versionID(rec.Version),
		CreateTimestamp: epoch.New(time.UnixMilli(rec.Created)), Destinations: []DestinationDescription{dest},
	}
	if rec.Version > 1 {
		out.LastUpdateTimestamp = epoch.Ptr(time.UnixMilli(rec.Updated))
	}
	if in.ExclusiveStartDestinationId >= destinationID {
		out.Destinations = []DestinationDescription{}
	}
	if rec.Source != nil {
		out.Source = &SourceDescription{KinesisStreamSourceDescription: &KinesisStreamSourceDescription{
			KinesisStreamARN: rec.Source.KinesisStreamARN, RoleARN: rec.Source.RoleARN,
			DeliveryStartTimestamp: epoch.Ptr(time.UnixMilli(rec.DeliveryStart)),
		}}
	}
	return &DescribeDeliveryStreamOutput{DeliveryStreamDescription: out}, nil
}

type ListDeliveryStreamsInput struct {
	Limit                            *int   `json:"Limit,omitempty"`
	DeliveryStreamType               string `json:"DeliveryStreamType,omitempty"`
	ExclusiveStartDeliveryStreamName string `json:"ExclusiveStartDeliveryStreamName,omitempty"`
}

type ListDeliveryStreamsOutput struct {
	DeliveryStreamNames    []string `json:"DeliveryStreamNames"`
	HasMoreDeliveryStreams bool     `json:"HasMoreDeliveryStreams"`
}

// ListDeliveryStreams lists names in alphabetical order, 10 by default.
func (s *Service) ListDeliveryStreams(ctx context.Context, in *ListDeliveryStreamsInput) (*ListDeliveryStreamsOutput, error) {
	limit := 10
	if in.Limit != nil {
		if limit = *in.Limit; limit < 1 || limit > 10000 {
			return nil, validation(limit, "limit", "have value between 1 and 10000")
		}
	}
	switch in.DeliveryStreamType {
	case "", typeDirectPut, typeKinesisSource, "MSKAsSource", "DatabaseAsSource":
	default:
		return nil, validation(in.DeliveryStreamType, "deliveryStreamType", "satisfy enum value set: [DirectPut, KinesisStreamAsSource, MSKAsSource, DatabaseAsSource]")
	}
	sc := scopeOf(ctx)
	var names []string
	s.mu.RLock()
	for k, ds := range s.streams {
		if k.account != sc.account || k.region != sc.region || k.name <= in.ExclusiveStartDeliveryStreamName {
			continue
		}
		ds.mu.RLock()
		typ := ds.rec.Type
		ds.mu.RUnlock()
		if in.DeliveryStreamType == "" || in.DeliveryStreamType == typ {
			names = append(names, k.name)
		}
	}
	s.mu.RUnlock()
	sort.Strings(names)
	out := &ListDeliveryStreamsOutput{DeliveryStreamNames: names}
	if len(names) > limit {
		out.DeliveryStreamNames, out.HasMoreDeliveryStreams = names[:limit], true
	}
	return out, nil
}

type UpdateDestinationInput struct {
	DeliveryStreamName             string                   `json:"DeliveryStreamName"`
	CurrentDeliveryStreamVersionId string                   `json:"CurrentDeliveryStreamVersionId"`
	DestinationId                  string                   `json:"DestinationId"`
	S3DestinationUpdate            *S3Destination           `json:"S3DestinationUpdate,omitempty"`
	ExtendedS3DestinationUpdate    *ExtendedS3Destination   `json:"ExtendedS3DestinationUpdate,omitempty"`
	HttpEndpointDestinationUpdate  *HTTPEndpointDestination `json:"HttpEndpointDestinationUpdate,omitempty"`

	RedshiftDestinationUpdate                   any `json:"RedshiftDestinationUpdate,omitempty"`
	ElasticsearchDestinationUpdate              any `json:"ElasticsearchDestinationUpdate,omitempty"`
	AmazonopensearchserviceDestinationUpdate    any `json:"AmazonopensearchserviceDestinationUpdate,omitempty"`
	SplunkDestinationUpdate                     any `json:"SplunkDestinationUpdate,omitempty"`
	AmazonOpenSearchServerlessDestinationUpdate any `json:"AmazonOpenSearchServerlessDestinationUpdate,omitempty"`
	SnowflakeDestinationUpdate                  any `json:"SnowflakeDestinationUpdate,omitempty"`
	IcebergDestinationUpdate                    any `json:"IcebergDestinationUpdate,omitempty"`
}

// UpdateDestination merges an update into the destination and bumps the
// version. Records already buffered are delivered under the new
// configuration.
func (s *Service) UpdateDestination(ctx context.Context, in *UpdateDestinationInput) (*struct{}, error) {
	if in.RedshiftDestinationUpdate != nil || in.ElasticsearchDestinationUpdate != nil || in.AmazonopensearchserviceDestinationUpdate != nil ||
		in.SplunkDestinationUpdate != nil || in.AmazonOpenSearchServerlessDestinationUpdate != nil ||
		in.SnowflakeDestinationUpdate != nil || in.IcebergDestinationUpdate != nil {
		return nil, invalidArg("Lakebox delivers to Amazon S3 and HTTP endpoints only: use ExtendedS3DestinationUpdate, S3DestinationUpdate or HttpEndpointDestinationUpdate.")
	}
	ds, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if in.CurrentDeliveryStreamVersionId != versionID(ds.rec.Version) {
		return nil, ErrConcurrentModify.WithMessage("Cannot update firehose: %s since the current version id: %s and specified version id: %s do not match",
			in.DeliveryStreamName, versionID(ds.rec.Version), in.CurrentDeliveryStreamVersionId)
	}
	if in.DestinationId != destinationID {
		return nil, invalidArg("Destination %s does not exist in delivery stream %s.", in.DestinationId, in.DeliveryStreamName)
	}
	if u := in.HttpEndpointDestinationUpdate; u != nil || ds.rec.HTTP != nil {
		if u == nil || in.ExtendedS3DestinationUpdate != nil || in.S3DestinationUpdate != nil {
			return nil, invalidArg("Lakebox does not change a delivery stream's kind of destination: update an HTTP endpoint destination with HttpEndpointDestinationUpdate only.")
		}
		if ds.rec.HTTP == nil {
			return nil, invalidArg("Lakebox does not change a delivery stream's kind of destination: this one delivers to Amazon S3.")
		}
		next := mergeHTTP(*ds.rec.HTTP, u)
		normalizeHTTP(&next)
		if err := validateHTTP(&next, "httpEndpointDestinationUpdate"); err != nil {
			return nil, err
		}
		return &struct{}{}, s.update(ds, func(r *streamRecord) {
			r.HTTP, r.Destination = &next, next.s3Destination()
			normalize(&r.Destination)
			r.Version++
		})
	}
	var u *ExtendedS3Destination
	switch {
	case in.ExtendedS3DestinationUpdate != nil && in.S3DestinationUpdate != nil:
		return nil, invalidArg("Only one destination update may be given.")
	case in.ExtendedS3DestinationUpdate != nil:
		u = in.ExtendedS3DestinationUpdate
	case in.S3DestinationUpdate != nil:
		u = fromS3(in.S3DestinationUpdate)
	default:
		return nil, invalidArg("A destination update is required: ExtendedS3DestinationUpdate or S3DestinationUpdate.")
	}
	next := merge(ds.rec.Destination, u)
	was, now := ds.rec.Destination.partitions(), next.partitions()
	if !was && now {
		return nil, invalidArg("Dynamic partitioning can only be enabled when the delivery stream is created.")
	}
	if was && !now {
		return nil, invalidArg("Dynamic partitioning cannot be disabled once it is enabled.")
	}
	normalize(&next)
	if err := validate(&next, "extendedS3DestinationUpdate"); err != nil {
		return nil, err
	}
	return &struct{}{}, s.update(ds, func(r *streamRecord) {
		r.Destination = next
		r.Version++
	})
}

// checkTagList validates tags to add to a stream that has others.
func checkTagList(tags []Tag, have int) error {
	for _, t := range tags {
		if n := utf8.RuneCountInString(t.Key); n < 1 || n > 128 {
			return invalidArg("Tag key %q must be 1 to 128 characters long.", t.Key)
		}
		if t.Value != nil && utf8.RuneCountInString(*t.Value) > 256 {
			return invalidArg("Tag value of %q must be at most 256 characters long.", t.Key)
		}
	}
	if have+len(tags) > maxTags {
		return ErrLimitExceeded.WithMessage("A delivery stream can have at most %d tags.", maxTags)
	}
	return nil
}

// mergeTags adds or replaces tags, keeping them sorted by key.
func mergeTags(have, add []Tag) []Tag {
	m := map[string]*string{}
	for _, t := range have {
		m[t.Key] = t.Value
	}
	for _, t := range add {
		m[t.Key] = t.Value
	}
	out := make([]Tag, 0, len(m))
	for k, v := range m {
		out = append(out, Tag{Key: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

type TagDeliveryStreamInput struct {
	DeliveryStreamName string `json:"DeliveryStreamName"`
	Tags               []Tag  `json:"Tags"`
}

// TagDeliveryStream adds or replaces tags.
func (s *Service) TagDeliveryStream(ctx context.Context, in *TagDeliveryStreamInput) (*struct{}, error) {
	if err := awserr.LengthValidation(len(in.Tags), "tags", len(in.Tags), 1, 50); err != nil {
		return nil, err
	}
	ds, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	merged := mergeTags(ds.rec.Tags, in.Tags)
	if err := checkTagList(in.Tags, len(merged)-len(in.Tags)); err != nil {
		return nil, err
	}
	return &struct{}{}, s.update(ds, func(r *streamRecord) { r.Tags = merged })
}

type UntagDeliveryStreamInput struct {
	DeliveryStreamName string   `json:"DeliveryStreamName"`
	TagKeys            []string `json:"TagKeys"`
}

// UntagDeliveryStream removes tags; keys the stream lacks are ignored.
func (s *Service) UntagDeliveryStream(ctx context.Context, in *UntagDeliveryStreamInput) (*struct{}, error) {
	if err := awserr.LengthValidation(len(in.TagKeys), "tagKeys", len(in.TagKeys), 1, 50); err != nil {
		return nil, err
	}
	ds, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	var kept []Tag
	for _, t := range ds.rec.Tags {
		drop := false
		for _, k := range in.TagKeys {
			drop = drop || k == t.Key
		}
		if !drop {
			kept = append(kept, t)
		}
	}
	return &struct{}{}, s.update(ds, func(r *streamRecord) { r.Tags = kept })
}

type ListTagsForDeliveryStreamInput struct {
	DeliveryStreamName   string `json:"DeliveryStreamName"`
	ExclusiveStartTagKey string `json:"ExclusiveStartTagKey,omitempty"`
	Limit                *int   `json:"Limit,omitempty"`
}

type ListTagsForDeliveryStreamOutput struct {
	Tags        []Tag `json:"Tags"`
	HasMoreTags bool  `json:"HasMoreTags"`
}

// ListTagsForDeliveryStream lists tags by key, 50 at most.
func (s *Service) ListTagsForDeliveryStream(ctx context.Context, in *ListTagsForDeliveryStreamInput) (*ListTagsForDeliveryStreamOutput, error) {
	limit := 50
	if in.Limit != nil {
		if limit = *in.Limit; limit < 1 || limit > 50 {
			return nil, validation(limit, "limit", "have value between 1 and 50")
		}
	}
	ds, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	ds.mu.RLock()
	defer ds.mu.RUnlock()
	out := &ListTagsForDeliveryStreamOutput{Tags: []Tag{}}
	for _, t := range ds.rec.Tags {
		if t.Key <= in.ExclusiveStartTagKey {
			continue
		}
		if len(out.Tags) == limit {
			out.HasMoreTags = true
			break
		}
		out.Tags = append(out.Tags, t)
	}
	return out, nil
}
