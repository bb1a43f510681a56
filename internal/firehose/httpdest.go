package firehose

import (
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// The HTTP endpoint destination: buffers are POSTed to a URL under AWS's
// request and response contract (docs/firehose.md), retried for the
// configured duration of server time, then written to the S3
// configuration's bucket as failed data ("http-endpoint-failed"); with
// S3BackupMode AllData every record is also backed up there.

type HTTPEndpointConfiguration struct {
	Url       string `json:"Url"`
	Name      string `json:"Name,omitempty"`
	AccessKey string `json:"AccessKey,omitempty"`
}

type CommonAttribute struct {
	AttributeName  string `json:"AttributeName"`
	AttributeValue string `json:"AttributeValue"`
}

type HTTPEndpointRequestConfiguration struct {
	ContentEncoding  string            `json:"ContentEncoding,omitempty"`
	CommonAttributes []CommonAttribute `json:"CommonAttributes,omitempty"`
}

// HTTPEndpointDestination is HttpEndpointDestinationConfiguration and
// HttpEndpointDestinationUpdate (S3Configuration in one, S3Update in the
// other).
type HTTPEndpointDestination struct {
	EndpointConfiguration       *HTTPEndpointConfiguration        `json:"EndpointConfiguration,omitempty"`
	BufferingHints              *BufferingHints                   `json:"BufferingHints,omitempty"`
	CloudWatchLoggingOptions    *CloudWatchLoggingOptions         `json:"CloudWatchLoggingOptions,omitempty"`
	RequestConfiguration        *HTTPEndpointRequestConfiguration `json:"RequestConfiguration,omitempty"`
	ProcessingConfiguration     *ProcessingConfiguration          `json:"ProcessingConfiguration,omitempty"`
	RoleARN                     string                            `json:"RoleARN,omitempty"`
	RetryOptions                *RetryOptions                     `json:"RetryOptions,omitempty"`
	S3BackupMode                string                            `json:"S3BackupMode,omitempty"`
	S3Configuration             *S3Destination                    `json:"S3Configuration,omitempty"`
	S3Update                    *S3Destination                    `json:"S3Update,omitempty"`
	SecretsManagerConfiguration any                               `json:"SecretsManagerConfiguration,omitempty"`
}

type HTTPEndpointDescription struct {
	Url  string `json:"Url"`
	Name string `json:"Name,omitempty"`
}

// HTTPEndpointDestinationDescription is how Describe shows the
// destination: never the access key.
type HTTPEndpointDestinationDescription struct {
	EndpointConfiguration    *HTTPEndpointDescription          `json:"EndpointConfiguration"`
	BufferingHints           *BufferingHints                   `json:"BufferingHints"`
	CloudWatchLoggingOptions *CloudWatchLoggingOptions         `json:"CloudWatchLoggingOptions,omitempty"`
	RequestConfiguration     *HTTPEndpointRequestConfiguration `json:"RequestConfiguration"`
	ProcessingConfiguration  *ProcessingConfiguration          `json:"ProcessingConfiguration,omitempty"`
	RoleARN                  string                            `json:"RoleARN,omitempty"`
	RetryOptions             *RetryOptions                     `json:"RetryOptions"`
	S3BackupMode             string                            `json:"S3BackupMode"`
	S3DestinationDescription *S3Destination                    `json:"S3DestinationDescription"`
}

const (
	errorHTTPFailed = "http-endpoint-failed" // the error-output-type of failed deliveries
	httpTimeout     = 3 * time.Minute        // per request, as AWS waits
	maxHTTPResponse = 1 << 20
)

// normalizeHTTP fills in AWS's defaults.
func normalizeHTTP(d *HTTPEndpointDestination) {
	h := BufferingHints{SizeInMBs: ptr(5), IntervalInSeconds: ptr(300)}
	if d.BufferingHints != nil {
		h.SizeInMBs = orPtr(d.BufferingHints.SizeInMBs, h.SizeInMBs)
		h.IntervalInSeconds = orPtr(d.BufferingHints.IntervalInSeconds, h.IntervalInSeconds)
	}
	d.BufferingHints = &h
	rc := HTTPEndpointRequestConfiguration{ContentEncoding: "NONE"}
	if d.RequestConfiguration != nil {
		rc = *d.RequestConfiguration
		if rc.ContentEncoding == "" {
			rc.ContentEncoding = "NONE"
		}
	}
	d.RequestConfiguration = &rc
	if d.RetryOptions == nil || d.RetryOptions.DurationInSeconds == nil {
		d.RetryOptions = &RetryOptions{DurationInSeconds: ptr(300)}
	}
	if d.S3BackupMode == "" {
		d.S3BackupMode = "FailedDataOnly"
	}
	if d.S3Configuration != nil {
		s3 := *fromS3(d.S3Configuration)
		normalize(&s3)
		d.S3Configuration = toS3(&s3)
	}
}

// orPtr returns a unless it is nil, else b.
func orPtr[T any](a, b *T) *T {
	if a != nil {
		return a
	}
	return b
}

// toS3 is the plain S3 destination an extended one without extensions is.
func toS3(d *ExtendedS3Destination) *S3Destination {
	return &S3Destination{RoleARN: d.RoleARN, BucketARN: d.BucketARN, Prefix: d.Prefix, ErrorOutputPrefix: d.ErrorOutputPrefix,
		BufferingHints: d.BufferingHints, CompressionFormat: d.CompressionFormat, EncryptionConfiguration: d.EncryptionConfiguration,
		CloudWatchLoggingOptions: d.CloudWatchLoggingOptions}
}

// validateHTTP checks a normalized HTTP endpoint destination; field names
// it in messages.
func validateHTTP(d *HTTPEndpointDestination, field string) error {
	e := d.EndpointConfiguration
	if e == nil {
		return validation(nil, field+".endpointConfiguration", "not be null")
	}
	if err := awserr.LengthValidation(e.Url, field+".endpointConfiguration.url", len(e.Url), 1, 1000); err != nil {
		return err
	}
	// AWS takes https:// only; Lakebox also takes http://, so that a
	// receiver on this machine needs no certificate.
	if u, err := url.Parse(e.Url); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return invalidArg("The HTTP endpoint URL %q is not valid: it must be an https:// (or, on Lakebox, http://) URL.", e.Url)
	}
	if n := utf8.RuneCountInString(e.Name); n > 256 {
		return validation(e.Name, field+".endpointConfiguration.name", awserr.LengthConstraint(n, 1, 256))
	}
	if len(e.AccessKey) > 4096 {
		return validation("***", field+".endpointConfiguration.accessKey", "have length less than or equal to 4096")
	}
	h := d.BufferingHints
	if *h.SizeInMBs < 1 || *h.SizeInMBs > 64 {
		return validation(*h.SizeInMBs, field+".bufferingHints.sizeInMBs", "have value between 1 and 64")
	}
	if *h.IntervalInSeconds < 0 || *h.IntervalInSeconds > 900 {
		return validation(*h.IntervalInSeconds, field+".bufferingHints.intervalInSeconds", "have value between 0 and 900")
	}
	rc := d.RequestConfiguration
	if rc.ContentEncoding != "NONE" && rc.ContentEncoding != "GZIP" {
		return validation(rc.ContentEncoding, field+".requestConfiguration.contentEncoding", "satisfy enum value set: [NONE, GZIP]")
	}
	if len(rc.CommonAttributes) > 50 {
		return validation("[...]", field+".requestConfiguration.commonAttributes", "have length less than or equal to 50")
	}
	for _, a := range rc.CommonAttributes {
		if n := utf8.RuneCountInString(a.AttributeName); n < 1 || n > 256 || utf8.RuneCountInString(a.AttributeValue) > 1024 {
			return invalidArg("Common attribute %q: names must be 1 to 256 characters, values at most 1024.", a.AttributeName)
		}
	}
	if r := *d.RetryOptions.DurationInSeconds; r < 0 || r > 7200 {
		return validation(r, field+".retryOptions.durationInSeconds", "have value between 0 and 7200")
	}
	if d.S3BackupMode != "FailedDataOnly" && d.S3BackupMode != "AllData" {
		return validation(d.S3BackupMode, field+".s3BackupMode", "satisfy enum value set: [FailedDataOnly, AllData]")
	}
	if d.SecretsManagerConfiguration != nil {
		return invalidArg("SecretsManagerConfiguration is not supported by Lakebox: give the endpoint's AccessKey.")
	}
	if d.S3Configuration == nil {
		return validation(nil, field+".s3Configuration", "not be null")
	}
	s3 := d.s3Destination()
	return validate(&s3, field+".s3Configuration")
}

