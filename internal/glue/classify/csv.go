package classify

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

const maxCSVRows = 1000

// csvSchema infers a delimited-text schema with Glue's CSV rules: at least
// two columns (unless AllowSingleColumn), a consistent column count, and a
// header only when the first row is all text while some other row is not
// (or when the classifier says so).
func csvSchema(sample []byte, c CSVClassifier) (*Result, error) {
	if c.Delimiter == 0 {
		c.Delimiter = ','
	}
	if c.Quote == 0 {
		c.Quote = '"'
	}
	if c.Quote != '"' {
		// encoding/csv knows only the double quote; map the classifier's.
		sample = bytes.ReplaceAll(sample, []byte(string(c.Quote)), []byte{'"'})
	}
	r := csv.NewReader(bytes.NewReader(sample))
	r.Comma = c.Delimiter
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	var rows [][]string
	for len(rows) < maxCSVRows {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			if len(rows) > 0 {
				break // a row cut by the end of the sample
			}
			return nil, errors.New("classify: not delimited text")
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		rows = append(rows, rec)
	}
	if len(rows) == 0 {
		return nil, errors.New("classify: no rows")
	}
	width := len(rows[0])
	if width < 2 && !c.AllowSingleColumn {
		return nil, errors.New("classify: fewer than two columns")
	}
	for _, row := range rows[1:] {
		if len(row) != width {
			return nil, fmt.Errorf("classify: rows of %d and %d columns", width, len(row))
		}
	}
	if !c.DisableValueTrimming {
		for _, row := range rows {
			for i := range row {
				row[i] = strings.TrimSpace(row[i])
			}
		}
	}
	header := hasHeader(rows, c)
	data := rows
	if header {
		data = rows[1:]
	}
	cols := make([]Field, width)
	for i := range cols {
		var t *Type
		for _, row := range data {
			t = Merge(t, csvType(row[i]))
		}
		if t == nil {
			t = prim("null") // no value in the sample: other files decide
		}
		name := fmt.Sprintf("col%d", i)
		switch {
		case len(c.Header) == width:
			name = c.Header[i]
		case header:
			name = rows[0][i]
		}
		cols[i] = Field{Name: strings.ToLower(name), Type: t}
	}
	delim := string(c.Delimiter)
	quoted := bytes.IndexByte(sample, '"') >= 0
	res := &Result{
		Classification: "csv",
		Columns:        cols,
		InputFormat:    "org.apache.hadoop.mapred.TextInputFormat",
		OutputFormat:   "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat",
		SerDe:          "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe",
		SerDeParams:    map[string]string{"field.delim": delim},
		Params: map[string]string{
			"classification": "csv", "delimiter": delim, "typeOfData": "file",
			"columnsOrdered": "true", "areColumnsQuoted": strconv.FormatBool(quoted),
		},
		Records: int64(len(data)),
	}
	if quoted {
		res.SerDe = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
		res.SerDeParams = map[string]string{"separatorChar": delim, "quoteChar": string(c.Quote)}
	}
	if header {
		res.Params["skip.header.line.count"] = "1"
	}
	return res, nil
}

func hasHeader(rows [][]string, c CSVClassifier) bool {
	switch c.ContainsHeader {
	case "PRESENT":
		return true
	case "ABSENT":
		return false
	}
	first := rows[0]
	seen := map[string]bool{}
	for _, v := range first {
		if v == "" || len(v) > 150 || seen[strings.ToLower(v)] || csvType(v).Name != "string" {
			return false
		}
		seen[strings.ToLower(v)] = true
	}
	for _, row := range rows[1:] {
		for _, v := range row {
			if t := csvType(v).Name; t != "string" && t != "null" {
				return true
			}
		}
	}
	return false
}

// csvType is the type Glue gives one CSV value: bigint, double, boolean,
// or string; an empty value says nothing.
func csvType(v string) *Type {
	switch {
	case v == "":
		return prim("null")
	case isInteger(v):
		return prim("bigint")
	case isDecimal(v):
		return prim("double")
	case strings.EqualFold(v, "true") || strings.EqualFold(v, "false"):
		return prim("boolean")
	}
	return prim("string")
}

func isInteger(v string) bool {
	_, err := strconv.ParseInt(v, 10, 64)
	return err == nil
}

func isDecimal(v string) bool {
	if strings.ContainsAny(v, "xXpP_") || strings.EqualFold(v, "nan") || strings.Contains(strings.ToLower(v), "inf") {
		return false
	}
	_, err := strconv.ParseFloat(v, 64)
	return err == nil
}
