package firehose

import (
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Every error code this package returns.
var (
	ErrResourceNotFound   = awserr.New("ResourceNotFoundException", 400, "Resource not found")
	ErrResourceInUse      = awserr.New("ResourceInUseException", 400, "Resource in use")
	ErrInvalidArgument    = awserr.New("InvalidArgumentException", 400, "Invalid argument")
	ErrLimitExceeded      = awserr.New("LimitExceededException", 400, "Limit exceeded")
	ErrConcurrentModify   = awserr.New("ConcurrentModificationException", 400, "Concurrent modification")
	ErrValidation         = awserr.New("ValidationException", 400, "Validation failed")
	ErrServiceUnavailable = awserr.New("ServiceUnavailableException", 503, "Service unavailable")
	ErrInvalidKMSResource = awserr.New("InvalidKMSResourceException", 400, "Invalid KMS resource")
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
	return ErrResourceNotFound.WithMessage("Firehose %s under account %s not found.", name, account)
}
