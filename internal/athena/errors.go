package athena

import "github.com/lakebox/lakebox/internal/awsproto/awserr"

// Every error code this package returns.
var (
	ErrInvalidRequest   = awserr.New("InvalidRequestException", 400, "Invalid request")
	ErrResourceNotFound = awserr.New("ResourceNotFoundException", 400, "Resource not found")
	ErrTooManyRequests  = awserr.New("TooManyRequestsException", 400, "Too many requests")
)

func invalid(format string, args ...any) error {
	return ErrInvalidRequest.WithMessage(format, args...)
}
