package dynamodb

import (
	"fmt"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Every error code this package returns.
var (
	ErrValidation             = awserr.New("ValidationException", 400, "Validation failed")
	ErrResourceNotFound       = awserr.New("ResourceNotFoundException", 400, "Requested resource not found")
	ErrResourceInUse          = awserr.New("ResourceInUseException", 400, "Resource in use")
	ErrConditionalCheckFailed = awserr.New("ConditionalCheckFailedException", 400, "The conditional request failed")
	ErrLimitExceeded          = awserr.New("LimitExceededException", 400, "Limit exceeded")
	ErrTransactionCanceled    = awserr.New("TransactionCanceledException", 400, "Transaction cancelled")
	ErrIdempotentMismatch     = awserr.New("IdempotentParameterMismatchException", 400, "Idempotent parameter mismatch")
	ErrDuplicateItem          = awserr.New("DuplicateItemException", 400, "Duplicate primary key exists in table")
	ErrSerialization          = awserr.New("SerializationException", 400, "Malformed request body")
	ErrTrimmedDataAccess      = awserr.New("TrimmedDataAccessException", 400, "The records are past the stream's retention")
	ErrExpiredIterator        = awserr.New("ExpiredIteratorException", 400, "Iterator expired")
	ErrCollectionSizeLimit    = awserr.New("ItemCollectionSizeLimitExceededException", 400, "Collection size exceeded.")
)

func validationf(format string, args ...any) *awserr.Error {
	return ErrValidation.WithMessage(format, args...)
}

// invalidParam is DynamoDB's message for a request whose parameters do
// not fit together.
func invalidParam(format string, args ...any) *awserr.Error {
	return ErrValidation.WithMessage("One or more parameter values were invalid: %s", fmt.Sprintf(format, args...))
}

// modelValidation is AWS's message for a value that breaks the model.
func modelValidation(value any, field, constraint string) error {
	return awserr.Validation(value, field, constraint)
}

// tableNotFound is the answer of item operations; the table operations
// name the table (tableNotFoundNamed).
func tableNotFound() error { return ErrResourceNotFound.WithMessage("Requested resource not found") }

func tableNotFoundNamed(name string) error {
	return ErrResourceNotFound.WithMessage("Requested resource not found: Table: %s not found", name)
}
