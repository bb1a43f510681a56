package dynamodb

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/klauspost/compress/zstd"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

// ImportTable makes a new table from the objects under an S3 prefix in
// Lakebox's S3: DYNAMODB_JSON (one {"Item":{...}} per line, as exports
// write it) or CSV (a header, from the first line of each file or
// HeaderList; key attributes typed as their definitions say, every other
// value a string). A line that does not make a valid item is counted in
// ErrorCount, logged and skipped, as AWS does. The import runs within the
// request and answers COMPLETED; FAILED with ItemValidationError when it
// skipped any line, its table kept with the valid items, as on AWS; or
// FAILED with its table removed again when the objects cannot be read. A
// table a crash cut short is removed at the next start (it is marked
// Filling until done). Descriptions are kept under
// ddb\x00I\x00<account>\x00<region>\x00<import id>.

var importPrefix = []byte("ddb\x00I\x00")

var (
	ErrImportConflict = awserr.New("ImportConflictException", 400, "Import conflict")
	ErrImportNotFound = awserr.New("ImportNotFoundException", 400, "Import not found")
)

type S3BucketSource struct {
	S3BucketOwner string `json:"S3BucketOwner,omitempty"`
	S3Bucket      string `json:"S3Bucket"`
	S3KeyPrefix   string `json:"S3KeyPrefix,omitempty"`
}

type CsvOptions struct {
	Delimiter  string   `json:"Delimiter,omitempty"`
	HeaderList []string `json:"HeaderList,omitempty"`
}

type InputFormatOptions struct {
	Csv *CsvOptions `json:"Csv,omitempty"`
}

type TableCreationParameters struct {
	TableName              string                 `json:"TableName"`
	AttributeDefinitions   []AttributeDefinition  `json:"AttributeDefinitions"`
	KeySchema              []KeySchemaElement     `json:"KeySchema"`
	BillingMode            string                 `json:"BillingMode,omitempty"`
	ProvisionedThroughput  *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	GlobalSecondaryIndexes []SecondaryIndex       `json:"GlobalSecondaryIndexes,omitempty"`
	SSESpecification       *SSESpecification      `json:"SSESpecification,omitempty"`
	OnDemandThroughput     any                    `json:"OnDemandThroughput,omitempty"` // refused
}

type ImportTableInput struct {
	ClientToken             string                   `json:"ClientToken,omitempty"`
	S3BucketSource          *S3BucketSource          `json:"S3BucketSource"`
	InputFormat             string                   `json:"InputFormat"`
	InputFormatOptions      *InputFormatOptions      `json:"InputFormatOptions,omitempty"`
	InputCompressionType    string                   `json:"InputCompressionType,omitempty"`
	TableCreationParameters *TableCreationParameters `json:"TableCreationParameters"`
}

type ImportTableDescription struct {
	ImportArn               string                  `json:"ImportArn"`
	ImportStatus            string                  `json:"ImportStatus"`
	TableArn                string                  `json:"TableArn"`
	TableId                 string                  `json:"TableId"`
	ClientToken             string                  `json:"ClientToken,omitempty"`
	S3BucketSource          S3BucketSource          `json:"S3BucketSource"`
	ErrorCount              int64                   `json:"ErrorCount"`
	InputFormat             string                  `json:"InputFormat"`
	InputFormatOptions      *InputFormatOptions     `json:"InputFormatOptions,omitempty"`
	InputCompressionType    string                  `json:"InputCompressionType"`
	TableCreationParameters TableCreationParameters `json:"TableCreationParameters"`
	StartTime               epoch.Time              `json:"StartTime"`
	EndTime                 *epoch.Time             `json:"EndTime,omitempty"`
	ProcessedSizeBytes      int64                   `json:"ProcessedSizeBytes"`
	ProcessedItemCount      int64                   `json:"ProcessedItemCount"`
	ImportedItemCount       int64                   `json:"ImportedItemCount"`
	FailureCode             string                  `json:"FailureCode,omitempty"`
	FailureMessage          string                  `json:"FailureMessage,omitempty"`
}

type ImportTableOutput struct {
	ImportTableDescription ImportTableDescription `json:"ImportTableDescription"`
}