// s3Destination is what the worker delivers to S3 for an HTTP endpoint
// destination: failed data (and with AllData, every record) in the S3
// configuration's bucket; the data buffers take the endpoint's hints and
// processors.
func (d *HTTPEndpointDestination) s3Destination() ExtendedS3Destination {
	s3 := *fromS3(d.S3Configuration)
	normalize(&s3)
	s3.BufferingHints = d.BufferingHints
	s3.ProcessingConfiguration = d.ProcessingConfiguration
	s3.S3BackupMode, s3.S3BackupConfiguration = "Disabled", d.S3Configuration
	if d.S3BackupMode == "AllData" {
		s3.S3BackupMode = "Enabled"
	}
	return s3
}

func (d *HTTPEndpointDestination) describe() *HTTPEndpointDestinationDescription {
	return &HTTPEndpointDestinationDescription{
		EndpointConfiguration: &HTTPEndpointDescription{Url: d.EndpointConfiguration.Url, Name: d.EndpointConfiguration.Name},
		BufferingHints:        d.BufferingHints, CloudWatchLoggingOptions: d.CloudWatchLoggingOptions,
		RequestConfiguration: d.RequestConfiguration, ProcessingConfiguration: d.ProcessingConfiguration, RoleARN: d.RoleARN,
		RetryOptions: d.RetryOptions, S3BackupMode: d.S3BackupMode, S3DestinationDescription: d.S3Configuration,
	}
}

