package glue

import "github.com/lakebox/lakebox/internal/awsproto/awserr"

// Every error code this package returns. Glue answers client errors with
// status 400.
var (
	ErrEntityNotFound       = awserr.New("EntityNotFoundException", 400, "Entity not found")
	ErrAlreadyExists        = awserr.New("AlreadyExistsException", 400, "Entity already exists")
	ErrInvalidInput         = awserr.New("InvalidInputException", 400, "Invalid input")
	ErrConcurrentModify     = awserr.New("ConcurrentModificationException", 400, "Concurrent modification")
	ErrResourceLimit        = awserr.New("ResourceNumberLimitExceededException", 400, "Resource limit exceeded")
	ErrAccessDenied         = awserr.New("AccessDeniedException", 400, "Access denied")
	ErrCrawlerRunning       = awserr.New("CrawlerRunningException", 400, "Crawler is running")
	ErrCrawlerNotRunning    = awserr.New("CrawlerNotRunningException", 400, "Crawler is not running")
	ErrCrawlerStopping      = awserr.New("CrawlerStoppingException", 400, "Crawler is stopping")
	ErrSchedulerNotRunning  = awserr.New("SchedulerNotRunningException", 400, "Scheduler is not running")
	ErrSchedulerRunning     = awserr.New("SchedulerRunningException", 400, "Scheduler is already running")
	ErrNoSchedule           = awserr.New("NoScheduleException", 400, "No schedule")
	ErrValidation           = awserr.New("ValidationException", 400, "Validation failed")
	ErrOperationUnsupported = awserr.New("OperationNotSupportedException", 400, "Operation not supported")
)

func invalid(format string, args ...any) error {
	return ErrInvalidInput.WithMessage(format, args...)
}

func notFound(format string, args ...any) error {
	return ErrEntityNotFound.WithMessage(format, args...)
}

func exists(format string, args ...any) error {
	return ErrAlreadyExists.WithMessage(format, args...)
}

// notSupported is the answer for a Glue feature Lakebox does not carry
// out: a clear error, never a fake success.
func notSupported(what string) error {
	return ErrOperationUnsupported.WithMessage("%s is not supported by Lakebox yet.", what)
}

type awsErr = awserr.Error
