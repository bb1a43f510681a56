package kinesis

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

const (
	modeProvisioned = "PROVISIONED"
	modeOnDemand    = "ON_DEMAND"
	// onDemandShards is how many shards an on-demand stream starts with.
	onDemandShards = 4
	// onDemandStreamLimit is AWS's default quota of on-demand streams.
	onDemandStreamLimit = 50
	minRetention        = 24
	maxRetention        = 8760
)

type StreamModeDetails struct {
	StreamMode string `json:"StreamMode"`
}

type CreateStreamInput struct {
	StreamName         string             `json:"StreamName"`
	ShardCount         *int               `json:"ShardCount,omitempty"`
	StreamModeDetails  *StreamModeDetails `json:"StreamModeDetails,omitempty"`
	Tags               map[string]string  `json:"Tags,omitempty"`
	MaxRecordSizeInKiB *int               `json:"MaxRecordSizeInKiB,omitempty"`
}

// checkMaxRecordSize validates MaxRecordSizeInKiB.
func checkMaxRecordSize(kib int) error {
	if kib < minRecordSizeKiB || kib > maxRecordSizeKiB {
		return validation(kib, "maxRecordSizeInKiB", "have value between 1024 and 10240")
	}
	return nil
}

// CreateStream makes a stream. It is ACTIVE at once: there is nothing to
// provision.
func (s *Service) CreateStream(ctx context.Context, in *CreateStreamInput) (*struct{}, error) {
	sc := scopeOf(ctx)
	if !streamNamePattern.MatchString(in.StreamName) {
		return nil, validation(in.StreamName, "streamName", "satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	mode := modeProvisioned
	if in.StreamModeDetails != nil {
		mode = in.StreamModeDetails.StreamMode
	}
	shards := onDemandShards
	switch mode {
	case modeProvisioned:
		if in.ShardCount == nil {
			return nil, invalidArg("ShardCount is required for a stream in PROVISIONED mode.")
		}
		shards = *in.ShardCount
		if shards < 1 {
			return nil, validation(shards, "shardCount", "have value greater than or equal to 1")
		}
	case modeOnDemand:
		if in.ShardCount != nil {
			return nil, invalidArg("ShardCount must not be given for a stream in ON_DEMAND mode.")
		}
	default:
		return nil, validation(mode, "streamModeDetails.streamMode", "satisfy enum value set: [PROVISIONED, ON_DEMAND]")
	}
	if err := checkTags(in.Tags, 0); err != nil {
		return nil, err
	}
	maxKiB := 0
	if in.MaxRecordSizeInKiB != nil {
		if err := checkMaxRecordSize(*in.MaxRecordSizeInKiB); err != nil {
			return nil, err
		}
		maxKiB = *in.MaxRecordSizeInKiB
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	key := streamKey{sc.account, sc.region, in.StreamName}
	if _, ok := s.streams[key]; ok {
		return nil, ErrResourceInUse.WithMessage("Stream %s under account %s already exists.", in.StreamName, sc.account)
	}
	open, onDemand := 0, 0
	for k, st := range s.streams {
		if k.account == sc.account && k.region == sc.region {
			st.mu.RLock()
			open += st.rec.openShards()
			if st.rec.Mode == modeOnDemand {
				onDemand++
			}
			st.mu.RUnlock()
		}
	}
	if open+shards > s.opts.ShardLimit {
		return nil, ErrLimitExceeded.WithMessage("This request would exceed the shard limit for the account %s in %s. Current limit of shards is %d (%d open). Request a limit increase or decrease the number of shards requested.",
			sc.account, sc.region, s.opts.ShardLimit, open)
	}
	if mode == modeOnDemand && onDemand >= onDemandStreamLimit {
		return nil, ErrLimitExceeded.WithMessage("This request would exceed the limit of %d on-demand streams for the account %s in %s.", onDemandStreamLimit, sc.account, sc.region)
	}
	now := s.nowMs()
	rec := streamRecord{Name: in.StreamName, ID: newID(), Account: sc.account, Region: sc.region, Mode: mode, MaxRecordKiB: maxKiB,
		RetentionHours: minRetention, Created: now, Tags: in.Tags}
	for i, r := range evenRanges(shards) {
		rec.Shards = append(rec.Shards, shardRecord{Index: i, Parent: -1, AdjacentParent: -1, Start: r[0].String(), End: r[1].String(), Opened: now})
	}
	st, err := s.openStream(rec)
	if err != nil {
		return nil, err
	}
	if err := s.save(&rec); err != nil {
		st.log.Remove()
		return nil, err
	}
	s.register(st)
	return &struct{}{}, nil
}

type StreamInput struct {
	StreamName string `json:"StreamName,omitempty"`
	StreamARN  string `json:"StreamARN,omitempty"`
}

type DeleteStreamInput struct {
	StreamInput
	EnforceConsumerDeletion bool `json:"EnforceConsumerDeletion,omitempty"`
}

// DeleteStream removes a stream and its records.
func (s *Service) DeleteStream(ctx context.Context, in *DeleteStreamInput) (*struct{}, error) {
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.Lock() // no write is in flight
	defer st.mu.Unlock()
	if len(st.rec.Consumers) > 0 && !in.EnforceConsumerDeletion {
		return nil, ErrResourceInUse.WithMessage("Stream %s under account %s has registered consumers; set EnforceConsumerDeletion to delete it with them.", st.key.name, st.key.account)
	}
	b := s.db.NewBatch()
	b.Delete(streamDBKey(st.key))
	if err := b.Commit(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	delete(s.streams, st.key)
	delete(s.byID, st.id)
	s.mu.Unlock()
	st.log.Close()
	os.RemoveAll(filepath.Join(s.opts.Dir, st.id))
	s.limits.forget(st.id)
	return &struct{}{}, nil
}

type HashKeyRange struct {
	StartingHashKey string `json:"StartingHashKey"`
	EndingHashKey   string `json:"EndingHashKey"`
}

type SequenceNumberRange struct {
	StartingSequenceNumber string `json:"StartingSequenceNumber"`
	EndingSequenceNumber   string `json:"EndingSequenceNumber,omitempty"`
}

type Shard struct {
	ShardId               string              `json:"ShardId"`
	ParentShardId         string              `json:"ParentShardId,omitempty"`
	AdjacentParentShardId string              `json:"AdjacentParentShardId,omitempty"`
	HashKeyRange          HashKeyRange        `json:"HashKeyRange"`
	SequenceNumberRange   SequenceNumberRange `json:"SequenceNumberRange"`
}

func (r *shardRecord) api() Shard {
	sh := Shard{ShardId: shardID(r.Index), HashKeyRange: HashKeyRange{r.Start, r.End},
		SequenceNumberRange: SequenceNumberRange{StartingSequenceNumber: sequenceNumber(r.Index, r.StartSeq)}}
	if r.Parent >= 0 {
		sh.ParentShardId = shardID(r.Parent)
	}
	if r.AdjacentParent >= 0 {
		sh.AdjacentParentShardId = shardID(r.AdjacentParent)
	}
	if r.EndSeq != nil {
		sh.SequenceNumberRange.EndingSequenceNumber = sequenceNumber(r.Index, max(*r.EndSeq, 1)-1)
	}
	return sh
}

type EnhancedMetrics struct {
	ShardLevelMetrics []string `json:"ShardLevelMetrics"`
}

type StreamDescription struct {
	StreamName              string             `json:"StreamName"`
	StreamARN               string             `json:"StreamARN"`
	StreamStatus            string             `json:"StreamStatus"`
	StreamModeDetails       *StreamModeDetails `json:"StreamModeDetails,omitempty"`
	Shards                  []Shard            `json:"Shards"`
	HasMoreShards           bool               `json:"HasMoreShards"`
	RetentionPeriodHours    int                `json:"RetentionPeriodHours"`
	StreamCreationTimestamp epoch.Time         `json:"StreamCreationTimestamp"`
	EnhancedMonitoring      []EnhancedMetrics  `json:"EnhancedMonitoring"`
	EncryptionType          string             `json:"EncryptionType"`
	KeyId                   string             `json:"KeyId,omitempty"`
}

type DescribeStreamInput struct {
	StreamInput
	Limit                 *int   `json:"Limit,omitempty"`
	ExclusiveStartShardId string `json:"ExclusiveStartShardId,omitempty"`
}

type DescribeStreamOutput struct {
	StreamDescription StreamDescription `json:"StreamDescription"`
}

// DescribeStream describes a stream and pages through its shards.
func (s *Service) DescribeStream(ctx context.Context, in *DescribeStreamInput) (*DescribeStreamOutput, error) {
	limit, err := pageSize(in.Limit, 100, 10000, "limit")
	if err != nil {
		return nil, err
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	r := &st.rec
	d := StreamDescription{StreamName: r.Name, StreamARN: r.arn(), StreamStatus: "ACTIVE", StreamModeDetails: &StreamModeDetails{r.Mode},
		Shards: []Shard{}, RetentionPeriodHours: r.RetentionHours, StreamCreationTimestamp: epoch.New(time.UnixMilli(r.Created)),
		EnhancedMonitoring: []EnhancedMetrics{{ShardLevelMetrics: metricsOrEmpty(r.Metrics)}}, EncryptionType: r.encryptionType(), KeyId: r.Encryption.KeyID}
	after := -1
	if in.ExclusiveStartShardId != "" {
		after, _ = parseShardID(in.ExclusiveStartShardId)
	}
	for i := range r.Shards {
		if r.Shards[i].Index <= after {
			continue
		}
		if len(d.Shards) == limit {
			d.HasMoreShards = true
			break
		}
		d.Shards = append(d.Shards, r.Shards[i].api())
	}
	return &DescribeStreamOutput{StreamDescription: d}, nil
}

func metricsOrEmpty(m []string) []string {
	if m == nil {
		return []string{}
	}
	return m
}

type StreamDescriptionSummary struct {
	StreamName              string             `json:"StreamName"`
	StreamARN               string             `json:"StreamARN"`
	StreamId                string             `json:"StreamId"`
	StreamStatus            string             `json:"StreamStatus"`
	StreamModeDetails       *StreamModeDetails `json:"StreamModeDetails,omitempty"`
	RetentionPeriodHours    int                `json:"RetentionPeriodHours"`
	StreamCreationTimestamp epoch.Time         `json:"StreamCreationTimestamp"`
	EnhancedMonitoring      []EnhancedMetrics  `json:"EnhancedMonitoring"`
	EncryptionType          string             `json:"EncryptionType"`
	KeyId                   string             `json:"KeyId,omitempty"`
	OpenShardCount          int                `json:"OpenShardCount"`
	ConsumerCount           int                `json:"ConsumerCount"`
	MaxRecordSizeInKiB      int                `json:"MaxRecordSizeInKiB"`
}

type DescribeStreamSummaryOutput struct {
	StreamDescriptionSummary StreamDescriptionSummary `json:"StreamDescriptionSummary"`
}

// DescribeStreamSummary describes a stream without its shards.
func (s *Service) DescribeStreamSummary(ctx context.Context, in *StreamInput) (*DescribeStreamSummaryOutput, error) {
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	r := &st.rec
	return &DescribeStreamSummaryOutput{StreamDescriptionSummary{StreamName: r.Name, StreamARN: r.arn(), StreamId: r.ID, StreamStatus: "ACTIVE",
		StreamModeDetails: &StreamModeDetails{r.Mode}, RetentionPeriodHours: r.RetentionHours, StreamCreationTimestamp: epoch.New(time.UnixMilli(r.Created)),
		EnhancedMonitoring: []EnhancedMetrics{{ShardLevelMetrics: metricsOrEmpty(r.Metrics)}}, EncryptionType: r.encryptionType(), KeyId: r.Encryption.KeyID,
		OpenShardCount: r.openShards(), ConsumerCount: len(r.Consumers), MaxRecordSizeInKiB: r.maxRecordKiB()}}, nil
}

type ListStreamsInput struct {
	Limit                    *int   `json:"Limit,omitempty"`
	ExclusiveStartStreamName string `json:"ExclusiveStartStreamName,omitempty"`
	NextToken                string `json:"NextToken,omitempty"`
}

type StreamSummary struct {
	StreamName              string             `json:"StreamName"`
	StreamARN               string             `json:"StreamARN"`
	StreamStatus            string             `json:"StreamStatus"`
	StreamModeDetails       *StreamModeDetails `json:"StreamModeDetails,omitempty"`
	StreamCreationTimestamp epoch.Time         `json:"StreamCreationTimestamp"`
}

type ListStreamsOutput struct {
	StreamNames     []string        `json:"StreamNames"`
	HasMoreStreams  bool            `json:"HasMoreStreams"`
	NextToken       string          `json:"NextToken,omitempty"`
	StreamSummaries []StreamSummary `json:"StreamSummaries"`
}

// ListStreams lists the streams of the account in the region, by name.
func (s *Service) ListStreams(ctx context.Context, in *ListStreamsInput) (*ListStreamsOutput, error) {
	sc := scopeOf(ctx)
	limit, err := pageSize(in.Limit, 100, 10000, "limit")
	if err != nil {
		return nil, err
	}
	after := in.ExclusiveStartStreamName
	if in.NextToken != "" {
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil || json.Unmarshal(b, &after) != nil {
			return nil, invalidArg("NextToken is not valid.")
		}
	}
	s.mu.RLock()
	var mine []*stream
	for k, st := range s.streams {
		if k.account == sc.account && k.region == sc.region && k.name > after {
			mine = append(mine, st)
		}
	}
	s.mu.RUnlock()
	sort.Slice(mine, func(i, j int) bool { return mine[i].key.name < mine[j].key.name })
	out := &ListStreamsOutput{StreamNames: []string{}, StreamSummaries: []StreamSummary{}}
	for i, st := range mine {
		if i == limit {
			out.HasMoreStreams = true
			b, _ := json.Marshal(mine[i-1].key.name)
			out.NextToken = base64.RawURLEncoding.EncodeToString(b)
			break
		}
		st.mu.RLock()
		r := &st.rec
		out.StreamNames = append(out.StreamNames, r.Name)
		out.StreamSummaries = append(out.StreamSummaries, StreamSummary{StreamName: r.Name, StreamARN: r.arn(), StreamStatus: "ACTIVE",
			StreamModeDetails: &StreamModeDetails{r.Mode}, StreamCreationTimestamp: epoch.New(time.UnixMilli(r.Created))})
		st.mu.RUnlock()
	}
	return out, nil
}

type ShardFilter struct {
	Type      string      `json:"Type"`
	ShardId   string      `json:"ShardId,omitempty"`
	Timestamp *epoch.Time `json:"Timestamp,omitempty"`
}

type ListShardsInput struct {
	StreamInput
	NextToken               string       `json:"NextToken,omitempty"`
	ExclusiveStartShardId   string       `json:"ExclusiveStartShardId,omitempty"`
	MaxResults              *int         `json:"MaxResults,omitempty"`
	StreamCreationTimestamp *epoch.Time  `json:"StreamCreationTimestamp,omitempty"`
	ShardFilter             *ShardFilter `json:"ShardFilter,omitempty"`
}

type ListShardsOutput struct {
	Shards    []Shard `json:"Shards"`
	NextToken string  `json:"NextToken,omitempty"`
}

type shardsToken struct {
	Stream string       `json:"s"`
	After  int          `json:"a"`
	Filter *ShardFilter `json:"f,omitempty"`
}

// ListShards pages through a stream's shards, optionally filtered.
func (s *Service) ListShards(ctx context.Context, in *ListShardsInput) (*ListShardsOutput, error) {
	limit, err := pageSize(in.MaxResults, 1000, 10000, "maxResults")
	if err != nil {
		return nil, err
	}
	after, filter := -1, in.ShardFilter
	name, arn := in.StreamName, in.StreamARN
	if in.NextToken != "" {
		if name != "" || in.ExclusiveStartShardId != "" || in.ShardFilter != nil {
			return nil, invalidArg("NextToken and StreamName cannot be provided together.")
		}
		var tok shardsToken
		b, err := base64.RawURLEncoding.DecodeString(in.NextToken)
		if err != nil || json.Unmarshal(b, &tok) != nil {
			return nil, invalidArg("NextToken is not valid.")
		}
		arn, name, after, filter = "", tok.Stream, tok.After, tok.Filter
	}
	if in.ExclusiveStartShardId != "" {
		var ok bool
		if after, ok = parseShardID(in.ExclusiveStartShardId); !ok {
			return nil, validation(in.ExclusiveStartShardId, "exclusiveStartShardId", "satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
		}
	}
	keep := func(*shardRecord) bool { return true }
	if filter != nil {
		var err error
		if keep, after, err = s.shardFilter(filter, after); err != nil {
			return nil, err
		}
	}
	st, err := s.lookup(ctx, name, arn)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	out := &ListShardsOutput{Shards: []Shard{}}
	for i := range st.rec.Shards {
		sh := &st.rec.Shards[i]
		if sh.Index <= after || !keep(sh) {
			continue
		}
		if len(out.Shards) == limit {
			b, _ := json.Marshal(shardsToken{Stream: st.key.name, After: out.lastIndex(), Filter: filter})
			out.NextToken = base64.RawURLEncoding.EncodeToString(b)
			break
		}
		out.Shards = append(out.Shards, sh.api())
	}
	return out, nil
}

func (o *ListShardsOutput) lastIndex() int {
	n, _ := parseShardID(o.Shards[len(o.Shards)-1].ShardId)
	return n
}

// shardFilter reads a ListShards filter.
func (s *Service) shardFilter(f *ShardFilter, after int) (func(*shardRecord) bool, int, error) {
	all := func(*shardRecord) bool { return true }
	switch f.Type {
	case "AFTER_SHARD_ID":
		n, ok := parseShardID(f.ShardId)
		if !ok {
			return nil, 0, invalidArg("ShardFilter of type AFTER_SHARD_ID needs a ShardId.")
		}
		return all, max(after, n), nil
	case "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON":
		return all, after, nil
	case "AT_LATEST":
		return (*shardRecord).open, after, nil
	case "AT_TIMESTAMP", "FROM_TIMESTAMP":
		if f.Timestamp == nil {
			return nil, 0, invalidArg("ShardFilter of type %s needs a Timestamp.", f.Type)
		}
		ts := f.Timestamp.UnixMilli()
		if f.Type == "AT_TIMESTAMP" {
			return func(r *shardRecord) bool { return r.Opened <= ts && (r.open() || r.Closed > ts) }, after, nil
		}
		return func(r *shardRecord) bool { return r.open() || r.Closed > ts }, after, nil
	}
	return nil, 0, validation(f.Type, "shardFilter.type", "satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]")
}

type RetentionInput struct {
	StreamInput
	RetentionPeriodHours int `json:"RetentionPeriodHours"`
}

// IncreaseStreamRetentionPeriod lengthens how long records are kept.
func (s *Service) IncreaseStreamRetentionPeriod(ctx context.Context, in *RetentionInput) (*struct{}, error) {
	return s.retention(ctx, in, true)
}

// DecreaseStreamRetentionPeriod shortens how long records are kept; older
// records are no longer returned.
func (s *Service) DecreaseStreamRetentionPeriod(ctx context.Context, in *RetentionInput) (*struct{}, error) {
	return s.retention(ctx, in, false)
}

func (s *Service) retention(ctx context.Context, in *RetentionInput, increase bool) (*struct{}, error) {
	h := in.RetentionPeriodHours
	if h < 1 {
		return nil, validation(h, "retentionPeriodHours", "have value greater than or equal to 1")
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	if h < minRetention {
		return nil, invalidArg("Minimum allowed retention period is %d hours. Requested retention period (%d hours) is too short.", minRetention, h)
	}
	if h > maxRetention {
		return nil, invalidArg("Maximum allowed retention period is %d hours. Requested retention period (%d hours) is too long.", maxRetention, h)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	cur := st.rec.RetentionHours
	if increase && h < cur {
		return nil, invalidArg("Requested retention period (%d hours) for stream %s can not be shorter than existing retention period (%d hours). Use DecreaseRetentionPeriod API.", h, st.key.name, cur)
	}
	if !increase && h > cur {
		return nil, invalidArg("Requested retention period (%d hours) for stream %s can not be longer than existing retention period (%d hours). Use IncreaseRetentionPeriod API.", h, st.key.name, cur)
	}
	now := s.nowMs()
	return s.update(st, func(r *streamRecord) {
		r.Expired = r.horizon(now)
		r.RetentionHours = h
	})
}

// update changes a stream's record, st.mu held.
func (s *Service) update(st *stream, change func(*streamRecord)) (*struct{}, error) {
	next := st.rec
	next.Shards = slices.Clone(st.rec.Shards)
	next.Tags = cloneMap(st.rec.Tags)
	next.Metrics = slices.Clone(st.rec.Metrics)
	next.Consumers = slices.Clone(st.rec.Consumers)
	next.Encryption.Keys = slices.Clone(st.rec.Encryption.Keys)
	change(&next)
	if err := s.save(&next); err != nil {
		return nil, err
	}
	st.rec = next
	st.route = newRouter(next.Shards)
	return &struct{}{}, nil
}

func cloneMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

type UpdateStreamModeInput struct {
	StreamARN         string             `json:"StreamARN"`
	StreamModeDetails *StreamModeDetails `json:"StreamModeDetails"`
}

// UpdateStreamMode switches a stream between provisioned and on-demand
// capacity. Its shards stay as they are.
func (s *Service) UpdateStreamMode(ctx context.Context, in *UpdateStreamModeInput) (*struct{}, error) {
	if in.StreamModeDetails == nil || (in.StreamModeDetails.StreamMode != modeProvisioned && in.StreamModeDetails.StreamMode != modeOnDemand) {
		return nil, validation("", "streamModeDetails.streamMode", "satisfy enum value set: [PROVISIONED, ON_DEMAND]")
	}
	st, err := s.lookup(ctx, "", in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return s.update(st, func(r *streamRecord) { r.Mode = in.StreamModeDetails.StreamMode })
}

type UpdateMaxRecordSizeInput struct {
	StreamARN          string `json:"StreamARN,omitempty"`
	StreamId           string `json:"StreamId,omitempty"`
	MaxRecordSizeInKiB *int   `json:"MaxRecordSizeInKiB"`
}

// UpdateMaxRecordSize sets the largest record a stream takes, 1 to 10 MiB.
func (s *Service) UpdateMaxRecordSize(ctx context.Context, in *UpdateMaxRecordSizeInput) (*struct{}, error) {
	if in.MaxRecordSizeInKiB == nil {
		return nil, validation(nil, "maxRecordSizeInKiB", "not be null")
	}
	if err := checkMaxRecordSize(*in.MaxRecordSizeInKiB); err != nil {
		return nil, err
	}
	st, err := s.lookup(ctx, "", in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return s.update(st, func(r *streamRecord) { r.MaxRecordKiB = *in.MaxRecordSizeInKiB })
}

type DescribeLimitsOutput struct {
	ShardLimit               int `json:"ShardLimit"`
	OpenShardCount           int `json:"OpenShardCount"`
	OnDemandStreamCount      int `json:"OnDemandStreamCount"`
	OnDemandStreamCountLimit int `json:"OnDemandStreamCountLimit"`
}

// DescribeLimits reports the account's shard quota and use.
func (s *Service) DescribeLimits(ctx context.Context, _ *struct{}) (*DescribeLimitsOutput, error) {
	sc := scopeOf(ctx)
	out := &DescribeLimitsOutput{ShardLimit: s.opts.ShardLimit, OnDemandStreamCountLimit: onDemandStreamLimit}
	s.mu.RLock()
	defer s.mu.RUnlock()
	for k, st := range s.streams {
		if k.account == sc.account && k.region == sc.region {
			st.mu.RLock()
			out.OpenShardCount += st.rec.openShards()
			if st.rec.Mode == modeOnDemand {
				out.OnDemandStreamCount++
			}
			st.mu.RUnlock()
		}
	}
	return out, nil
}

var shardLevelMetrics = []string{"IncomingBytes", "IncomingRecords", "OutgoingBytes", "OutgoingRecords",
	"WriteProvisionedThroughputExceeded", "ReadProvisionedThroughputExceeded", "IteratorAgeMilliseconds"}

type MonitoringInput struct {
	StreamInput
	ShardLevelMetrics []string `json:"ShardLevelMetrics"`
}

type EnhancedMonitoringOutput struct {
	StreamName               string   `json:"StreamName"`
	StreamARN                string   `json:"StreamARN"`
	CurrentShardLevelMetrics []string `json:"CurrentShardLevelMetrics"`
	DesiredShardLevelMetrics []string `json:"DesiredShardLevelMetrics"`
}

// EnableEnhancedMonitoring records which shard-level metrics a stream
// publishes. Lakebox records them; they are published once it serves
// CloudWatch.
func (s *Service) EnableEnhancedMonitoring(ctx context.Context, in *MonitoringInput) (*EnhancedMonitoringOutput, error) {
	return s.monitoring(ctx, in, true)
}

// DisableEnhancedMonitoring is EnableEnhancedMonitoring's reverse.
func (s *Service) DisableEnhancedMonitoring(ctx context.Context, in *MonitoringInput) (*EnhancedMonitoringOutput, error) {
	return s.monitoring(ctx, in, false)
}

func (s *Service) monitoring(ctx context.Context, in *MonitoringInput, enable bool) (*EnhancedMonitoringOutput, error) {
	if err := awserr.LengthValidation(in.ShardLevelMetrics, "shardLevelMetrics", len(in.ShardLevelMetrics), 1, 7); err != nil {
		return nil, err
	}
	metrics := map[string]bool{}
	for _, m := range in.ShardLevelMetrics {
		switch {
		case m == "ALL":
			for _, x := range shardLevelMetrics {
				metrics[x] = true
			}
		case slices.Contains(shardLevelMetrics, m):
			metrics[m] = true
		default:
			return nil, validation(m, "shardLevelMetrics", "satisfy enum value set: ["+strings.Join(shardLevelMetrics, ", ")+", ALL]")
		}
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	current := metricsOrEmpty(slices.Clone(st.rec.Metrics))
	var desired []string
	for _, m := range shardLevelMetrics {
		if had := slices.Contains(current, m); enable && (had || metrics[m]) || !enable && had && !metrics[m] {
			desired = append(desired, m)
		}
	}
	if _, err := s.update(st, func(r *streamRecord) { r.Metrics = desired }); err != nil {
		return nil, err
	}
	return &EnhancedMonitoringOutput{StreamName: st.key.name, StreamARN: st.rec.arn(), CurrentShardLevelMetrics: current, DesiredShardLevelMetrics: metricsOrEmpty(desired)}, nil
}
