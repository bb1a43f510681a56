package glue

import (
	"context"
	"encoding/json"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/glue/classify"
)

// Custom classifiers: CSV and JSON-path classifiers are carried out by
// crawlers that name them; Grok and XML classifiers are refused.

type CsvClassifier struct {
	Name                     string      `json:"Name"`
	CreationTime             *epoch.Time `json:"CreationTime,omitempty"`
	LastUpdated              *epoch.Time `json:"LastUpdated,omitempty"`
	Version                  int64       `json:"Version,omitempty"`
	Delimiter                string      `json:"Delimiter,omitempty"`
	QuoteSymbol              string      `json:"QuoteSymbol,omitempty"`
	ContainsHeader           string      `json:"ContainsHeader,omitempty"`
	Header                   []string    `json:"Header,omitempty"`
	DisableValueTrimming     *bool       `json:"DisableValueTrimming,omitempty"`
	AllowSingleColumn        *bool       `json:"AllowSingleColumn,omitempty"`
	CustomDatatypeConfigured *bool       `json:"CustomDatatypeConfigured,omitempty"`
	CustomDatatypes          []string    `json:"CustomDatatypes,omitempty"`
	Serde                    string      `json:"Serde,omitempty"`
}

type JsonClassifier struct {
	Name         string      `json:"Name"`
	CreationTime *epoch.Time `json:"CreationTime,omitempty"`
	LastUpdated  *epoch.Time `json:"LastUpdated,omitempty"`
	Version      int64       `json:"Version,omitempty"`
	JsonPath     string      `json:"JsonPath"`
}

// Classifier is one custom classifier; exactly one member is set.
type Classifier struct {
	GrokClassifier json.RawMessage `json:"GrokClassifier,omitempty"`
	XMLClassifier  json.RawMessage `json:"XMLClassifier,omitempty"`
	JsonClassifier *JsonClassifier `json:"JsonClassifier,omitempty"`
	CsvClassifier  *CsvClassifier  `json:"CsvClassifier,omitempty"`
}

func (c *Classifier) name() string {
	if c.CsvClassifier != nil {
		return c.CsvClassifier.Name
	}
	if c.JsonClassifier != nil {
		return c.JsonClassifier.Name
	}
	return ""
}

type CreateClassifierInput = Classifier

type CreateClassifierOutput struct{}

// checkClassifier validates a classifier definition.
func checkClassifier(c *Classifier) error {
	n := 0
	for _, set := range []bool{c.GrokClassifier != nil, c.XMLClassifier != nil, c.JsonClassifier != nil, c.CsvClassifier != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return invalid("Exactly one classifier type must be given.")
	}
	if c.GrokClassifier != nil || c.XMLClassifier != nil {
		return notSupported("Grok and XML classifiers")
	}
	if _, err := checkName("Classifier", c.name()); err != nil {
		return err
	}
	if j := c.JsonClassifier; j != nil {
		if _, err := classifyJSONPath(j.JsonPath); err != nil {
			return err
		}
	}
	if v := c.CsvClassifier; v != nil {
		if v.Delimiter != "" && utf8.RuneCountInString(v.Delimiter) != 1 || v.QuoteSymbol != "" && utf8.RuneCountInString(v.QuoteSymbol) != 1 {
			return invalid("Delimiter and QuoteSymbol must be single characters.")
		}
		if v.Delimiter != "" && v.Delimiter == v.QuoteSymbol {
			return invalid("Delimiter and QuoteSymbol must differ.")
		}
		switch v.ContainsHeader {
		case "", "UNKNOWN", "PRESENT", "ABSENT":
		default:
			return invalid("ContainsHeader must be UNKNOWN, PRESENT or ABSENT.")
		}
		if v.CustomDatatypeConfigured != nil && *v.CustomDatatypeConfigured {
			return notSupported("Custom CSV data types")
		}
		switch v.Serde {
		case "", "None", "OpenCSVSerDe", "LazySimpleSerDe":
		default:
			return invalid("Serde must be OpenCSVSerDe, LazySimpleSerDe or None.")
		}
	}
	return nil
}

func classifyJSONPath(p string) (classify.JSONClassifier, error) {
	if p == "" || p[0] != '$' {
		return classify.JSONClassifier{}, invalid("JsonPath %q is not valid: it must start with $.", p)
	}
	return classify.JSONClassifier{JsonPath: p}, nil
}

// CreateClassifier stores a custom classifier.
func (s *Service) CreateClassifier(ctx context.Context, in *CreateClassifierInput) (*CreateClassifierOutput, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	if err := checkClassifier(in); err != nil {
		return nil, err
	}
	s.crawlerMu.Lock()
	defer s.crawlerMu.Unlock()
	key := sc.key(kindClassifier, in.name())
	if ok, err := s.db.Has(key); err != nil {
		return nil, err
	} else if ok {
		return nil, exists("Classifier %s already exists.", in.name())
	}
	now := s.now()
	c := *in
	if v := c.CsvClassifier; v != nil {
		cp := *v
		cp.CreationTime, cp.LastUpdated, cp.Version = now, now, 1
		c.CsvClassifier = &cp
	} else {
		cp := *c.JsonClassifier
		cp.CreationTime, cp.LastUpdated, cp.Version = now, now, 1
		c.JsonClassifier = &cp
	}
	b := s.db.NewBatch()
	b.Set(key, mustJSON(&c))
	return &CreateClassifierOutput{}, b.Commit()
}

