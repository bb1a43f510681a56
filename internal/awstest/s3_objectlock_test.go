package awstest_test

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

func TestS3_ObjectLock(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	must[*s3.CreateBucketOutput](t)(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("worm"), ObjectLockEnabledForBucket: aws.Bool(true)}))
	if v := must[*s3.GetBucketVersioningOutput](t)(c.GetBucketVersioning(ctx, &s3.GetBucketVersioningInput{Bucket: aws.String("worm")})); v.Status != types.BucketVersioningStatusEnabled {
		t.Fatalf("a lock bucket's versioning is %q", v.Status)
	}
	_, err := c.PutBucketVersioning(ctx, &s3.PutBucketVersioningInput{Bucket: aws.String("worm"),
		VersioningConfiguration: &types.VersioningConfiguration{Status: types.BucketVersioningStatusSuspended}})
	wantCode(t, err, "InvalidBucketState")
	must[*s3.PutObjectLockConfigurationOutput](t)(c.PutObjectLockConfiguration(ctx, &s3.PutObjectLockConfigurationInput{Bucket: aws.String("worm"),
		ObjectLockConfiguration: &types.ObjectLockConfiguration{ObjectLockEnabled: types.ObjectLockEnabledEnabled,
			Rule: &types.ObjectLockRule{DefaultRetention: &types.DefaultRetention{Mode: types.ObjectLockRetentionModeGovernance, Days: aws.Int32(1)}}}}))
	cfg := must[*s3.GetObjectLockConfigurationOutput](t)(c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("worm")}))
	if cfg.ObjectLockConfiguration.Rule.DefaultRetention.Mode != types.ObjectLockRetentionModeGovernance {
		t.Fatalf("configuration %+v", cfg.ObjectLockConfiguration)
	}

	v1 := aws.ToString(put(t, c, "worm", "ledger.csv", "v1").VersionId)
	h := must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("worm"), Key: aws.String("ledger.csv")}))
	if h.ObjectLockMode != types.ObjectLockModeGovernance || h.ObjectLockRetainUntilDate == nil {
		t.Fatalf("default retention not applied: %q", h.ObjectLockMode)
	}
	del := func(version string, bypass bool) error {
		_, err := c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("worm"), Key: aws.String("ledger.csv"),
			VersionId: aws.String(version), BypassGovernanceRetention: aws.Bool(bypass)})
		return err
	}
	wantCode(t, del(v1, false), "AccessDenied")

	// COMPLIANCE cannot be shortened or bypassed.
	v2 := aws.ToString(put(t, c, "worm", "ledger.csv", "v2").VersionId)
	until := time.Now().Add(48 * time.Hour).UTC().Truncate(time.Second)
	must[*s3.PutObjectRetentionOutput](t)(c.PutObjectRetention(ctx, &s3.PutObjectRetentionInput{Bucket: aws.String("worm"), Key: aws.String("ledger.csv"),
		VersionId: aws.String(v2), BypassGovernanceRetention: aws.Bool(true),
		Retention: &types.ObjectLockRetention{Mode: types.ObjectLockRetentionModeCompliance, RetainUntilDate: aws.Time(until)}}))
	_, err = c.PutObjectRetention(ctx, &s3.PutObjectRetentionInput{Bucket: aws.String("worm"), Key: aws.String("ledger.csv"),
		VersionId: aws.String(v2), BypassGovernanceRetention: aws.Bool(true),
		Retention: &types.ObjectLockRetention{Mode: types.ObjectLockRetentionModeGovernance, RetainUntilDate: aws.Time(until.Add(-time.Hour))}})
	wantCode(t, err, "AccessDenied")
	wantCode(t, del(v2, true), "AccessDenied")
	ret := must[*s3.GetObjectRetentionOutput](t)(c.GetObjectRetention(ctx, &s3.GetObjectRetentionInput{Bucket: aws.String("worm"), Key: aws.String("ledger.csv"), VersionId: aws.String(v2)}))
	if ret.Retention.Mode != types.ObjectLockRetentionModeCompliance || !aws.ToTime(ret.Retention.RetainUntilDate).Equal(until) {
		t.Fatalf("retention %+v", ret.Retention)
	}

	// A legal hold outlasts retention.
	must[*s3.PutObjectLegalHoldOutput](t)(c.PutObjectLegalHold(ctx, &s3.PutObjectLegalHoldInput{Bucket: aws.String("worm"), Key: aws.String("ledger.csv"),
		VersionId: aws.String(v1), LegalHold: &types.ObjectLockLegalHold{Status: types.ObjectLockLegalHoldStatusOn}}))
	hold := must[*s3.GetObjectLegalHoldOutput](t)(c.GetObjectLegalHold(ctx, &s3.GetObjectLegalHoldInput{Bucket: aws.String("worm"), Key: aws.String("ledger.csv"), VersionId: aws.String(v1)}))
	if hold.LegalHold.Status != types.ObjectLockLegalHoldStatusOn {
		t.Fatalf("legal hold %q", hold.LegalHold.Status)
	}
	// A delete without a version id only adds a marker, as on AWS.
	must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("worm"), Key: aws.String("ledger.csv")}))

	if _, err := srv.AdvanceClock(72 * time.Hour); err != nil {
		t.Fatal(err)
	}
	wantCode(t, del(v1, true), "AccessDenied") // held
	if err := del(v2, false); err != nil {
		t.Fatalf("delete after retention ended: %v", err)
	}
	must[*s3.PutObjectLegalHoldOutput](t)(c.PutObjectLegalHold(ctx, &s3.PutObjectLegalHoldInput{Bucket: aws.String("worm"), Key: aws.String("ledger.csv"),
		VersionId: aws.String(v1), LegalHold: &types.ObjectLockLegalHold{Status: types.ObjectLockLegalHoldStatusOff}}))
	if err := del(v1, false); err != nil {
		t.Fatalf("delete after the hold was lifted: %v", err)
	}

	// Lock settings need a lock bucket.
	createBucket(t, c, "no-worm")
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("no-worm"), Key: aws.String("k"), Body: strings.NewReader("x"),
		ObjectLockLegalHoldStatus: types.ObjectLockLegalHoldStatusOn})
	wantCode(t, err, "InvalidRequest")
	_, err = c.GetObjectLockConfiguration(ctx, &s3.GetObjectLockConfigurationInput{Bucket: aws.String("no-worm")})
	wantCode(t, err, "ObjectLockConfigurationNotFoundError")
}