// mergeHTTP applies an update: the fields it gives replace d's.
func mergeHTTP(d HTTPEndpointDestination, u *HTTPEndpointDestination) HTTPEndpointDestination {
	if e := u.EndpointConfiguration; e != nil {
		// The access key is never described: an update without one keeps it.
		merged := *d.EndpointConfiguration
		merged.Url = cmp.Or(e.Url, merged.Url)
		merged.Name = cmp.Or(e.Name, merged.Name)
		merged.AccessKey = cmp.Or(e.AccessKey, merged.AccessKey)
		d.EndpointConfiguration = &merged
	}
	if u.BufferingHints != nil {
		h := *d.BufferingHints
		h.SizeInMBs = orPtr(u.BufferingHints.SizeInMBs, h.SizeInMBs)
		h.IntervalInSeconds = orPtr(u.BufferingHints.IntervalInSeconds, h.IntervalInSeconds)
		d.BufferingHints = &h
	}
	if u.CloudWatchLoggingOptions != nil {
		d.CloudWatchLoggingOptions = u.CloudWatchLoggingOptions
	}
	if rc := u.RequestConfiguration; rc != nil {
		merged := *d.RequestConfiguration
		merged.ContentEncoding = cmp.Or(rc.ContentEncoding, merged.ContentEncoding)
		if rc.CommonAttributes != nil {
			merged.CommonAttributes = rc.CommonAttributes
		}
		d.RequestConfiguration = &merged
	}
	if u.ProcessingConfiguration != nil {
		d.ProcessingConfiguration = u.ProcessingConfiguration
	}
	if u.RoleARN != "" {
		d.RoleARN = u.RoleARN
	}
	if u.RetryOptions != nil && u.RetryOptions.DurationInSeconds != nil {
		d.RetryOptions = u.RetryOptions
	}
	if u.S3BackupMode != "" {
		d.S3BackupMode = u.S3BackupMode
	}
	if u.SecretsManagerConfiguration != nil {
		d.SecretsManagerConfiguration = u.SecretsManagerConfiguration
	}
	if s := orPtr(u.S3Update, u.S3Configuration); s != nil {
		merged := merge(*fromS3(d.S3Configuration), fromS3(s))
		d.S3Configuration = toS3(&merged)
	}
	d.S3Update = nil
	return d
}

