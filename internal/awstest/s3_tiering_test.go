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

func TestS3_IntelligentTiering(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "tiers")
	for _, k := range []string{"cold/a.parquet", "hot/b.parquet"} {
		must[*s3.PutObjectOutput](t)(c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("tiers"), Key: aws.String(k),
			Body: strings.NewReader("columns"), StorageClass: types.StorageClassIntelligentTiering}))
	}
	cfg := func(id string, archiveDays int32) *types.IntelligentTieringConfiguration {
		return &types.IntelligentTieringConfiguration{Id: aws.String(id), Status: types.IntelligentTieringStatusEnabled,
			Filter: &types.IntelligentTieringFilter{Prefix: aws.String("cold/")},
			Tierings: []types.Tiering{
				{Days: aws.Int32(archiveDays), AccessTier: types.IntelligentTieringAccessTierArchiveAccess},
				{Days: aws.Int32(180), AccessTier: types.IntelligentTieringAccessTierDeepArchiveAccess},
			}}
	}
	_, err := c.PutBucketIntelligentTieringConfiguration(ctx, &s3.PutBucketIntelligentTieringConfigurationInput{Bucket: aws.String("tiers"),
		Id: aws.String("bad"), IntelligentTieringConfiguration: cfg("bad", 30)})
	wantCode(t, err, "InvalidArgument")
	must[*s3.PutBucketIntelligentTieringConfigurationOutput](t)(c.PutBucketIntelligentTieringConfiguration(ctx,
		&s3.PutBucketIntelligentTieringConfigurationInput{Bucket: aws.String("tiers"), Id: aws.String("archive"), IntelligentTieringConfiguration: cfg("archive", 90)}))
	got := must[*s3.GetBucketIntelligentTieringConfigurationOutput](t)(c.GetBucketIntelligentTieringConfiguration(ctx,
		&s3.GetBucketIntelligentTieringConfigurationInput{Bucket: aws.String("tiers"), Id: aws.String("archive")}))
	if len(got.IntelligentTieringConfiguration.Tierings) != 2 || aws.ToString(got.IntelligentTieringConfiguration.Filter.Prefix) != "cold/" {
		t.Fatalf("read back %+v", got.IntelligentTieringConfiguration)
	}
	list := must[*s3.ListBucketIntelligentTieringConfigurationsOutput](t)(c.ListBucketIntelligentTieringConfigurations(ctx,
		&s3.ListBucketIntelligentTieringConfigurationsInput{Bucket: aws.String("tiers")}))
	if len(list.IntelligentTieringConfigurationList) != 1 {
		t.Fatalf("listed %d", len(list.IntelligentTieringConfigurationList))
	}

	head := func(k string) *s3.HeadObjectOutput {
		return must[*s3.HeadObjectOutput](t)(c.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("tiers"), Key: aws.String(k)}))
	}
	day := 24 * time.Hour
	travel(t, srv, 100*day)
	if h := head("cold/a.parquet"); h.ArchiveStatus != types.ArchiveStatusArchiveAccess || h.StorageClass != types.StorageClassIntelligentTiering {
		t.Fatalf("after 100 idle days: %q %q", h.ArchiveStatus, h.StorageClass)
	}
	_, err = c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("tiers"), Key: aws.String("cold/a.parquet")})
	wantCode(t, err, "InvalidObjectState")
	travel(t, srv, 100*day)
	if h := head("cold/a.parquet"); h.ArchiveStatus != types.ArchiveStatusDeepArchiveAccess {
		t.Fatalf("after 200 idle days: %q", h.ArchiveStatus)
	}
	// Outside the configuration's prefix an object only reaches Archive
	// Instant, which reads at once; reading it brings it back to Frequent.
	if got := get(t, c, "tiers", "hot/b.parquet"); got != "columns" {
		t.Fatalf("hot object: %q", got)
	}

	// A restore brings the object back to Frequent once done.
	out := must[*s3.RestoreObjectOutput](t)(c.RestoreObject(ctx, &s3.RestoreObjectInput{Bucket: aws.String("tiers"), Key: aws.String("cold/a.parquet"),
		RestoreRequest: &types.RestoreRequest{}}))
	_ = out
	if h := head("cold/a.parquet"); aws.ToString(h.Restore) != `ongoing-request="true"` {
		t.Fatalf("restoring: %q", aws.ToString(h.Restore))
	}
	travel(t, srv, 12*time.Hour+time.Minute)
	if h := head("cold/a.parquet"); h.ArchiveStatus != "" || h.Restore != nil {
		t.Fatalf("restored: archive status %q restore %q", h.ArchiveStatus, aws.ToString(h.Restore))
	}
	if got := get(t, c, "tiers", "cold/a.parquet"); got != "columns" {
		t.Fatalf("restored object: %q", got)
	}
	// Unread again for 90 days, it is archived again.
	travel(t, srv, 91*day)
	if h := head("cold/a.parquet"); h.ArchiveStatus != types.ArchiveStatusArchiveAccess {
		t.Fatalf("90 days after its restore: %q", h.ArchiveStatus)
	}
	must[*s3.DeleteBucketIntelligentTieringConfigurationOutput](t)(c.DeleteBucketIntelligentTieringConfiguration(ctx,
		&s3.DeleteBucketIntelligentTieringConfigurationInput{Bucket: aws.String("tiers"), Id: aws.String("archive")}))
	if h := head("cold/a.parquet"); h.ArchiveStatus != "" {
		t.Fatalf("archived without a configuration: %q", h.ArchiveStatus)
	}
}
