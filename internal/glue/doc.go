// Package glue is the AWS Glue Data Catalog and its crawlers: databases,
// tables with their versions, partitions with the Glue partition predicate
// language and partition indexes, column statistics, tags, classifiers and
// crawlers that read the lake to write tables and partitions.
//
// It is domain logic only: it must not import net/http (gluehttp is the
// wire). All state lives in the meta store under the "glue\x00" prefix
// (docs/format/glue.md); every resource is scoped by (account, region).
//
// Invariants: a table's partitions, partition index entries, versions and
// column statistics exist only while the table does; every index entry
// points at a partition that exists (both are written in one batch).
// Writes to one table are serialized by its lock stripe; writes that
// create or drop a database hold the catalog lock exclusively, all other
// writes hold it shared. Lock order: catalog lock, then table stripe.
package glue
