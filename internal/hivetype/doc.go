// Package hivetype parses the Hive type names the Glue catalog stores for
// columns ("bigint", "decimal(10,2)", "array<struct<a:int,b:string>>")
// into trees that writers of typed files walk.
package hivetype
