// Package orc reads and writes Apache ORC files (ORC specification v1).
//
// Open reads a file's tail: its PostScript, footer, type tree and stripe
// list. ReadStripe decodes one stripe whole into Columns, dense like ORC
// itself: each column's values are those of its rows that have one, and
// its present flags say which rows those are. The reader takes every
// encoding ORC's writers use (byte and boolean run lengths, integer run
// lengths of versions 1 and 2, direct and dictionary strings, decimals,
// timestamps in the writer's zone) and the ZLIB, Snappy, ZSTD and LZ4
// codecs; unions, LZO and encrypted columns are refused with an error.
//
// Writer writes the same Columns back, one stripe per call, every column
// DIRECT_V2, with no row index.
//
// The run-length decoders are pinned by the worked examples of the ORC
// specification; the writer and reader by round trips of every type.
package orc
