package dynamodb

import (
	"context"
	"errors"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// Point-in-time recovery is not served yet: every table reports it
// DISABLED (truthfully), disabling it is accepted, and enabling it is
// refused. Tools that read the setting before anything else, as
// Terraform's aws_dynamodb_table does, work with it off.

var (
	ErrTableNotFound                = awserr.New("TableNotFoundException", 400, "Table not found")
	ErrContinuousBackupsUnavailable = awserr.New("ContinuousBackupsUnavailableException", 400, "Continuous backups are not available")
)

type PointInTimeRecoveryDescription struct {
	PointInTimeRecoveryStatus string `json:"PointInTimeRecoveryStatus"`
}

type ContinuousBackupsDescription struct {
	ContinuousBackupsStatus        string                         `json:"ContinuousBackupsStatus"`
	PointInTimeRecoveryDescription PointInTimeRecoveryDescription `json:"PointInTimeRecoveryDescription"`
}

type ContinuousBackupsOutput struct {
	ContinuousBackupsDescription ContinuousBackupsDescription `json:"ContinuousBackupsDescription"`
}

// noContinuousBackups is what every table has: Lakebox takes neither
// continuous nor on-demand backups yet.
var noContinuousBackups = ContinuousBackupsOutput{ContinuousBackupsDescription{
	ContinuousBackupsStatus: "DISABLED", PointInTimeRecoveryDescription: PointInTimeRecoveryDescription{PointInTimeRecoveryStatus: "DISABLED"}}}

// DescribeContinuousBackups reports a table's point-in-time recovery:
// always off.
func (s *Service) DescribeContinuousBackups(ctx context.Context, in *TableNameInput) (*ContinuousBackupsOutput, error) {
	if err := s.backupsTable(ctx, in.TableName); err != nil {
		return nil, err
	}
	out := noContinuousBackups
	return &out, nil
}

type PointInTimeRecoverySpecification struct {
	PointInTimeRecoveryEnabled *bool `json:"PointInTimeRecoveryEnabled"`
	RecoveryPeriodInDays       *int  `json:"RecoveryPeriodInDays,omitempty"`
}

type UpdateContinuousBackupsInput struct {
	TableName                        string                            `json:"TableName"`
	PointInTimeRecoverySpecification *PointInTimeRecoverySpecification `json:"PointInTimeRecoverySpecification"`
}

// UpdateContinuousBackups accepts turning point-in-time recovery off,
// which it is, and refuses turning it on.
func (s *Service) UpdateContinuousBackups(ctx context.Context, in *UpdateContinuousBackupsInput) (*ContinuousBackupsOutput, error) {
	spec := in.PointInTimeRecoverySpecification
	if spec == nil {
		return nil, modelValidation(nil, "pointInTimeRecoverySpecification", "not be null")
	}
	if spec.PointInTimeRecoveryEnabled == nil {
		return nil, modelValidation(nil, "pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled", "not be null")
	}
	if d := spec.RecoveryPeriodInDays; d != nil && (*d < 1 || *d > 35) {
		return nil, modelValidation(*d, "pointInTimeRecoverySpecification.recoveryPeriodInDays", "have value between 1 and 35")
	}
	if err := s.backupsTable(ctx, in.TableName); err != nil {
		return nil, err
	}
	if *spec.PointInTimeRecoveryEnabled {
		return nil, ErrContinuousBackupsUnavailable.WithMessage("Point-in-time recovery is not supported by Lakebox yet: table %s keeps no continuous backups.", in.TableName)
	}
	out := noContinuousBackups
	return &out, nil
}

// backupsTable checks that a table exists, with the backup operations'
// error for one that does not.
func (s *Service) backupsTable(ctx context.Context, name string) error {
	_, err := s.lookupNamed(ctx, name)
	if errors.Is(err, ErrResourceNotFound) {
		if n, ok := tableNameFromARN(name); ok {
			name = n
		}
		return ErrTableNotFound.WithMessage("Table not found: %s", name)
	}
	return err
}