// sameImport tells whether in, a request with the ClientToken of the
// earlier import prev, asks for the same import: its source, format,
// options, compression (as normalized) and table, all of them.
func sameImport(prev *ImportTableDescription, in *ImportTableInput, compression string) bool {
	type request struct {
		Source      S3BucketSource
		Format      string
		Options     *InputFormatOptions
		Compression string
		Table       TableCreationParameters
	}
	a, errA := json.Marshal(request{prev.S3BucketSource, prev.InputFormat, prev.InputFormatOptions, prev.InputCompressionType, prev.TableCreationParameters})
	b, errB := json.Marshal(request{*in.S3BucketSource, in.InputFormat, in.InputFormatOptions, compression, *in.TableCreationParameters})
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// ImportTable creates a table and fills it from S3.
func (s *Service) ImportTable(ctx context.Context, in *ImportTableInput) (*ImportTableOutput, error) {
	sc := scopeOf(ctx)
	src, params := in.S3BucketSource, in.TableCreationParameters
	compression := in.InputCompressionType
	if compression == "" {
		compression = "NONE"
	}
	switch {
	case src == nil || src.S3Bucket == "":
		return nil, modelValidation(nil, "s3BucketSource.s3Bucket", "not be null")
	case params == nil:
		return nil, modelValidation(nil, "tableCreationParameters", "not be null")
	case in.InputFormat == "ION":
		return nil, validationf("Lakebox imports DYNAMODB_JSON and CSV; ION is not supported yet.")
	case in.InputFormat != "DYNAMODB_JSON" && in.InputFormat != "CSV":
		return nil, modelValidation(in.InputFormat, "inputFormat", "satisfy enum value set: [DYNAMODB_JSON, ION, CSV]")
	case compression != "NONE" && compression != "GZIP" && compression != "ZSTD":
		return nil, modelValidation(in.InputCompressionType, "inputCompressionType", "satisfy enum value set: [GZIP, ZSTD, NONE]")
	case in.InputFormatOptions != nil && in.InputFormatOptions.Csv != nil && in.InputFormat != "CSV":
		return nil, validationf("InputFormatOptions.Csv is only for the CSV input format")
	case src.S3BucketOwner != "" && src.S3BucketOwner != sc.account:
		return nil, validationf("Lakebox imports from buckets of the table's own account (%s) only.", sc.account)
	}
	delimiter := ','
	var header []string
	if o := in.InputFormatOptions; o != nil && o.Csv != nil {
		if d := o.Csv.Delimiter; d != "" {
			r, size := utf8.DecodeRuneInString(d)
			if size != len(d) || !strings.ContainsRune(",\t:;| ", r) {
				return nil, validationf("The CSV delimiter must be one of: comma, tab, colon, semicolon, pipe or space")
			}
			delimiter = r
		}
		if len(o.Csv.HeaderList) > 0 {
			header = o.Csv.HeaderList
		}
	}
	// A retry with the import's ClientToken gets the import, also while it
	// runs (boto3 retries an import that outlasts its 60 s read timeout).
	prev, release, err := claimToken(s, importPrefix, sc, in.ClientToken, func(d *ImportTableDescription) string { return d.ClientToken })
	defer func() { release() }()
	switch {
	case err != nil:
		return nil, err
	case prev != nil && !sameImport(prev, in, compression):
		return nil, ErrImportConflict.WithMessage("An import with client token %s and other parameters exists", in.ClientToken)
	case prev != nil:
		return &ImportTableOutput{ImportTableDescription: *prev}, nil
	}
	// Locked for the fill from its creation: writers wait until it is
	// filled, and a failed import takes the table away again before
	// anyone else can use it.
	_, t, err := s.createTable(ctx, &CreateTableInput{TableName: params.TableName, KeySchema: params.KeySchema,
		AttributeDefinitions: params.AttributeDefinitions, BillingMode: params.BillingMode, ProvisionedThroughput: params.ProvisionedThroughput,
		GlobalSecondaryIndexes: params.GlobalSecondaryIndexes, SSESpecification: params.SSESpecification,
		notServed: notServed{OnDemandThroughput: params.OnDemandThroughput}}, true,
		nameFields{table: "tableCreationParameters.tableName", gsis: "tableCreationParameters.globalSecondaryIndexes", params: "tableCreationParameters."})
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	id := jobID(now)
	key := jobKey(importPrefix, sc, id)
	d := ImportTableDescription{ImportArn: t.rec.arn() + "/import/" + id, ImportStatus: "IN_PROGRESS", TableArn: t.rec.arn(),
		TableId: t.rec.ID, ClientToken: in.ClientToken, S3BucketSource: *src, InputFormat: in.InputFormat,
		InputFormatOptions: in.InputFormatOptions, InputCompressionType: compression, TableCreationParameters: *params,
		StartTime: epoch.New(now)}
	imp := &importer{s: s, d: &d, compression: compression, delimiter: delimiter, header: header, pending: map[string]Item{}}
	// Until the import has ended, COMPLETED or FAILED, any way out (an
	// error, a panic) takes the half-filled table away, records the import
	// FAILED and unlocks the table.
	ended := false
	defer func() {
		if !ended {
			if !t.deleted {
				s.deleteTable(t) // best effort: the request fails anyway
			}
			if d.ImportStatus != "FAILED" { // keep a failure's own reason
				d.ImportStatus, d.FailureCode, d.FailureMessage = "FAILED", "InternalServerError", "The import could not finish."
			}
			d.EndTime = epoch.Ptr(s.clock.Now())
			s.saveJob(key, d)
		}
		t.unlockFilled()
	}()
	// Recorded before it runs, so retries and DescribeImport see it; a
	// crash that cuts it short leaves the record for New to mark FAILED
	// (failInterruptedJobs) when it removes the half-filled table.
	if err := s.saveJob(key, d); err != nil {
		return nil, err
	}
	release()
	release = func() {}
	if err := imp.run(ctx, sc, &t.rec); err != nil {
		d.ImportStatus, d.FailureCode, d.FailureMessage = "FAILED", failureCode(err, "S3ReadFailed"), err.Error()
		if _, err := s.deleteTable(t); err != nil {
			return nil, err
		}
		d.EndTime = epoch.Ptr(s.clock.Now())
		if err := s.saveJob(key, d); err != nil {
			return nil, err
		}
		ended = true
		return &ImportTableOutput{ImportTableDescription: d}, nil
	}
	// COMPLETED in the commit that clears the table's Filling mark: a crash
	// keeps both or neither. An import that skipped any line ends FAILED,
	// as on AWS, its table kept with the items that were valid.
	done := d
	done.ImportStatus, done.EndTime = "COMPLETED", epoch.Ptr(s.clock.Now())
	if done.ErrorCount > 0 {
		done.ImportStatus, done.FailureCode = "FAILED", "ItemValidationError"
		done.FailureMessage = fmt.Sprintf("Some of the items failed validation checks and were not imported. The server's log names why (the first %d).", maxLoggedSkips)
	}
	body, err := json.Marshal(done)
	if err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	b.Set(key, body)
	if err := s.filled(t, b); err != nil {
		return nil, err
	}
	ended = true
	return &ImportTableOutput{ImportTableDescription: done}, nil
}

// importer reads an import's objects into its table.
type importer struct {
	s           *Service
	d           *ImportTableDescription
	compression string
	delimiter   rune
	header      []string // CSV: HeaderList, or nil for each file's first line
	w           *writeBatch
	pending     map[string]Item // the items in w, by key: a later line replaces them
	n           int
	object      string // the key of the object being read, for the log
}

func (imp *importer) run(ctx context.Context, sc scope, rec *tableRecord) error {
	lake := imp.s.opts.Lake
	if lake == nil {
		return errors.New("no object store to import from")
	}
	src := imp.d.S3BucketSource
	var keys []string
	err := lake.List(ctx, sc.account, src.S3Bucket, src.S3KeyPrefix, func(key string, size int64) error {
		if size > 0 && !strings.HasSuffix(key, "/") { // folder markers, exports' _started
			keys = append(keys, key)
		}
		return nil
	})
	if err != nil {
		return err
	}
	imp.w = imp.s.newWriteBatch()
	defer func() { imp.w.discard() }()
	for _, key := range keys {
		if err := imp.file(ctx, sc, rec, key); err != nil {
			return err
		}
	}
	return imp.w.commit()
}

// maxLoggedSkips is how many skipped items of one import are logged.
const maxLoggedSkips = 100

// skip counts an item that is not imported and logs why (the first
// maxLoggedSkips of an import), where AWS logs them to CloudWatch.
func (imp *importer) skip(why string) {
	imp.d.ErrorCount++
	if imp.d.ErrorCount <= maxLoggedSkips {
		imp.s.opts.Logger.Warn("dynamodb: an import skipped an item", "import", imp.d.ImportArn, "object", imp.object,
			"item", imp.d.ProcessedItemCount, "reason", why)
	}
}

// file reads one object.
func (imp *importer) file(ctx context.Context, sc scope, rec *tableRecord, key string) error {
	imp.object = key
	body, err := imp.s.opts.Lake.Get(ctx, sc.account, imp.d.S3BucketSource.S3Bucket, key)
	if err != nil {
		return err
	}
	defer body.Close()
	// ProcessedSizeBytes counts the bytes after decompression, as AWS
	// counts them: a compressed and a plain copy of the lines count alike.
	var r io.Reader = body
	switch imp.compression {
	case "GZIP":
		zr, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		defer zr.Close()
		r = zr
	case "ZSTD":
		zr, err := zstd.NewReader(r)
		if err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		defer zr.Close()
		r = zr
	}
	counted := &countingReader{r: r}
	defer func() { imp.d.ProcessedSizeBytes += counted.n }()
	r = counted
	if imp.d.InputFormat == "CSV" {
		return imp.csvFile(rec, r, key)
	}
	sc2 := bufio.NewScanner(r)
	sc2.Buffer(make([]byte, 64<<10), 16<<20) // an item is at most 400 KB, its JSON up to six times that
	for sc2.Scan() {
		line := bytes.TrimSpace(sc2.Bytes())
		if len(line) == 0 {
			continue
		}
		imp.d.ProcessedItemCount++
		var wrapped struct {
			Item json.RawMessage `json:"Item"`
		}
		var item Item
		if json.Unmarshal(line, &wrapped) != nil || len(wrapped.Item) == 0 {
			imp.skip("not a JSON object with an Item")
			continue
		}
		// json/v2's own rules: a line with invalid UTF-8 or a name given
		// twice is an error, as it was before items were parsed by hand.
		if err = jsonv2.Unmarshal(wrapped.Item, &item); err != nil || item == nil {
			imp.skip(fmt.Sprintf("not an item: %v", err))
			continue
		}
		if err := imp.put(rec, item); err != nil {
			return err
		}
	}
	if err := sc2.Err(); err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	return nil
}

func (imp *importer) csvFile(rec *tableRecord, r io.Reader, key string) error {
	cr := csv.NewReader(r)
	cr.Comma = imp.delimiter
	cr.FieldsPerRecord = -1
	header := imp.header
	for {
		fields, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		switch {
		case err == nil:
		case errors.As(err, &pe) && header != nil: // a bad line: counted, skipped
			imp.d.ProcessedItemCount++
			imp.skip(pe.Error())
			continue
		default:
			return fmt.Errorf("%s: %w", key, err)
		}
		if header == nil {
			header = slices.Clone(fields)
			continue
		}
		imp.d.ProcessedItemCount++
		item, ok := csvItem(rec, header, fields)
		if !ok {
			imp.skip("a field does not fit its attribute's type, or the line has more fields than the header")
			continue
		}
		if err := imp.put(rec, item); err != nil {
			return err
		}
	}
}

// csvItem makes an item of a CSV line: key attributes of their declared
// types, the rest strings; empty values are left out.
func csvItem(rec *tableRecord, header, fields []string) (Item, bool) {
	if len(fields) > len(header) {
		return nil, false
	}
	item := Item{}
	for i, v := range fields {
		if v == "" {
			continue
		}
		name := header[i]
		switch rec.attrType(name) {
		case "N":
			n, err := canonicalNumber(v)
			if err != nil {
				return nil, false
			}
			item[name] = AttributeValue{N: &n}
		case "B":
			b, err := base64.StdEncoding.DecodeString(v)
			if err != nil {
				return nil, false
			}
			item[name] = AttributeValue{B: b}
		default:
			s := v
			item[name] = AttributeValue{S: &s}
		}
	}
	return item, true
}

// put writes one imported item, if it is a valid one for the table.
// PutItem's checks, in its order.
func (imp *importer) put(rec *tableRecord, item Item) error {
	if err := checkItem(item); err != nil {
		imp.skip(err.Error())
		return nil
	}
	key, err := rec.keyOf(item, false)
	if err == nil {
		err = rec.checkIndexKeys(item)
	}
	if err == nil && itemSize(item) > maxItemSize {
		err = validationf("Item size has exceeded the maximum allowed size")
	}
	if err != nil {
		imp.skip(err.Error())
		return nil
	}
	body, err := encodeItem(item)
	if err != nil {
		return err
	}
	// A later line with the same key replaces an earlier one, which may
	// still be in the batch.
	old, ok := imp.pending[string(key)]
	if !ok {
		if old, err = imp.s.getItem(key); err != nil {
			return err
		}
	}
	imp.d.ImportedItemCount++ // every write, as AWS counts: Processed = Imported + Errors
	imp.w.put(rec, key, old, item, body)
	imp.pending[string(key)] = item
	if imp.n++; imp.n%500 == 0 {
		if err := imp.w.commit(); err != nil {
			return err
		}
		imp.w = imp.s.newWriteBatch()
		clear(imp.pending)
	}
	return nil
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

type DescribeImportInput struct {
	ImportArn string `json:"ImportArn"`
}

// DescribeImport describes an import by its ARN.
func (s *Service) DescribeImport(ctx context.Context, in *DescribeImportInput) (*ImportTableOutput, error) {
	d, err := jobByARN(s, importPrefix, scopeOf(ctx), in.ImportArn, "import", importARN)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, ErrImportNotFound.WithMessage("Import not found: %s", in.ImportArn)
	}
	return &ImportTableOutput{ImportTableDescription: *d}, nil
}

func importARN(d *ImportTableDescription) string { return d.ImportArn }

type ListImportsInput struct {
	TableArn  string `json:"TableArn,omitempty"`
	PageSize  *int   `json:"PageSize,omitempty"`
	NextToken string `json:"NextToken,omitempty"`
}

type ImportSummary struct {
	ImportArn      string         `json:"ImportArn"`
	ImportStatus   string         `json:"ImportStatus"`
	TableArn       string         `json:"TableArn"`
	S3BucketSource S3BucketSource `json:"S3BucketSource"`
	InputFormat    string         `json:"InputFormat"`
	StartTime      epoch.Time     `json:"StartTime"`
	EndTime        *epoch.Time    `json:"EndTime,omitempty"`
}

type ListImportsOutput struct {
	ImportSummaryList []ImportSummary `json:"ImportSummaryList"`
	NextToken         string          `json:"NextToken,omitempty"`
}

// ListImports lists the imports of the account and region, oldest first,
// of one table when TableArn is given.
func (s *Service) ListImports(ctx context.Context, in *ListImportsInput) (*ListImportsOutput, error) {
	limit := 25
	if in.PageSize != nil {
		if *in.PageSize < 1 || *in.PageSize > 25 {
			return nil, modelValidation(*in.PageSize, "pageSize", "have value between 1 and 25")
		}
		limit = *in.PageSize
	}
	all, err := loadJobs[ImportTableDescription](s, importPrefix, scopeOf(ctx))
	if err != nil {
		return nil, err
	}
	page, next, err := jobPage(all, in.TableArn, in.NextToken, limit, func(d *ImportTableDescription) string { return d.TableArn }, importARN)
	if err != nil {
		return nil, err
	}
	out := &ListImportsOutput{ImportSummaryList: []ImportSummary{}, NextToken: next}
	for _, d := range page {
		out.ImportSummaryList = append(out.ImportSummaryList, ImportSummary{ImportArn: d.ImportArn, ImportStatus: d.ImportStatus,
			TableArn: d.TableArn, S3BucketSource: d.S3BucketSource, InputFormat: d.InputFormat, StartTime: d.StartTime, EndTime: d.EndTime})
	}
	return out, nil
}
