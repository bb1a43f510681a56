package athena

import (
	"bytes"
	"cmp"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"sync"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

// store writes a finished query's result files to the output location:
// <id>.csv (with <id>.csv.metadata) or, for DDL and utility statements,
// <id>.txt. It returns what adds the rows, for GetQueryResults, to the
// batch that records the query's end.
func (s *Service) store(ctx context.Context, sc scope, rec *queryRecord, res *result) (func(*meta.Batch), error) {
	bucket, prefix, err := parseS3URI(rec.ResultConfiguration.OutputLocation)
	if err != nil {
		return nil, err
	}
	var body bytes.Buffer
	name := rec.QueryExecutionId + ".csv"
	if res.text {
		name = rec.QueryExecutionId + ".txt"
		for _, row := range res.rows {
			for i, v := range row {
				if i > 0 {
					body.WriteByte('\t')
				}
				if v != nil {
					body.WriteString(*v)
				}
			}
			body.WriteByte('\n')
		}
	} else {
		header := make([]*string, len(res.columns))
		for i := range res.columns {
			header[i] = &res.columns[i].Name
		}
		writeCSVRow(&body, header)
		for _, row := range res.rows {
			writeCSVRow(&body, row)
		}
	}
	key := prefix + name
	ictx := sc.identity(ctx)
	// The two objects are written at once. Small ones wait for no sync,
	// large ones for their own files': the synced commit of the query's
	// end makes their records durable (Objects.Put).
	var wg sync.WaitGroup
	var metaErr error
	if !res.text {
		wg.Go(func() {
			metaErr = s.objects.Put(ictx, sc.account, bucket, key+".metadata", mustJSON(res.columns), "application/octet-stream")
		})
	}
	err = s.objects.Put(ictx, sc.account, bucket, key, body.Bytes(), contentType(res))
	wg.Wait()
	if err = cmp.Or(err, metaErr); err != nil {
		if e, ok := awserr.As(err); ok {
			return nil, userError(errPermitted, "Unable to verify/create output bucket %s: %s", bucket, e.Message)
		}
		return nil, err
	}
	return func(b *meta.Batch) {
		for page := 0; page*rowsPerPage < len(res.rows); page++ {
			rows := res.rows[page*rowsPerPage : min((page+1)*rowsPerPage, len(res.rows))]
			b.Set(rowsKey(sc, rec.QueryExecutionId, page), encodeRows(rows))
		}
	}, nil
}

func contentType(res *result) string {
	if res.text {
		return "text/plain"
	}
	return "text/csv"
}

// writeCSVRow writes a row as Athena does: every value in double quotes
// (quotes doubled), NULL as nothing.
func writeCSVRow(b *bytes.Buffer, row []*string) {
	for i, v := range row {
		if i > 0 {
			b.WriteByte(',')
		}
		if v == nil {
			continue
		}
		b.WriteByte('"')
		b.WriteString(strings.ReplaceAll(*v, `"`, `""`))
		b.WriteByte('"')
	}
	b.WriteByte('\n')
}

// parseS3URI splits s3://bucket/prefix.
func parseS3URI(uri string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(uri, "s3://")
	if !ok {
		return "", "", invalid("%s is not a valid S3 URI: it must start with s3://", uri)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", invalid("%s is not a valid S3 URI: it names no bucket", uri)
	}
	return bucket, prefix, nil
}

// A page of result rows is stored compactly, since GetQueryResults reads
// it back for every page it serves: a version byte, then per row its
// number of values and per value uvarint(length+1), 0 for NULL, and the
// bytes. Pages written as JSON by earlier versions still read.
const rowsV1 = 1

func encodeRows(rows [][]*string) []byte {
	n := 1
	for _, r := range rows {
		for _, v := range r {
			if v != nil {
				n += len(*v)
			}
		}
		n += 2 * (len(r) + 1)
	}
	b := make([]byte, 0, n)
	b = append(b, rowsV1)
	for _, r := range rows {
		b = binary.AppendUvarint(b, uint64(len(r)))
		for _, v := range r {
			if v == nil {
				b = append(b, 0)
				continue
			}
			b = binary.AppendUvarint(b, uint64(len(*v))+1)
			b = append(b, *v...)
		}
	}
	return b
}

var errCorruptRows = errors.New("athena: corrupt result page")

func decodeRows(b []byte) ([][]*string, error) {
	if len(b) > 0 && b[0] == '[' {
		var rows [][]*string
		err := json.Unmarshal(b, &rows)
		return rows, err
	}
	if len(b) == 0 || b[0] != rowsV1 {
		return nil, errCorruptRows
	}
	all := string(b[1:]) // one allocation; values are slices of it
	var rows [][]*string
	for i := 0; i < len(all); {
		cols, n := binary.Uvarint(b[1+i:])
		if n <= 0 || cols > uint64(len(all)-i) {
			return nil, errCorruptRows
		}
		i += n
		row := make([]*string, cols)
		vals := make([]string, cols)
		for c := range row {
			l, n := binary.Uvarint(b[1+i:])
			if n <= 0 || l > uint64(len(all)-i-n)+1 {
				return nil, errCorruptRows
			}
			i += n
			if l == 0 {
				continue
			}
			vals[c] = all[i : i+int(l-1)]
			row[c] = &vals[c]
			i += int(l - 1)
		}
		rows = append(rows, row)
	}
	return rows, nil
}
