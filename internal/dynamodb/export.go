package dynamodb

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

// Exports write a table as it was at a moment of its point-in-time
// recovery period into Lakebox's S3, in DynamoDB's export layout:
//
//	<prefix>/AWSDynamoDB/<export id>/_started
//	<prefix>/AWSDynamoDB/<export id>/data/<name>.json.gz     {"Item":{...}} per line
//	<prefix>/AWSDynamoDB/<export id>/manifest-files.json     a line per data file
//	<prefix>/AWSDynamoDB/<export id>/manifest-summary.json
//	(and beside each manifest a .md5: its MD5 in base64, as real exports have)
//
// The export runs within the request and answers COMPLETED (or FAILED,
// when the objects cannot be written, as AWS would report later); a
// crash before it answers leaves no export behind. Its description is
// kept under ddb\x00E\x00<account>\x00<region>\x00<export id>.

var exportPrefix = []byte("ddb\x00E\x00")

// Lake is Lakebox's S3 as exports write it and imports read it, with the
// access of the given account.
type Lake interface {
	Put(ctx context.Context, account, bucket, key string, body []byte, w ObjectWrite) error
	List(ctx context.Context, account, bucket, prefix string, fn func(key string, size int64) error) error
	Get(ctx context.Context, account, bucket, key string) (io.ReadCloser, error)
}

// ObjectWrite is how an export writes an object.
type ObjectWrite struct {
	ContentType string
	// SSE is the object's server-side encryption as S3 names it: "" (the
	// bucket's default), "AES256" or "aws:kms" with KMSKeyID ("" for the
	// account's S3 key).
	SSE, KMSKeyID string
}

var (
	ErrInvalidExportTime = awserr.New("InvalidExportTimeException", 400, "Invalid export time")
	ErrExportConflict    = awserr.New("ExportConflictException", 400, "Export conflict")
	ErrExportNotFound    = awserr.New("ExportNotFoundException", 400, "Export not found")
)

// exportFileSize is the uncompressed size at which a data file is closed.
const exportFileSize = 64 << 20

type ExportTableToPointInTimeInput struct {
	TableArn                       string      `json:"TableArn"`
	ExportTime                     *epoch.Time `json:"ExportTime,omitempty"`
	ClientToken                    string      `json:"ClientToken,omitempty"`
	S3Bucket                       string      `json:"S3Bucket"`
	S3BucketOwner                  string      `json:"S3BucketOwner,omitempty"`
	S3Prefix                       string      `json:"S3Prefix,omitempty"`
	S3SseAlgorithm                 string      `json:"S3SseAlgorithm,omitempty"`
	S3SseKmsKeyId                  string      `json:"S3SseKmsKeyId,omitempty"`
	ExportFormat                   string      `json:"ExportFormat,omitempty"`
	ExportType                     string      `json:"ExportType,omitempty"`
	IncrementalExportSpecification any         `json:"IncrementalExportSpecification,omitempty"`
}

type ExportDescription struct {
	ExportArn       string      `json:"ExportArn"`
	ExportStatus    string      `json:"ExportStatus"`
	StartTime       epoch.Time  `json:"StartTime"`
	EndTime         *epoch.Time `json:"EndTime,omitempty"`
	ExportManifest  string      `json:"ExportManifest,omitempty"`
	TableArn        string      `json:"TableArn"`
	TableId         string      `json:"TableId"`
	ExportTime      epoch.Time  `json:"ExportTime"`
	ClientToken     string      `json:"ClientToken,omitempty"`
	S3Bucket        string      `json:"S3Bucket"`
	S3BucketOwner   string      `json:"S3BucketOwner,omitempty"`
	S3Prefix        string      `json:"S3Prefix,omitempty"`
	S3SseAlgorithm  string      `json:"S3SseAlgorithm,omitempty"`
	S3SseKmsKeyId   string      `json:"S3SseKmsKeyId,omitempty"`
	FailureCode     string      `json:"FailureCode,omitempty"`
	FailureMessage  string      `json:"FailureMessage,omitempty"`
	ExportFormat    string      `json:"ExportFormat"`
	BilledSizeBytes int64       `json:"BilledSizeBytes"`
	ItemCount       int64       `json:"ItemCount"`
	ExportType      string      `json:"ExportType"`
}

type ExportOutput struct {
	ExportDescription ExportDescription `json:"ExportDescription"`
}

