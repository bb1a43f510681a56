package tpch

// A binary that links this package exports its symbols, so that the
// extension Generate loads finds the DuckDB it was built against in this
// process.

// #cgo LDFLAGS: -rdynamic
import "C"
