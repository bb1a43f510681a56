package sqlengine

import (
	"database/sql/driver"
	"fmt"

	"github.com/duckdb/duckdb-go/v2"
)

// Func is a scalar function written in Go: it takes its arguments as text
// (nil for NULL) and returns a string, a bool or nil (NULL), or an error
// that fails the query. A panic fails the query too.
type Func func(args []*string) (any, error)

// RegisterFunc defines a scalar function of nargs VARCHAR arguments in the
// engine, for every session; boolean says whether it returns BOOLEAN
// rather than VARCHAR. NULL arguments reach fn, which decides what they
// mean.
func (s *Session) RegisterFunc(name string, nargs int, boolean bool, fn Func) error {
	result := Varchar
	if boolean {
		result = Boolean
	}
	args := make([]Type, nargs)
	for i := range args {
		args[i] = Varchar
	}
	return s.register(name, args, result, true, func(values []driver.Value) (any, error) {
		text := make([]*string, len(values))
		for i, v := range values {
			switch v := v.(type) {
			case nil:
			case string:
				text[i] = &v
			default:
				s := fmt.Sprint(v)
				text[i] = &s
			}
		}
		return fn(text)
	})
}

// Type is the engine type of a typed function's argument or result.
type Type int

const (
	Varchar Type = iota
	Boolean
	Blob    // []byte
	Integer // int32
	Bigint  // int64
	Real    // float32
	Double  // float64
)

var engineTypes = [...]duckdb.Type{
	Varchar: duckdb.TYPE_VARCHAR,
	Boolean: duckdb.TYPE_BOOLEAN,
	Blob:    duckdb.TYPE_BLOB,
	Integer: duckdb.TYPE_INTEGER,
	Bigint:  duckdb.TYPE_BIGINT,
	Real:    duckdb.TYPE_FLOAT,
	Double:  duckdb.TYPE_DOUBLE,
}

// StrictFunc is a scalar function written in Go whose arguments arrive as
// the Go values of their types (see Type), never NULL. It returns a value
// of its result type, or an error that fails the query.
type StrictFunc func(args []any) (any, error)

// RegisterStrict defines a scalar function of the given argument and
// result types in the engine, for every session. A NULL argument makes the
// result NULL without calling fn, as it does for nearly every SQL function.
func (s *Session) RegisterStrict(name string, args []Type, result Type, fn StrictFunc) error {
	return s.register(name, args, result, false, func(values []driver.Value) (any, error) {
		in := make([]any, len(values))
		for i, v := range values {
			in[i] = v
		}
		return fn(in)
	})
}

func (s *Session) register(name string, args []Type, result Type, nullsReachFn bool, fn func([]driver.Value) (any, error)) error {
	typeInfo := func(t Type) (duckdb.TypeInfo, error) { return duckdb.NewTypeInfo(engineTypes[t]) }
	out, err := typeInfo(result)
	if err != nil {
		return err
	}
	inputs := make([]duckdb.TypeInfo, len(args))
	for i, t := range args {
		if inputs[i], err = typeInfo(t); err != nil {
			return err
		}
	}
	f := scalarFunc{
		config: duckdb.ScalarFuncConfig{InputTypeInfos: inputs, ResultTypeInfo: out, SpecialNullHandling: nullsReachFn},
		exec: duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (_ any, err error) {
			// A panic here would take the whole server down: the driver
			// calls this from C, where nothing recovers.
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("%s: internal error: %v", name, p)
				}
			}()
			return fn(values)
		}},
	}
	if err := duckdb.RegisterScalarUDF(s.conn, name, f); err != nil {
		return fmt.Errorf("sqlengine: register %s: %w", name, err)
	}
	return nil
}

type scalarFunc struct {
	config duckdb.ScalarFuncConfig
	exec   duckdb.ScalarFuncExecutor
}

func (f scalarFunc) Config() duckdb.ScalarFuncConfig     { return f.config }
func (f scalarFunc) Executor() duckdb.ScalarFuncExecutor { return f.exec }
