package dynamodb

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"

	"github.com/lakebox/lakebox/internal/storage/meta"
)

// Exports and imports are jobs: each keeps its description as JSON under
// a prefix of the account and region, keyed by an id that sorts by start.

// jobID is a new job id as DynamoDB spells them: the start in Unix ms, 14
// digits, and 8 hex digits.
func jobID(start time.Time) string { return fmt.Sprintf("%014d-%s", start.UnixMilli(), newID()[:8]) }

// failureCode is a failed job's FailureCode: S3's error code behind an
// "S3" (S3NoSuchBucket), or otherwise when S3 gave none.
func failureCode(err error, otherwise string) string {
	var ae *awserr.Error
	if errors.As(err, &ae) {
		return "S3" + strings.TrimSuffix(ae.Code, "Exception")
	}
	return otherwise
}

func jobKey(prefix []byte, sc scope, id string) []byte {
	return []byte(string(prefix) + sc.account + "\x00" + sc.region + "\x00" + id)
}

// saveJob stores a job's description.
func (s *Service) saveJob(key []byte, d any) error {
	v, err := json.Marshal(d)
	if err != nil {
		return err
	}
	b := s.db.NewBatch()
	b.Set(key, v)
	return b.Commit()
}

// loadJobs returns the descriptions under a scope's prefix, oldest first.
func loadJobs[T any](s *Service, prefix []byte, sc scope) ([]T, error) {
	var out []T
	err := eachJSON(s.db, jobKey(prefix, sc, ""), func(d *T) error {
		out = append(out, *d)
		return nil
	})
	return out, err
}

// claimToken locks a job's client token and returns the job it started
// before, or nil. The caller holds the lock (release) until it has
// recorded its new job IN_PROGRESS, so that a retry arriving meanwhile
// finds that job and two requests with one token cannot both start one.
// A request without a token locks nothing.
func claimToken[T any](s *Service, prefix []byte, sc scope, token string, tokenOf func(*T) string) (prev *T, release func(), err error) {
	if token == "" {
		return nil, func() {}, nil
	}
	release = s.lockToken(token)
	all, err := loadJobs[T](s, prefix, sc)
	if err != nil {
		return nil, release, err
	}
	for i := range all {
		if tokenOf(&all[i]) == token {
			return &all[i], release, nil
		}
	}
	return nil, release, nil
}

// jobByARN returns the job an ARN (…/<kind>/<id>) names, or nil.
func jobByARN[T any](s *Service, prefix []byte, sc scope, arn, kind string, arnOf func(*T) string) (*T, error) {
	i := strings.LastIndex(arn, "/"+kind+"/")
	if i < 0 {
		return nil, nil
	}
	v, err := s.db.Get(jobKey(prefix, sc, arn[i+len(kind)+2:]))
	if errors.Is(err, meta.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var d T
	if err := json.Unmarshal(v, &d); err != nil {
		return nil, err
	}
	if arnOf(&d) != arn {
		return nil, nil
	}
	return &d, nil
}

// jobPage returns a page of jobs of one table (all tables when table is
// ""), starting at the job whose ARN is next, and the next page's token.
func jobPage[T any](all []T, table, next string, limit int, tableOf, arnOf func(*T) string) ([]T, string, error) {
	all = slices.DeleteFunc(all, func(d T) bool { return table != "" && tableOf(&d) != table })
	start := 0
	if next != "" {
		if start = slices.IndexFunc(all, func(d T) bool { return arnOf(&d) == next }); start < 0 {
			return nil, "", validationf("Invalid NextToken")
		}
	}
	all = all[start:]
	if len(all) > limit {
		return all[:limit], arnOf(&all[limit]), nil
	}
	return all, "", nil
}

// failInterruptedJobs marks FAILED the imports and exports a crash cut
// short, which their records still call IN_PROGRESS: an import's
// half-filled table is gone (removeUnfilled), an export's objects are
// partial. New calls it before the service serves.
func (s *Service) failInterruptedJobs() error {
	const why = "The server stopped while it ran."
	now := epoch.Ptr(s.clock.Now())
	b := s.db.NewBatch()
	defer b.Close()
	if err := failInterrupted(s.db, b, importPrefix, func(d *ImportTableDescription) bool {
		if d.ImportStatus != "IN_PROGRESS" {
			return false
		}
		d.ImportStatus, d.FailureCode, d.FailureMessage, d.EndTime = "FAILED", "InternalServerError", why+" Its table was removed.", now
		return true
	}); err != nil {
		return err
	}
	if err := failInterrupted(s.db, b, exportPrefix, func(d *ExportDescription) bool {
		if d.ExportStatus != "IN_PROGRESS" {
			return false
		}
		d.ExportStatus, d.FailureCode, d.FailureMessage, d.EndTime = "FAILED", "InternalServerError", why, now
		return true
	}); err != nil {
		return err
	}
	if b.Empty() {
		return nil
	}
	return b.Commit()
}

// failInterrupted adds to b the job descriptions under prefix that fail
// changes.
func failInterrupted[T any](db *meta.DB, b *meta.Batch, prefix []byte, fail func(*T) bool) error {
	return eachKeyedJSON(db, prefix, func(key []byte, d *T) error {
		if !fail(d) {
			return nil
		}
		body, err := json.Marshal(d)
		if err != nil {
			return err
		}
		b.Set(key, body)
		return nil
	})
}
