package firehose

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/itchyny/gojq"
)

// chain is a destination's processing configuration, compiled. Lakebox
// runs the processors in AWS's order whatever order they are listed in:
// decompression, CloudWatch Logs extraction, de-aggregation, metadata
// extraction, then the delimiter.
type chain struct {
	decompress  bool
	cwLogs      bool
	deagg       string // "", "JSON" or "DELIMITED"
	deaggDelim  []byte
	query       *gojq.Code
	queryText   string
	appendDelim []byte // nil: no delimiter
}

// maxSubRecords is how many records de-aggregation takes out of one.
const maxSubRecords = 500

// compileProcessors checks and compiles the processors; partitioned says
// whether dynamic partitioning is on (metadata extraction is for it).
func compileProcessors(procs []Processor, partitioned bool) (*chain, error) {
	c := &chain{}
	seen := map[string]bool{}
	for _, p := range procs {
		if seen[p.Type] {
			return nil, invalidArg("Processor type %s appears more than once.", p.Type)
		}
		seen[p.Type] = true
		switch p.Type {
		case "Decompression":
			if f := p.param("CompressionFormat", "GZIP"); f != "GZIP" {
				return nil, invalidArg("The Decompression processor supports CompressionFormat GZIP, not %s.", f)
			}
			c.decompress = true
		case "CloudWatchLogProcessing":
			if v := p.param("DataMessageExtraction", "true"); v != "true" {
				return nil, invalidArg("The CloudWatchLogProcessing processor needs DataMessageExtraction true, not %s.", v)
			}
			c.cwLogs = true
		case "RecordDeAggregation":
			switch t := p.param("SubRecordType", ""); t {
			case "JSON":
			case "DELIMITED":
				d, err := base64.StdEncoding.DecodeString(p.param("Delimiter", ""))
				if err != nil || len(d) == 0 {
					return nil, invalidArg("The RecordDeAggregation processor with SubRecordType DELIMITED needs a Delimiter in base64.")
				}
				c.deaggDelim = d
			default:
				return nil, invalidArg("The RecordDeAggregation processor needs SubRecordType JSON or DELIMITED, not %q.", t)
			}
			c.deagg = p.param("SubRecordType", "")
		case "MetadataExtraction":
			if e := p.param("JsonParsingEngine", "JQ-1.6"); e != "JQ-1.6" {
				return nil, invalidArg("The MetadataExtraction processor supports JsonParsingEngine JQ-1.6, not %s.", e)
			}
			text := p.param("MetadataExtractionQuery", "")
			q, err := gojq.Parse(text)
			if err != nil {
				return nil, invalidArg("The MetadataExtractionQuery %q is not a valid JQ query: %v", text, err)
			}
			code, err := gojq.Compile(q)
			if err != nil {
				return nil, invalidArg("The MetadataExtractionQuery %q is not a valid JQ query: %v", text, err)
			}
			c.query, c.queryText = code, text
		case "AppendDelimiterToRecord":
			c.appendDelim = []byte("\n")
			if d := p.param("Delimiter", ""); d != "" {
				c.appendDelim = []byte(unescapeDelimiter(d))
			}
		case "Lambda":
			return nil, invalidArg("Lambda processors need Lakebox's Lambda service, which does not exist yet. Processors Lakebox runs: RecordDeAggregation, Decompression, CloudWatchLogProcessing, MetadataExtraction, AppendDelimiterToRecord.")
		default:
			return nil, validation(p.Type, "processingConfiguration.processors.member.type",
				"satisfy enum value set: [RecordDeAggregation, Decompression, CloudWatchLogProcessing, Lambda, MetadataExtraction, AppendDelimiterToRecord]")
		}
	}
	if partitioned && c.query == nil {
		return nil, invalidArg("MetadataExtraction processor should be present when S3 Prefix has partitionKeyFromQuery namespace.")
	}
	if c.query != nil && !partitioned {
		return nil, invalidArg("The MetadataExtraction processor needs dynamic partitioning to be enabled.")
	}
	return c, nil
}

// unescapeDelimiter reads a delimiter as consoles and Terraform write it:
// "\n" is a newline.
func unescapeDelimiter(d string) string {
	if s, err := strconv.Unquote(`"` + d + `"`); err == nil {
		return s
	}
	return d
}

// failure is a record that goes to the error output.
type failure struct {
	errorType string // processing-failed, format-conversion-failed
	code      string
	message   string
}

func (f *failure) Error() string { return f.code + ": " + f.message }

func processingFailed(code, format string, args ...any) *failure {
	return &failure{errorType: "processing-failed", code: code, message: fmt.Sprintf(format, args...)}
}

// output is one record after processing.
type output struct {
	data []byte
	keys map[string]string // partition keys, when partitioning
}