// maxHTTPBody bounds a request's body: AWS takes up to 64 MiB, and a
// buffer is delivered once it passes this, so one more record (1,000 KiB
// at most, a third more in base64) still fits.
const maxHTTPBody = 62 << 20

// recordWire is what a record of n bytes adds to a request body.
func recordWire(n int) int { return len(`{"data":"`) + base64.StdEncoding.EncodedLen(n) + len(`"},`) }

// httpBody is a request's body as AWS's contract defines it:
// {"requestId", "timestamp" (ms), "records": [{"data": base64}]}.
func httpBody(requestID string, now int64, parts [][]byte) []byte {
	n := 64 + len(requestID)
	for _, p := range parts {
		n += recordWire(len(p))
	}
	b := make([]byte, 0, n)
	b = append(b, `{"requestId":`...)
	b = strconv.AppendQuote(b, requestID)
	b = append(b, `,"timestamp":`...)
	b = strconv.AppendInt(b, now, 10)
	b = append(b, `,"records":[`...)
	for i, p := range parts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"data":"`...)
		b = base64.StdEncoding.AppendEncode(b, p)
		b = append(b, `"}`...)
	}
	return append(b, "]}"...)
}

// httpFailure is why a delivery failed: AWS's error code and message.
type httpFailure struct {
	code, message string
	permanent     bool // not worth retrying (413)
}

func (f *httpFailure) Error() string { return f.code + ": " + f.message }

// post delivers a buffer's records to the endpoint in one request.
func (w *worker) post(ctx context.Context, rec streamRecord, b *buffer, requestID string) error {
	d := rec.HTTP
	payload := httpBody(requestID, w.s.clock.Now().UnixMilli(), b.parts)
	gz := d.RequestConfiguration.ContentEncoding == "GZIP"
	if gz {
		var err error
		// Not the worker's compressor: the transport may still be reading
		// a body after the endpoint has answered (a 413 before the end).
		if payload, err = new(compressor).compress(compressionGzip, [][]byte{payload}, len(payload), ""); err != nil {
			return err
		}
	}
	ctx, cancel := context.WithTimeout(ctx, httpTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.EndpointConfiguration.Url, bytes.NewReader(payload))
	if err != nil {
		return &httpFailure{code: "HttpEndpoint.ConnectionFailed", message: err.Error()}
	}
	h := req.Header
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "Amazon Kinesis Data Firehose Agent/1.0 (Lakebox)")
	h.Set("X-Amz-Firehose-Protocol-Version", "1.0")
	h.Set("X-Amz-Firehose-Request-Id", requestID)
	h.Set("X-Amz-Firehose-Source-Arn", rec.arn())
	if gz {
		h.Set("Content-Encoding", "gzip")
	}
	if k := d.EndpointConfiguration.AccessKey; k != "" {
		h.Set("X-Amz-Firehose-Access-Key", k)
	}
	if attrs := d.RequestConfiguration.CommonAttributes; len(attrs) > 0 {
		m := make(map[string]string, len(attrs))
		for _, a := range attrs {
			m[a.AttributeName] = a.AttributeValue
		}
		v, _ := json.Marshal(map[string]any{"commonAttributes": m})
		h.Set("X-Amz-Firehose-Common-Attributes", string(v))
	}
	resp, err := w.s.opts.HTTPClient.Do(req)
	if err != nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return &httpFailure{code: "HttpEndpoint.RequestTimeout", message: "The endpoint did not answer within 3 minutes."}
		}
		if errors.Is(err, context.Canceled) {
			return err // the stream is stopping
		}
		return &httpFailure{code: "HttpEndpoint.ConnectionFailed", message: "Unable to connect to the endpoint: " + err.Error()}
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxHTTPResponse+1))
	if err != nil {
		return &httpFailure{code: "HttpEndpoint.ConnectionReset", message: "The connection was reset while reading the response: " + err.Error()}
	}
	return checkResponse(resp, raw, requestID)
}

