// Package classify is what a Glue crawler's built-in classifiers do: look
// at a file's bytes, decide its format (Parquet, Avro, ORC, JSON, CSV and
// other delimited text, each possibly gzip, bzip2, snappy or zstd
// compressed) and infer its schema as Hive types, reading only what is
// needed (a Parquet or ORC footer, an Avro header, a sample of text).
//
// It knows nothing of the catalog or of S3: callers hand it an
// io.ReaderAt. It must not import net/http.
package classify