// run processes one record into zero or more outputs.
func (c *chain) run(data []byte) ([]output, *failure) {
	if c.decompress {
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			return nil, &failure{errorType: "decompression-failed", code: "Decompression.InvalidData", message: "The record is not GZIP data: " + err.Error()}
		}
		if data, err = io.ReadAll(zr); err != nil {
			return nil, &failure{errorType: "decompression-failed", code: "Decompression.InvalidData", message: "The record is not GZIP data: " + err.Error()}
		}
	}
	records := [][]byte{data}
	if c.cwLogs {
		var err *failure
		if records, err = cloudWatchMessages(data); err != nil {
			return nil, err
		}
	}
	if c.deagg != "" {
		var split [][]byte
		for _, r := range records {
			parts, err := c.split(r)
			if err != nil {
				return nil, err
			}
			split = append(split, parts...)
		}
		records = split
	}
	outs := make([]output, 0, len(records))
	for _, r := range records {
		o := output{data: r}
		if c.query != nil {
			keys, err := c.extract(r)
			if err != nil {
				return nil, err
			}
			o.keys = keys
		}
		if c.appendDelim != nil {
			o.data = append(append(make([]byte, 0, len(r)+len(c.appendDelim)), r...), c.appendDelim...)
		}
		outs = append(outs, o)
	}
	return outs, nil
}

// cloudWatchMessages extracts the messages of a CloudWatch Logs
// subscription record; control messages yield nothing.
func cloudWatchMessages(data []byte) ([][]byte, *failure) {
	var doc struct {
		MessageType string `json:"messageType"`
		LogEvents   []struct {
			Message string `json:"message"`
		} `json:"logEvents"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, processingFailed("CloudWatchLogProcessing.InvalidData", "The record is not a CloudWatch Logs subscription message: %v", err)
	}
	if doc.MessageType == "CONTROL_MESSAGE" {
		return nil, nil
	}
	out := make([][]byte, len(doc.LogEvents))
	for i, e := range doc.LogEvents {
		out[i] = []byte(e.Message)
	}
	return out, nil
}

// split de-aggregates a record: concatenated (or newline-separated) JSON
// objects, or records separated by a delimiter.
func (c *chain) split(data []byte) ([][]byte, *failure) {
	var out [][]byte
	if c.deagg == "DELIMITED" {
		for _, p := range bytes.Split(data, c.deaggDelim) {
			if len(p) > 0 {
				out = append(out, p)
			}
		}
	} else {
		dec := json.NewDecoder(bytes.NewReader(data))
		for {
			start := dec.InputOffset()
			var raw json.RawMessage
			err := dec.Decode(&raw)
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil || len(raw) == 0 || raw[0] != '{' {
				return nil, processingFailed("RecordDeAggregation.InvalidJSON", "The record is not a sequence of JSON objects.")
			}
			out = append(out, bytes.TrimSpace(data[start:dec.InputOffset()]))
		}
	}
	if len(out) > maxSubRecords {
		return nil, processingFailed("RecordDeAggregation.TooManySubRecords", "The record holds %d sub-records; at most %d are taken out of one record.", len(out), maxSubRecords)
	}
	return out, nil
}

// extract runs the metadata extraction query: it must give an object
// whose values are strings, numbers or booleans.
func (c *chain) extract(data []byte) (map[string]string, *failure) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return nil, processingFailed("DynamicPartitioning.MetadataExtractionFailed", "The record is not JSON: %v", err)
	}
	iter := c.query.Run(normalizeNumbers(v))
	result, ok := iter.Next()
	if !ok {
		return nil, processingFailed("DynamicPartitioning.MetadataExtractionFailed", "The query %s gave no result.", c.queryText)
	}
	if err, isErr := result.(error); isErr {
		return nil, processingFailed("DynamicPartitioning.MetadataExtractionFailed", "The query %s failed: %v", c.queryText, err)
	}
	obj, ok := result.(map[string]any)
	if !ok {
		return nil, processingFailed("DynamicPartitioning.MetadataExtractionFailed", "The query %s did not give an object.", c.queryText)
	}
	keys := make(map[string]string, len(obj))
	for k, v := range obj {
		switch v := v.(type) {
		case string:
			keys[k] = v
		case bool:
			keys[k] = strconv.FormatBool(v)
		case int:
			keys[k] = strconv.Itoa(v)
		case float64:
			keys[k] = strconv.FormatFloat(v, 'f', -1, 64)
		case json.Number:
			keys[k] = v.String()
		case nil:
			return nil, processingFailed("DynamicPartitioning.MetadataExtractionFailed", "The partition key %s is null or missing in the record.", k)
		default:
			b, _ := json.Marshal(v)
			return nil, processingFailed("DynamicPartitioning.MetadataExtractionFailed", "The partition key %s is %s, not a string, number or boolean.", k, b)
		}
	}
	return keys, nil
}

// normalizeNumbers turns json.Number into what gojq computes with: int
// when it fits, float64 otherwise.
func normalizeNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.Atoi(v.String()); err == nil {
			return i
		}
		f, _ := v.Float64()
		return f
	case map[string]any:
		for k, x := range v {
			v[k] = normalizeNumbers(x)
		}
	case []any:
		for i, x := range v {
			v[i] = normalizeNumbers(x)
		}
	}
	return v
}
