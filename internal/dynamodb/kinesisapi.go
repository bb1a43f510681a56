package dynamodb

import (
	"cmp"
	"context"
	"regexp"
	"slices"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// The Kinesis streaming destination operations. A table has at most one
// live (ACTIVE) destination; disabled and failed ones stay listed, and
// enabling one of those again turns it back on. Changes take effect at
// once: the calls answer the transitional state AWS answers (ENABLING,
// DISABLING, UPDATING), and DescribeKinesisStreamingDestination shows the
// state reached. A stream that cannot be used (missing, in another region
// or account) fails the destination as AWS does: ENABLE_FAILED with the
// reason, not an error from the call.

type KinesisStreamingDestinationInput struct {
	TableName                           string                `json:"TableName"`
	StreamArn                           string                `json:"StreamArn"`
	EnableKinesisStreamingConfiguration *kinesisStreamingConf `json:"EnableKinesisStreamingConfiguration,omitempty"`
}

type kinesisStreamingConf struct {
	ApproximateCreationDateTimePrecision string `json:"ApproximateCreationDateTimePrecision,omitempty"`
}

type KinesisStreamingDestinationOutput struct {
	TableName                           string                `json:"TableName"`
	StreamArn                           string                `json:"StreamArn"`
	DestinationStatus                   string                `json:"DestinationStatus"`
	EnableKinesisStreamingConfiguration *kinesisStreamingConf `json:"EnableKinesisStreamingConfiguration,omitempty"`
}

// checkStreamARN checks the StreamArn parameter's length, as the model does.
func checkStreamARN(arn string) error {
	return awserr.LengthValidation(arn, "streamArn", len(arn), 37, 1024)
}

// checkPrecision checks a precision; it returns what the destination keeps
// ("" for milliseconds never set).
func checkPrecision(c *kinesisStreamingConf, field string) (string, error) {
	if c == nil {
		return "", nil
	}
	switch p := c.ApproximateCreationDateTimePrecision; p {
	case "", "MILLISECOND", "MICROSECOND":
		return p, nil
	default:
		return "", modelValidation(p, field+".approximateCreationDateTimePrecision", "satisfy enum value set: [MILLISECOND, MICROSECOND]")
	}
}

// notValidState is AWS's message for a destination in the wrong state.
func notValidState(format string, args ...any) error {
	return validationf("Table is not in a valid state to enable Kinesis Streaming Destination: "+format, args...)
}

// EnableKinesisStreamingDestination starts putting the table's changes
// into a Kinesis stream.
func (s *Service) EnableKinesisStreamingDestination(ctx context.Context, in *KinesisStreamingDestinationInput) (*KinesisStreamingDestinationOutput, error) {
	if err := checkStreamARN(in.StreamArn); err != nil {
		return nil, err
	}
	precision, err := checkPrecision(in.EnableKinesisStreamingConfiguration, "enableKinesisStreamingConfiguration")
	if err != nil {
		return nil, err
	}
	t, err := s.lockNamed(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	rec := t.rec
	for _, d := range rec.Kinesis {
		if d.Status == destActive {
			return nil, notValidState("EnableKinesisStreamingDestination must be DISABLED or ENABLE_FAILED to perform ENABLE operation.")
		}
	}
	d := kinesisDestination{StreamARN: in.StreamArn, Precision: precision}
	if reason, err := s.usableStream(ctx, &rec, in.StreamArn); err != nil {
		return nil, err
	} else if reason != "" {
		d.Status, d.Description = destEnableFailed, reason
	} else {
		d.Status, d.Outbox = destActive, newID()
	}
	// Enabling a listed destination again turns that one back on.
	rec.Kinesis = slices.DeleteFunc(slices.Clone(rec.Kinesis), func(o kinesisDestination) bool { return o.StreamARN == in.StreamArn })
	rec.Kinesis = append(rec.Kinesis, d)
	b := s.db.NewBatch()
	var ob *outbox
	if d.Outbox != "" {
		ob = &outbox{rec: outboxRecord{ID: d.Outbox, Account: rec.Account, Region: rec.Region, TableName: rec.Name, StreamARN: d.StreamARN}}
		ob.start(1)
		ob.from = 1
		if err := saveOutbox(b, &ob.rec); err != nil {
			b.Close()
			return nil, err
		}
	}
	if err := s.commitTable(b, &rec); err != nil {
		return nil, err
	}
	if ob != nil {
		s.mu.Lock()
		s.outboxes[ob.rec.ID] = ob
		s.mu.Unlock()
	}
	t.rec = rec
	return &KinesisStreamingDestinationOutput{TableName: rec.Name, StreamArn: in.StreamArn, DestinationStatus: "ENABLING",
		EnableKinesisStreamingConfiguration: in.EnableKinesisStreamingConfiguration}, nil
}

// usableStream tells why a table cannot stream to arn ("" if it can): the
// stream must exist, in the table's account and region.
func (s *Service) usableStream(ctx context.Context, rec *tableRecord, arn string) (string, error) {
	const noPermission = "User does not have a permission to use kinesis stream"
	// arn:aws:kinesis:<region>:<account>:stream/<name>
	parts := strings.SplitN(arn, ":", 6)
	if len(parts) != 6 || parts[0] != "arn" || parts[2] != "kinesis" || !kinesisAccount.MatchString(parts[4]) ||
		!kinesisStreamName.MatchString(strings.TrimPrefix(parts[5], "stream/")) || !strings.HasPrefix(parts[5], "stream/") {
		return noPermission, nil
	}
	if parts[3] != rec.Region {
		return "The kinesis Arn used to enable kinesis replication belongs to a stream which is not in the current region", nil
	}
	if parts[4] != rec.Account {
		return "The kinesis stream is not in Active state", nil
	}
	if s.opts.Kinesis == nil {
		return "", ErrValidation.WithMessage("Kinesis streaming destinations are not available on this server")
	}
	ok, err := s.opts.Kinesis.Exists(ctx, rec.Account, rec.Region, arn)
	if err != nil {
		return "", err
	}
	if !ok {
		return noPermission, nil
	}
	return "", nil
}

var (
	kinesisAccount    = regexp.MustCompile(`^\d{12}$`)
	kinesisStreamName = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,128}$`)
)

// DisableKinesisStreamingDestination stops putting the table's changes
// into a stream. Changes made before are still delivered.
func (s *Service) DisableKinesisStreamingDestination(ctx context.Context, in *KinesisStreamingDestinationInput) (*KinesisStreamingDestinationOutput, error) {
	if err := checkStreamARN(in.StreamArn); err != nil {
		return nil, err
	}
	if c := in.EnableKinesisStreamingConfiguration; c != nil && c.ApproximateCreationDateTimePrecision != "" {
		return nil, validationf("Stream cannot be disabled using EnableKinesisStreamingConfiguration parameters")
	}
	t, err := s.lockNamed(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	rec := t.rec
	i := slices.IndexFunc(rec.Kinesis, func(d kinesisDestination) bool { return d.StreamARN == in.StreamArn && d.Status == destActive })
	if i < 0 {
		return nil, notValidState("KinesisStreamingDestination must be ACTIVE to perform DISABLE operation.")
	}
	rec.Kinesis = slices.Clone(rec.Kinesis)
	b := s.db.NewBatch()
	retired, err := s.retireOutbox(b, &rec.Kinesis[i])
	if err != nil {
		b.Close()
		return nil, err
	}
	rec.Kinesis[i].Status, rec.Kinesis[i].Outbox = destDisabled, ""
	if err := s.commitTable(b, &rec); err != nil {
		return nil, err
	}
	retired()
	t.rec = rec
	return &KinesisStreamingDestinationOutput{TableName: rec.Name, StreamArn: in.StreamArn, DestinationStatus: "DISABLING"}, nil
}

type KinesisDataStreamDestination struct {
	StreamArn                            string `json:"StreamArn"`
	DestinationStatus                    string `json:"DestinationStatus"`
	DestinationStatusDescription         string `json:"DestinationStatusDescription,omitempty"`
	ApproximateCreationDateTimePrecision string `json:"ApproximateCreationDateTimePrecision,omitempty"`
}

type DescribeKinesisStreamingDestinationOutput struct {
	TableName                     string                         `json:"TableName"`
	KinesisDataStreamDestinations []KinesisDataStreamDestination `json:"KinesisDataStreamDestinations"`
}

// DescribeKinesisStreamingDestination lists a table's destinations.
func (s *Service) DescribeKinesisStreamingDestination(ctx context.Context, in *TableNameInput) (*DescribeKinesisStreamingDestinationOutput, error) {
	t, err := s.lookupNamed(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	rec := t.rec
	t.mu.RUnlock()
	out := &DescribeKinesisStreamingDestinationOutput{TableName: rec.Name, KinesisDataStreamDestinations: []KinesisDataStreamDestination{}}
	for _, d := range rec.Kinesis {
		desc := d.Description
		if ob := s.outboxByID(d.Outbox); d.Status == destActive && ob != nil {
			if why := ob.failing.Load(); why != nil {
				desc = *why // Kinesis refuses its records: say why
			}
		}
		out.KinesisDataStreamDestinations = append(out.KinesisDataStreamDestinations, KinesisDataStreamDestination{
			StreamArn: d.StreamARN, DestinationStatus: d.Status, DestinationStatusDescription: desc,
			ApproximateCreationDateTimePrecision: d.Precision,
		})
	}
	return out, nil
}

type UpdateKinesisStreamingDestinationInput struct {
	TableName                           string                `json:"TableName"`
	StreamArn                           string                `json:"StreamArn"`
	UpdateKinesisStreamingConfiguration *kinesisStreamingConf `json:"UpdateKinesisStreamingConfiguration,omitempty"`
}

type UpdateKinesisStreamingDestinationOutput struct {
	TableName                           string                `json:"TableName"`
	StreamArn                           string                `json:"StreamArn"`
	DestinationStatus                   string                `json:"DestinationStatus"`
	UpdateKinesisStreamingConfiguration *kinesisStreamingConf `json:"UpdateKinesisStreamingConfiguration,omitempty"`
}

// UpdateKinesisStreamingDestination changes the precision of the
// timestamps an active destination's records carry.
func (s *Service) UpdateKinesisStreamingDestination(ctx context.Context, in *UpdateKinesisStreamingDestinationInput) (*UpdateKinesisStreamingDestinationOutput, error) {
	if err := checkStreamARN(in.StreamArn); err != nil {
		return nil, err
	}
	precision, err := checkPrecision(in.UpdateKinesisStreamingConfiguration, "updateKinesisStreamingConfiguration")
	if err != nil {
		return nil, err
	}
	if precision == "" {
		return nil, validationf("Streaming destination cannot be updated with given parameters: UpdateKinesisStreamingConfiguration cannot be null or contain only null values")
	}
	t, err := s.lockNamed(ctx, in.TableName)
	if err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	rec := t.rec
	i := slices.IndexFunc(rec.Kinesis, func(d kinesisDestination) bool { return d.StreamARN == in.StreamArn })
	switch {
	case i < 0:
		return nil, notValidState("No streaming destination with streamArn: %s found for table with tableName: %s", in.StreamArn, rec.Name)
	case rec.Kinesis[i].Status != destActive:
		return nil, notValidState("Kinesis streaming is not in ACTIVE state. Updates are only allowed in ACTIVE state. TableName: %s, kdsArn: %s", rec.Name, in.StreamArn)
	}
	// Never set means milliseconds.
	if current := cmp.Or(rec.Kinesis[i].Precision, "MILLISECOND"); current == precision {
		return nil, validationf("Invalid Request: Precision is already set to the desired value of %s for tableId: %s, kdsArn: %s", precision, rec.ID, in.StreamArn)
	}
	rec.Kinesis = slices.Clone(rec.Kinesis)
	rec.Kinesis[i].Precision = precision
	if err := s.commitTable(s.db.NewBatch(), &rec); err != nil {
		return nil, err
	}
	t.rec = rec
	return &UpdateKinesisStreamingDestinationOutput{TableName: rec.Name, StreamArn: in.StreamArn, DestinationStatus: "UPDATING",
		UpdateKinesisStreamingConfiguration: in.UpdateKinesisStreamingConfiguration}, nil
}
