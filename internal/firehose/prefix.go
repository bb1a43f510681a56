package firehose

import (
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/javatime"
)

// A prefix is literal text and !{namespace:value} expressions.
type prefix struct {
	parts []prefixPart
	// hasTimestamp is whether an expression names the timestamp; without
	// one, and without partition keys, the default time path
	// (YYYY/MM/dd/HH/) follows the prefix. (AWS's dynamic partitioning
	// example keys have none.)
	hasTimestamp bool
	keys         []string // partitionKeyFromQuery keys, in order
	errorType    bool     // uses !{firehose:error-output-type}
}

type prefixPart struct {
	literal string
	stamp   *javatime.Pattern // !{timestamp:pattern}
	key     string            // !{partitionKeyFromQuery:key}
	// firehose is "random-string" or "error-output-type".
	firehose string
}

// defaultTimePath is what follows a prefix with no timestamp expression.
var defaultTimePath = mustPattern("yyyy/MM/dd/HH/")

func mustPattern(s string) *javatime.Pattern {
	p, err := javatime.Compile(s)
	if err != nil {
		panic(err)
	}
	return p
}

// parsePrefix reads a prefix; field names it in messages.
func parsePrefix(s, field string) (*prefix, error) {
	p := &prefix{}
	for s != "" {
		i := strings.Index(s, "!{")
		if i < 0 {
			p.parts = append(p.parts, prefixPart{literal: s})
			break
		}
		if i > 0 {
			p.parts = append(p.parts, prefixPart{literal: s[:i]})
		}
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return nil, invalidArg("%s has an expression that is not closed: %s", field, s[i:])
		}
		expr := s[i+2 : i+end]
		s = s[i+end+1:]
		ns, value, ok := strings.Cut(expr, ":")
		if !ok || value == "" {
			return nil, invalidArg("%s has the expression !{%s}, which is not !{namespace:value}.", field, expr)
		}
		switch ns {
		case "timestamp":
			pat, err := javatime.Compile(value)
			if err != nil {
				return nil, invalidArg("%s: the timestamp expression !{%s} is invalid: %v", field, expr, err)
			}
			p.parts = append(p.parts, prefixPart{stamp: pat})
			p.hasTimestamp = true
		case "firehose":
			switch value {
			case "random-string":
			case "error-output-type":
				p.errorType = true
			default:
				return nil, invalidArg("%s has the expression !{%s}: the firehose namespace has random-string and error-output-type.", field, expr)
			}
			p.parts = append(p.parts, prefixPart{firehose: value})
		case "partitionKeyFromQuery":
			p.parts = append(p.parts, prefixPart{key: value})
			p.keys = append(p.keys, value)
		case "partitionKeyFromLambda":
			return nil, invalidArg("%s uses !{partitionKeyFromLambda:%s}: Lambda processors need Lakebox's Lambda service, which does not exist yet.", field, value)
		default:
			return nil, invalidArg("%s has the expression !{%s} in the unknown namespace %q.", field, expr, ns)
		}
	}
	return p, nil
}

func (p *prefix) expressions() bool {
	for _, part := range p.parts {
		if part.literal == "" {
			return true
		}
	}
	return false
}

// render evaluates the prefix for a buffer: t is the arrival of its first
// record, in the destination's time zone.
func (p *prefix) render(t time.Time, keys map[string]string, errorType, random string) string {
	var b strings.Builder
	for _, part := range p.parts {
		switch {
		case part.stamp != nil:
			b.WriteString(part.stamp.Format(t))
		case part.key != "":
			b.WriteString(keys[part.key])
		case part.firehose == "random-string":
			b.WriteString(random)
		case part.firehose == "error-output-type":
			b.WriteString(errorType)
		default:
			b.WriteString(part.literal)
		}
	}
	if !p.hasTimestamp && len(p.keys) == 0 {
		b.WriteString(defaultTimePath.Format(t))
	}
	return b.String()
}

// prefixes are a destination's compiled prefixes.
type prefixes struct {
	data, errors *prefix
	// errorsGiven is whether ErrorOutputPrefix was set; without it error
	// output goes under the data prefix, in a folder per error type.
	errorsGiven bool
}

func compileDestinationPrefixes(d *ExtendedS3Destination) (*prefixes, error) {
	data, err := parsePrefix(deref(d.Prefix), "Prefix")
	if err != nil {
		return nil, err
	}
	errs, err := parsePrefix(deref(d.ErrorOutputPrefix), "ErrorOutputPrefix")
	if err != nil {
		return nil, err
	}
	if len(errs.keys) > 0 {
		return nil, invalidArg("You cannot use partitionKeyFromLambda and partitionKeyFromQuery namespaces when creating ErrorOutputPrefix expressions.")
	}
	if errs.expressions() && !errs.errorType {
		return nil, invalidArg("ErrorOutputPrefix must include at least one !{firehose:error-output-type} expression when it uses expressions.")
	}
	given := deref(d.ErrorOutputPrefix) != ""
	if data.expressions() && !given {
		return nil, invalidArg("ErrorOutputPrefix can't be null when Prefix contains expressions.")
	}
	if data.errorType {
		return nil, invalidArg("Prefix can't contain !{firehose:error-output-type}; it can only be used in ErrorOutputPrefix.")
	}
	if d.partitions() {
		if len(data.keys) == 0 {
			return nil, invalidArg("S3 Prefix should contain Dynamic Partitioning namespaces when Dynamic Partitioning is enabled.")
		}
		if !given {
			return nil, invalidArg("ErrorOutputPrefix is required when dynamic partitioning is enabled.")
		}
	} else if len(data.keys) > 0 {
		return nil, invalidArg("Dynamic Partitioning Namespaces can only be part of a prefix expression when Dynamic Partitioning is enabled.")
	}
	return &prefixes{data: data, errors: errs, errorsGiven: given}, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// errorPrefix renders where error output of errorType goes.
func (p *prefixes) errorPrefix(t time.Time, errorType, random string) string {
	if !p.errorsGiven {
		return p.data.renderLiteral() + errorType + "/" + defaultTimePath.Format(t)
	}
	return p.errors.render(t, nil, errorType, random)
}

// renderLiteral is the data prefix's literal text (it has no expressions
// whenever errorPrefix uses it).
func (p *prefix) renderLiteral() string {
	var b strings.Builder
	for _, part := range p.parts {
		b.WriteString(part.literal)
	}
	return b.String()
}