// checkResponse applies AWS's response contract: 200, JSON, the request's
// id, a numeric timestamp, at most 1 MiB.
func checkResponse(resp *http.Response, raw []byte, requestID string) error {
	if len(raw) > maxHTTPResponse {
		return &httpFailure{code: "HttpEndpoint.ResponseTooLarge", message: "The response received from the endpoint is too large: it must be at most 1 MiB."}
	}
	if resp.StatusCode != http.StatusOK {
		return &httpFailure{code: "HttpEndpoint.DestinationException", permanent: resp.StatusCode == http.StatusRequestEntityTooLarge,
			message: fmt.Sprintf("Received the following response from the endpoint destination. %d: %s", resp.StatusCode, excerpt(raw))}
	}
	invalid := func(why string) error {
		return &httpFailure{code: "HttpEndpoint.InvalidResponseFromDestination",
			message: fmt.Sprintf("The response received from the specified endpoint is invalid: %s. Raw response received: %d %s", why, resp.StatusCode, excerpt(raw))}
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/json" {
		return invalid("its Content-Type is not application/json")
	}
	var body struct {
		RequestID *string         `json:"requestId"`
		Timestamp json.RawMessage `json:"timestamp"`
	}
	if err := json.Unmarshal(raw, &body); err != nil {
		return invalid("it is not a JSON object")
	}
	if body.RequestID == nil || *body.RequestID != requestID {
		return invalid("its requestId does not match the request's " + strconv.Quote(requestID))
	}
	if _, err := strconv.ParseInt(string(body.Timestamp), 10, 64); err != nil {
		return invalid("its timestamp is not a number")
	}
	return nil
}

// excerpt is the start of a response for an error message, which every
// failed record repeats.
func excerpt(raw []byte) string {
	const max = 1024
	if len(raw) <= max {
		return string(raw)
	}
	return string(raw[:max]) + "..."
}

// flushHTTP delivers a data buffer to the endpoint. While the endpoint
// fails, the worker retries (backing off) until the retry duration of
// server time has passed since the first failure; then the buffer's
// records go to S3 as failed data, as AWS writes them.
func (w *worker) flushHTTP(ctx context.Context, rec streamRecord, b *buffer, requestID string) error {
	now := w.s.clock.Now()
	f := b.gaveUp
	if f == nil {
		err := w.post(ctx, rec, b, requestID)
		if err == nil {
			if m := w.s.opts.Metrics; m != nil {
				m.Delivered(rec.Name, "http", b.records, b.size)
			}
			return w.delivered(b)
		}
		if !errors.As(err, &f) {
			return err
		}
		now = w.s.clock.Now()
		if b.attempts == 0 {
			b.firstFailure = now
		}
		b.attempts++
		retry := time.Duration(*rec.HTTP.RetryOptions.DurationInSeconds) * time.Second
		if !f.permanent && now.Sub(b.firstFailure) < retry {
			return err
		}
		b.gaveUp = f
	}
	lines := make([][]byte, len(b.parts))
	for i, p := range b.parts {
		line, _ := json.Marshal(errorRecord{AttemptsMade: b.attempts, ArrivalTimestamp: b.arrivals[i], ErrorCode: f.code, ErrorMessage: f.message,
			AttemptEndingTimestamp: now.UnixMilli(), RawData: base64.StdEncoding.EncodeToString(p)})
		lines[i] = append(line, '\n')
	}
	failed := *b
	failed.kind, failed.errorType, failed.parts = kindError, errorHTTPFailed, lines
	return w.flush(ctx, &failed)
}