// ExportTableToPointInTime exports a table with point-in-time recovery on,
// as it was at ExportTime (default: now), to S3.
func (s *Service) ExportTableToPointInTime(ctx context.Context, in *ExportTableToPointInTimeInput) (*ExportOutput, error) {
	sc := scopeOf(ctx)
	switch {
	case in.TableArn == "":
		return nil, modelValidation(nil, "tableArn", "not be null")
	case in.S3Bucket == "":
		return nil, modelValidation(nil, "s3Bucket", "not be null")
	case in.ExportFormat != "" && in.ExportFormat != "DYNAMODB_JSON":
		return nil, validationf("Lakebox exports in the DYNAMODB_JSON format only; %s is not supported yet.", in.ExportFormat)
	case in.ExportType != "" && in.ExportType != "FULL_EXPORT" || in.IncrementalExportSpecification != nil:
		return nil, validationf("Lakebox makes full exports (FULL_EXPORT) only; incremental exports are not supported yet.")
	case in.S3SseAlgorithm != "" && in.S3SseAlgorithm != "AES256" && in.S3SseAlgorithm != "KMS":
		return nil, modelValidation(in.S3SseAlgorithm, "s3SseAlgorithm", "satisfy enum value set: [AES256, KMS]")
	case in.S3SseKmsKeyId != "" && len(in.S3SseKmsKeyId) > 2048:
		return nil, awserr.LengthValidation(in.S3SseKmsKeyId, "s3SseKmsKeyId", len(in.S3SseKmsKeyId), 1, 2048)
	case in.S3SseKmsKeyId != "" && in.S3SseAlgorithm != "KMS":
		return nil, validationf("Invalid Request: KMS Key Id is not supported for this encryption type")
	case in.S3BucketOwner != "" && in.S3BucketOwner != sc.account:
		return nil, validationf("Lakebox exports to buckets of the table's own account (%s) only.", sc.account)
	}
	rec, err := s.recoverable(ctx, in.TableArn)
	if err != nil {
		return nil, err
	}
	now := s.clock.Now()
	at := now
	if in.ExportTime != nil {
		ms, err := rec.PITR.within(in.ExportTime.Time, now)
		if err != nil {
			return nil, ErrInvalidExportTime.WithMessage("ExportTime %s", err)
		}
		at = time.UnixMilli(ms)
	}
	prefix := strings.TrimSuffix(in.S3Prefix, "/")
	// A retry by ClientToken gets the export, also while it runs.
	prev, release, err := claimToken(s, exportPrefix, sc, in.ClientToken, func(d *ExportDescription) string { return d.ClientToken })
	defer func() { release() }()
	switch {
	case err != nil:
		return nil, err
	case prev != nil && (prev.TableArn != rec.arn() || prev.S3Bucket != in.S3Bucket || prev.S3Prefix != in.S3Prefix ||
		prev.S3SseAlgorithm != in.S3SseAlgorithm || prev.S3SseKmsKeyId != in.S3SseKmsKeyId ||
		in.ExportTime != nil && !prev.ExportTime.Equal(epoch.New(at).Time)):
		return nil, ErrExportConflict.WithMessage("An export with client token %s and other parameters exists", in.ClientToken)
	case prev != nil:
		return &ExportOutput{ExportDescription: *prev}, nil
	}
	id := jobID(now)
	d := ExportDescription{ExportArn: rec.arn() + "/export/" + id, StartTime: epoch.New(now), TableArn: rec.arn(), TableId: rec.ID,
		ExportTime: epoch.New(at), ClientToken: in.ClientToken, S3Bucket: in.S3Bucket, S3BucketOwner: in.S3BucketOwner,
		S3Prefix: in.S3Prefix, S3SseAlgorithm: in.S3SseAlgorithm, S3SseKmsKeyId: in.S3SseKmsKeyId,
		ExportFormat: "DYNAMODB_JSON", ExportType: "FULL_EXPORT", ExportStatus: "IN_PROGRESS"}
	base := "AWSDynamoDB/" + id + "/"
	if prefix != "" {
		base = prefix + "/" + base
	}
	key := jobKey(exportPrefix, sc, id)
	if err := s.saveJob(key, d); err != nil {
		return nil, err
	}
	release()
	release = func() {}
	if err := s.writeExport(ctx, sc, &rec, &d, base, at.UnixMilli()); err != nil {
		d.ExportStatus, d.FailureCode, d.FailureMessage = "FAILED", failureCode(err, "S3WriteFailed"), err.Error()
	} else {
		d.ExportStatus = "COMPLETED"
	}
	d.EndTime = epoch.Ptr(s.clock.Now())
	if err := s.saveJob(key, d); err != nil {
		return nil, err
	}
	return &ExportOutput{ExportDescription: d}, nil
}

