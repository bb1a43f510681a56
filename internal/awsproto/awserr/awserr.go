package awserr

import (
	"errors"
	"fmt"
	"strings"
)

// Error is an error as an AWS client sees it.
type Error struct {
	// Code is the AWS error code, e.g. "NoSuchKey".
	Code string
	// Message is sent to the client.
	Message string
	// Status is the HTTP status code.
	Status int
	// Fields are extra wire fields in the order given, e.g. BucketName or
	// Key for S3 errors. They are rendered as child elements (XML) or
	// members (JSON).
	Fields []Field
	// Header holds extra response headers such as x-amz-bucket-region.
	Header []Field
	// Err is the cause. It is logged, never sent.
	Err error
}

// Field is one extra name/value pair of an error. A Raw field's value is
// a JSON document (JSON protocols only), e.g. DynamoDB's
// CancellationReasons.
type Field struct {
	Name, Value string
	Raw         bool
}

// New returns an error with the given code, status and message.
func New(code string, status int, message string) *Error {
	return &Error{Code: code, Status: status, Message: message}
}

// Newf is New with a formatted message.
func Newf(code string, status int, format string, args ...any) *Error {
	return &Error{Code: code, Status: status, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return e.Code + ": " + e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// With returns a copy of e with an extra wire field.
func (e *Error) With(name, value string) *Error {
	c := *e
	c.Fields = append(append([]Field(nil), e.Fields...), Field{Name: name, Value: value})
	return &c
}

// WithJSON returns a copy of e with an extra wire field whose value is
// the JSON document raw (for the JSON protocols).
func (e *Error) WithJSON(name string, raw []byte) *Error {
	c := *e
	c.Fields = append(append([]Field(nil), e.Fields...), Field{Name: name, Value: string(raw), Raw: true})
	return &c
}

// WithHeader returns a copy of e with an extra response header.
func (e *Error) WithHeader(name, value string) *Error {
	c := *e
	c.Header = append(append([]Field(nil), e.Header...), Field{Name: name, Value: value})
	return &c
}

// Is makes errors.Is(err, ErrSomething) hold for the copies With,
// WithMessage and Wrap make: errors are the same kind when their codes
// are.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// WithMessage returns a copy of e with another message.
func (e *Error) WithMessage(format string, args ...any) *Error {
	c := *e
	c.Message = fmt.Sprintf(format, args...)
	return &c
}

// Wrap returns a copy of e that records cause for the log.
func (e *Error) Wrap(cause error) *Error {
	c := *e
	c.Err = cause
	return &c
}

// Field returns the value of the named wire field, or "".
func (e *Error) Field(name string) string {
	for _, f := range e.Fields {
		if f.Name == name {
			return f.Value
		}
	}
	return ""
}

// As reports whether err is or wraps an *Error and returns it.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Internal is the error every non-AWS error becomes on the wire.
func Internal(cause error) *Error {
	return &Error{
		Code:    "InternalError",
		Status:  500,
		Message: "We encountered an internal error. Please try again.",
		Err:     cause,
	}
}

// NotImplemented is the answer for any operation or option Lakebox does not
// carry out. It is never a fake success.
func NotImplemented(what string) *Error {
	return &Error{
		Code:    "NotImplemented",
		Status:  501,
		Message: what + " is not supported by Lakebox yet.",
	}
}

// Validation is the ValidationException of a request that breaks a
// constraint of the service model, in AWS's words: field is the
// member's path (e.g. "deliveryStreamName"), constraint what it must do
// (e.g. "have length less than or equal to 64"). A nil value is AWS's
// "Value null".
func Validation(value any, field, constraint string) *Error {
	var v Violations
	v.Add(value, field, constraint)
	return v.Err()
}

// Violations gathers the model constraints a request breaks, for the one
// ValidationException AWS answers with all of them: "2 validation errors
// detected: Value ... ; Value ...".
type Violations []string

// Add records that value, at field, fails constraint (see Validation).
func (v *Violations) Add(value any, field, constraint string) {
	shown := "null"
	if value != nil {
		shown = "'" + fmt.Sprint(value) + "'"
	}
	*v = append(*v, "Value "+shown+" at '"+field+"' failed to satisfy constraint: Member must "+constraint)
}

// Length records the violation, if any, of a length n (a string's, or a
// list's count) that must lie within min..max (see LengthConstraint).
func (v *Violations) Length(value any, field string, n, min, max int) {
	if n < min || n > max {
		v.Add(value, field, LengthConstraint(n, min, max))
	}
}

// LengthValidation is the ValidationException of a length n outside
// min..max (see Violations.Length), or a nil error.
func LengthValidation(value any, field string, n, min, max int) error {
	var v Violations
	if v.Length(value, field, n, min, max); len(v) == 0 {
		return nil
	}
	return v.Err()
}

// RangeValidation is the ValidationException of a number n, at field,
// outside min..max: "have value greater than or equal to min", or "have
// value less than or equal to max"; or a nil error.
func RangeValidation(field string, n, min, max int) error {
	switch {
	case n < min:
		return Validation(n, field, fmt.Sprintf("have value greater than or equal to %d", min))
	case n > max:
		return Validation(n, field, fmt.Sprintf("have value less than or equal to %d", max))
	}
	return nil
}

// LengthConstraint words the rule that a length n outside min..max breaks,
// as AWS does: "have length greater than or equal to min", or "have length
// less than or equal to max".
func LengthConstraint(n, min, max int) string {
	if n < min {
		return fmt.Sprintf("have length greater than or equal to %d", min)
	}
	return fmt.Sprintf("have length less than or equal to %d", max)
}

// Err is the ValidationException of the violations, or nil if there are
// none.
func (v Violations) Err() *Error {
	switch len(v) {
	case 0:
		return nil
	case 1:
		return New("ValidationException", 400, "1 validation error detected: "+v[0])
	}
	return New("ValidationException", 400, fmt.Sprintf("%d validation errors detected: %s", len(v), strings.Join(v, "; ")))
}
