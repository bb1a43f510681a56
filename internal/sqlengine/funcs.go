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
	text, err := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	if err != nil {
		return err
	}
	result := text
	if boolean {
		if result, err = duckdb.NewTypeInfo(duckdb.TYPE_BOOLEAN); err != nil {
			return err
		}
	}
	inputs := make([]duckdb.TypeInfo, nargs)
	for i := range inputs {
		inputs[i] = text
	}
	f := scalarFunc{
		config: duckdb.ScalarFuncConfig{InputTypeInfos: inputs, ResultTypeInfo: result, SpecialNullHandling: true},
		exec: duckdb.ScalarFuncExecutor{RowExecutor: func(values []driver.Value) (_ any, err error) {
			// A panic here would take the whole server down: the driver
			// calls this from C, where nothing recovers.
			defer func() {
				if p := recover(); p != nil {
					err = fmt.Errorf("%s: internal error: %v", name, p)
				}
			}()
			args := make([]*string, len(values))
			for i, v := range values {
				switch v := v.(type) {
				case nil:
				case string:
					args[i] = &v
				default:
					s := fmt.Sprint(v)
					args[i] = &s
				}
			}
			return fn(args)
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