// writeExport writes the export's objects under base and fills in its
// counts and manifest.
func (s *Service) writeExport(ctx context.Context, sc scope, rec *tableRecord, d *ExportDescription, base string, ms int64) error {
	lake := s.opts.Lake
	if lake == nil {
		return errors.New("no object store to export to")
	}
	w := ObjectWrite{KMSKeyID: d.S3SseKmsKeyId}
	switch d.S3SseAlgorithm {
	case "AES256":
		w.SSE = "AES256"
	case "KMS":
		w.SSE = "aws:kms"
	}
	put := func(key string, body []byte, contentType string) error {
		w.ContentType = contentType
		return lake.Put(ctx, sc.account, d.S3Bucket, key, body, w)
	}
	if err := put(base+"_started", nil, "application/octet-stream"); err != nil {
		return err
	}
	var manifest bytes.Buffer
	var data bytes.Buffer
	var items int64
	flush := func() error {
		var gz bytes.Buffer
		zw := gzip.NewWriter(&gz)
		zw.Write(data.Bytes())
		if err := zw.Close(); err != nil {
			return err
		}
		key := base + "data/" + strings.ToLower(rand.Text()) + ".json.gz"
		if err := put(key, gz.Bytes(), "application/gzip"); err != nil {
			return err
		}
		sum := md5.Sum(gz.Bytes())
		line, _ := json.Marshal(map[string]any{"itemCount": items, "md5Checksum": base64.StdEncoding.EncodeToString(sum[:]),
			"etag": hex.EncodeToString(sum[:]), "dataFileS3Key": key})
		manifest.Write(line)
		manifest.WriteByte('\n')
		data.Reset()
		items = 0
		return nil
	}
	err := s.stateAt(rec.ID, ms, func(_, body []byte) error {
		item, err := decodeItem(body)
		if err != nil {
			return err
		}
		data.WriteString(`{"Item":`)
		data.Write(body)
		data.WriteString("}\n")
		items++
		d.ItemCount++
		d.BilledSizeBytes += int64(itemSize(item))
		if data.Len() >= exportFileSize {
			return flush()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if items > 0 || manifest.Len() == 0 { // an empty table exports one empty file, as AWS does
		if err := flush(); err != nil {
			return err
		}
	}
	files := base + "manifest-files.json"
	if err := putWithChecksum(put, files, manifest.Bytes()); err != nil {
		return err
	}
	summary, _ := json.Marshal(map[string]any{
		"version": "2020-06-30", "exportArn": d.ExportArn, "startTime": isoMillis(d.StartTime.Time),
		"endTime": isoMillis(s.clock.Now()), "tableArn": d.TableArn, "tableId": d.TableId,
		"exportTime": isoMillis(d.ExportTime.Time), "s3Bucket": d.S3Bucket, "s3Prefix": nullable(d.S3Prefix),
		"s3SseAlgorithm": nullable(d.S3SseAlgorithm), "s3SseKmsKeyId": nullable(d.S3SseKmsKeyId), "manifestFilesS3Key": files,
		"billedSizeBytes": d.BilledSizeBytes, "itemCount": d.ItemCount, "outputFormat": "DYNAMODB_JSON", "exportType": "FULL_EXPORT",
	})
	d.ExportManifest = base + "manifest-summary.json"
	return putWithChecksum(put, d.ExportManifest, summary)
}

// putWithChecksum writes a manifest and its checksum: the MD5 in base64,
// in manifest-*.md5, as real exports write it (AWS's guide names the file
// manifest-*.checksum, but exports list .md5 files).
func putWithChecksum(put func(string, []byte, string) error, key string, body []byte) error {
	if err := put(key, body, "application/json"); err != nil {
		return err
	}
	sum := md5.Sum(body)
	return put(strings.TrimSuffix(key, ".json")+".md5", []byte(base64.StdEncoding.EncodeToString(sum[:])), "text/plain")
}

func isoMillis(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

type DescribeExportInput struct {
	ExportArn string `json:"ExportArn"`
}

// DescribeExport describes an export by its ARN.
func (s *Service) DescribeExport(ctx context.Context, in *DescribeExportInput) (*ExportOutput, error) {
	d, err := jobByARN(s, exportPrefix, scopeOf(ctx), in.ExportArn, "export", exportARN)
	if err != nil {
		return nil, err
	}
	if d == nil {
		return nil, ErrExportNotFound.WithMessage("Export not found: %s", in.ExportArn)
	}
	return &ExportOutput{ExportDescription: *d}, nil
}

func exportARN(d *ExportDescription) string { return d.ExportArn }

type ListExportsInput struct {
	TableArn   string `json:"TableArn,omitempty"`
	MaxResults *int   `json:"MaxResults,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

type ExportSummary struct {
	ExportArn    string `json:"ExportArn"`
	ExportStatus string `json:"ExportStatus"`
	ExportType   string `json:"ExportType"`
}

type ListExportsOutput struct {
	ExportSummaries []ExportSummary `json:"ExportSummaries"`
	NextToken       string          `json:"NextToken,omitempty"`
}

// ListExports lists the exports of the account and region, oldest first,
// of one table when TableArn is given.
func (s *Service) ListExports(ctx context.Context, in *ListExportsInput) (*ListExportsOutput, error) {
	limit := 25
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 25 {
			return nil, modelValidation(*in.MaxResults, "maxResults", "have value between 1 and 25")
		}
		limit = *in.MaxResults
	}
	all, err := loadJobs[ExportDescription](s, exportPrefix, scopeOf(ctx))
	if err != nil {
		return nil, err
	}
	page, next, err := jobPage(all, in.TableArn, in.NextToken, limit, func(d *ExportDescription) string { return d.TableArn }, exportARN)
	if err != nil {
		return nil, err
	}
	out := &ListExportsOutput{ExportSummaries: []ExportSummary{}, NextToken: next}
	for _, d := range page {
		out.ExportSummaries = append(out.ExportSummaries, ExportSummary{ExportArn: d.ExportArn, ExportStatus: d.ExportStatus, ExportType: d.ExportType})
	}
	return out, nil
}
