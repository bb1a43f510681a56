package kinesis

import (
	"fmt"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Every error code this package returns.
var (
	ErrResourceNotFound   = awserr.New("ResourceNotFoundException", 400, "Resource not found")
	ErrResourceInUse      = awserr.New("ResourceInUseException", 400, "Resource in use")
	ErrInvalidArgument    = awserr.New("InvalidArgumentException", 400, "Invalid argument")
	ErrLimitExceeded      = awserr.New("LimitExceededException", 400, "Limit exceeded")
	ErrExpiredIterator    = awserr.New("ExpiredIteratorException", 400, "Iterator expired")
	ErrValidation         = awserr.New("ValidationException", 400, "Validation failed")
	ErrExpiredNextToken   = awserr.New("ExpiredNextTokenException", 400, "Next token expired")
	ErrThroughputExceeded = awserr.New("ProvisionedThroughputExceededException", 400, "Rate exceeded")
)

func invalidArg(format string, args ...any) error {
	return ErrInvalidArgument.WithMessage(format, args...)
}

// validation is AWS's message for a request that breaks the model's
// constraints.
func validation(value any, field, constraint string) error {
	return awserr.Validation(value, field, constraint)
}

func notFound(name, account string) error {
	return ErrResourceNotFound.WithMessage("Stream %s under account %s not found.", name, account)
}

// pageSize reads an optional page size in [1, most], def when absent.
func pageSize(n *int, def, most int, field string) (int, error) {
	if n == nil {
		return def, nil
	}
	if *n < 1 || *n > most {
		return 0, validation(*n, field, fmt.Sprintf("have value between 1 and %d", most))
	}
	return *n, nil
}