type GetClassifierInput struct {
	Name string `json:"Name"`
}

type GetClassifierOutput struct {
	Classifier *Classifier `json:"Classifier"`
}

// GetClassifier returns one classifier.
func (s *Service) GetClassifier(ctx context.Context, in *GetClassifierInput) (*GetClassifierOutput, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	c, err := s.classifier(sc, in.Name)
	if err != nil {
		return nil, err
	}
	return &GetClassifierOutput{Classifier: c}, nil
}

func (s *Service) classifier(sc scope, name string) (*Classifier, error) {
	var c Classifier
	ok, err := s.getJSON(sc.key(kindClassifier, name), &c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("Classifier %s not found.", name)
	}
	return &c, nil
}

type GetClassifiersInput struct {
	MaxResults int64  `json:"MaxResults,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

type GetClassifiersOutput struct {
	Classifiers []*Classifier `json:"Classifiers"`
	NextToken   string        `json:"NextToken,omitempty"`
}

// GetClassifiers lists custom classifiers by name.
func (s *Service) GetClassifiers(ctx context.Context, in *GetClassifiersInput) (*GetClassifiersOutput, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	limit, err := pageSize(in.MaxResults, maxPartitionPage)
	if err != nil {
		return nil, err
	}
	prefix := sc.key(kindClassifier)
	lower, err := resume(prefix, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &GetClassifiersOutput{Classifiers: []*Classifier{}}
	err = s.scan(lower, prefixEnd(prefix), func(k, v []byte) (bool, error) {
		if len(out.Classifiers) == limit {
			out.NextToken = encodeToken(k[len(prefix):])
			return false, nil
		}
		var c Classifier
		if err := json.Unmarshal(v, &c); err != nil {
			return false, err
		}
		out.Classifiers = append(out.Classifiers, &c)
		return true, nil
	})
	return out, err
}

type UpdateClassifierInput = Classifier

type UpdateClassifierOutput struct{}

// UpdateClassifier replaces a classifier's settings (its type stays).
func (s *Service) UpdateClassifier(ctx context.Context, in *UpdateClassifierInput) (*UpdateClassifierOutput, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	if err := checkClassifier(in); err != nil {
		return nil, err
	}
	s.crawlerMu.Lock()
	defer s.crawlerMu.Unlock()
	old, err := s.classifier(sc, in.name())
	if err != nil {
		return nil, err
	}
	now := s.now()
	c := *in
	switch {
	case c.CsvClassifier != nil && old.CsvClassifier != nil:
		cp := *c.CsvClassifier
		cp.CreationTime, cp.LastUpdated, cp.Version = old.CsvClassifier.CreationTime, now, old.CsvClassifier.Version+1
		c.CsvClassifier = &cp
	case c.JsonClassifier != nil && old.JsonClassifier != nil:
		cp := *c.JsonClassifier
		cp.CreationTime, cp.LastUpdated, cp.Version = old.JsonClassifier.CreationTime, now, old.JsonClassifier.Version+1
		c.JsonClassifier = &cp
	default:
		return nil, invalid("Classifier %s is of another type.", in.name())
	}
	b := s.db.NewBatch()
	b.Set(sc.key(kindClassifier, in.name()), mustJSON(&c))
	return &UpdateClassifierOutput{}, b.Commit()
}

type DeleteClassifierInput struct {
	Name string `json:"Name"`
}

type DeleteClassifierOutput struct{}

// DeleteClassifier removes a classifier.
func (s *Service) DeleteClassifier(ctx context.Context, in *DeleteClassifierInput) (*DeleteClassifierOutput, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	s.crawlerMu.Lock()
	defer s.crawlerMu.Unlock()
	if _, err := s.classifier(sc, in.Name); err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	b.Delete(sc.key(kindClassifier, in.Name))
	return &DeleteClassifierOutput{}, b.Commit()
}

// classifierOptions loads the custom classifiers a crawler names, in order.
func (s *Service) classifierOptions(sc scope, names []string) (classify.Options, error) {
	var opts classify.Options
	for _, name := range names {
		c, err := s.classifier(sc, name)
		if err != nil {
			return opts, err
		}
		if j := c.JsonClassifier; j != nil {
			opts.JSON = append(opts.JSON, classify.JSONClassifier{Name: j.Name, JsonPath: j.JsonPath})
		}
		if v := c.CsvClassifier; v != nil {
			cc := classify.CSVClassifier{Name: v.Name, ContainsHeader: v.ContainsHeader, Header: v.Header}
			if v.Delimiter != "" {
				cc.Delimiter, _ = utf8.DecodeRuneInString(v.Delimiter)
			}
			if v.QuoteSymbol != "" {
				cc.Quote, _ = utf8.DecodeRuneInString(v.QuoteSymbol)
			}
			cc.DisableValueTrimming = v.DisableValueTrimming != nil && *v.DisableValueTrimming
			cc.AllowSingleColumn = v.AllowSingleColumn != nil && *v.AllowSingleColumn
			opts.CSV = append(opts.CSV, cc)
		}
	}
	return opts, nil
}
