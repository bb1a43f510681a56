// Package athena is Amazon Athena over the embedded SQL engine: workgroups,
// query executions that really run (QUEUED → RUNNING → SUCCEEDED, FAILED or
// CANCELLED), results written to the output location in Lakebox's own S3
// and kept for GetQueryResults, and the Athena statements that act on the
// Glue catalog, which it shares with the Glue API.
//
// A SELECT is parsed by the engine (json_serialize_sql); every table it
// names is looked up in the catalog and replaced by a temporary view over
// the table's files, hard-linked (or, for small bodies, written) into a
// per-query scratch folder laid out as Hive partitions, so the engine
// prunes partitions itself; the tree is turned back into SQL and run.
//
// Domain logic only: it must not import net/http (athenahttp is the wire).
// State lives in the meta store under "athena\x00" (docs/format/athena.md).
package athena
