package awstest_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

func TestS3_PublicAccessBlock(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "pab")
	put(t, c, "pab", "index.html", "<h1>hi</h1>")
	_, err := c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("pab")})
	wantCode(t, err, "NoSuchPublicAccessBlockConfiguration")
	policy := aws.String(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::pab/*"}]}`)
	must[*s3.PutBucketPolicyOutput](t)(c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pab"), Policy: policy}))
	if code, _, _ := httpDo(t, srv, "GET", "/pab/index.html", "", nil); code != 200 {
		t.Fatalf("anonymous read under a public policy: %d", code)
	}
	must[*s3.PutPublicAccessBlockOutput](t)(c.PutPublicAccessBlock(ctx, &s3.PutPublicAccessBlockInput{Bucket: aws.String("pab"),
		PublicAccessBlockConfiguration: &types.PublicAccessBlockConfiguration{BlockPublicPolicy: aws.Bool(true), RestrictPublicBuckets: aws.Bool(true)}}))
	got := must[*s3.GetPublicAccessBlockOutput](t)(c.GetPublicAccessBlock(ctx, &s3.GetPublicAccessBlockInput{Bucket: aws.String("pab")}))
	if !aws.ToBool(got.PublicAccessBlockConfiguration.RestrictPublicBuckets) || aws.ToBool(got.PublicAccessBlockConfiguration.BlockPublicAcls) {
		t.Fatalf("read back %+v", got.PublicAccessBlockConfiguration)
	}
	if code, _, _ := httpDo(t, srv, "GET", "/pab/index.html", "", nil); code != 403 {
		t.Fatalf("anonymous read with RestrictPublicBuckets: %d", code)
	}
	if get(t, c, "pab", "index.html") == "" {
		t.Fatal("the owner lost access")
	}
	_, err = c.PutBucketPolicy(ctx, &s3.PutBucketPolicyInput{Bucket: aws.String("pab"), Policy: policy})
	wantCode(t, err, "AccessDenied")
	must[*s3.DeletePublicAccessBlockOutput](t)(c.DeletePublicAccessBlock(ctx, &s3.DeletePublicAccessBlockInput{Bucket: aws.String("pab")}))
	if code, _, _ := httpDo(t, srv, "GET", "/pab/index.html", "", nil); code != 200 {
		t.Fatalf("anonymous read after removing the block: %d", code)
	}
}

func TestS3_OwnershipNotificationMetrics(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "configs")

	own := must[*s3.GetBucketOwnershipControlsOutput](t)(c.GetBucketOwnershipControls(ctx, &s3.GetBucketOwnershipControlsInput{Bucket: aws.String("configs")}))
	if own.OwnershipControls.Rules[0].ObjectOwnership != types.ObjectOwnershipBucketOwnerEnforced {
		t.Fatalf("ownership %q", own.OwnershipControls.Rules[0].ObjectOwnership)
	}
	must[*s3.PutBucketOwnershipControlsOutput](t)(c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String("configs"),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipBucketOwnerEnforced}}}}))
	_, err := c.PutBucketOwnershipControls(ctx, &s3.PutBucketOwnershipControlsInput{Bucket: aws.String("configs"),
		OwnershipControls: &types.OwnershipControls{Rules: []types.OwnershipControlsRule{{ObjectOwnership: types.ObjectOwnershipObjectWriter}}}})
	wantCode(t, err, "NotImplemented")

	empty := must[*s3.GetBucketNotificationConfigurationOutput](t)(c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("configs")}))
	if len(empty.QueueConfigurations) != 0 {
		t.Fatal("a new bucket has notifications")
	}
	queue := types.QueueConfiguration{Id: aws.String("raw-landed"), QueueArn: aws.String("arn:aws:sqs:us-east-1:000000000000:ingest"),
		Events: []types.Event{"s3:ObjectCreated:*"},
		Filter: &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: []types.FilterRule{{Name: types.FilterRuleNamePrefix, Value: aws.String("raw/")}}}}}
	_, err = c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("configs"),
		NotificationConfiguration: &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{
			{QueueArn: aws.String("not an arn"), Events: []types.Event{"s3:ObjectCreated:*"}}}}})
	wantCode(t, err, "InvalidArgument")
	_, err = c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("configs"),
		NotificationConfiguration: &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{queue, queue}}})
	wantCode(t, err, "InvalidArgument") // same id, and overlapping
	must[*s3.PutBucketNotificationConfigurationOutput](t)(c.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{Bucket: aws.String("configs"),
		NotificationConfiguration: &types.NotificationConfiguration{QueueConfigurations: []types.QueueConfiguration{queue}}}))
	n := must[*s3.GetBucketNotificationConfigurationOutput](t)(c.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("configs")}))
	if len(n.QueueConfigurations) != 1 || aws.ToString(n.QueueConfigurations[0].QueueArn) != *queue.QueueArn ||
		aws.ToString(n.QueueConfigurations[0].Filter.Key.FilterRules[0].Value) != "raw/" {
		t.Fatalf("read back %+v", n.QueueConfigurations)
	}

	must[*s3.PutBucketMetricsConfigurationOutput](t)(c.PutBucketMetricsConfiguration(ctx, &s3.PutBucketMetricsConfigurationInput{Bucket: aws.String("configs"),
		Id: aws.String("raw"), MetricsConfiguration: &types.MetricsConfiguration{Id: aws.String("raw"), Filter: &types.MetricsFilterMemberPrefix{Value: "raw/"}}}))
	m := must[*s3.GetBucketMetricsConfigurationOutput](t)(c.GetBucketMetricsConfiguration(ctx, &s3.GetBucketMetricsConfigurationInput{Bucket: aws.String("configs"), Id: aws.String("raw")}))
	if p, ok := m.MetricsConfiguration.Filter.(*types.MetricsFilterMemberPrefix); !ok || p.Value != "raw/" {
		t.Fatalf("metrics filter %#v", m.MetricsConfiguration.Filter)
	}
	l := must[*s3.ListBucketMetricsConfigurationsOutput](t)(c.ListBucketMetricsConfigurations(ctx, &s3.ListBucketMetricsConfigurationsInput{Bucket: aws.String("configs")}))
	if len(l.MetricsConfigurationList) != 1 {
		t.Fatalf("listed %d", len(l.MetricsConfigurationList))
	}
	must[*s3.DeleteBucketMetricsConfigurationOutput](t)(c.DeleteBucketMetricsConfiguration(ctx, &s3.DeleteBucketMetricsConfigurationInput{Bucket: aws.String("configs"), Id: aws.String("raw")}))
	_, err = c.GetBucketMetricsConfiguration(ctx, &s3.GetBucketMetricsConfigurationInput{Bucket: aws.String("configs"), Id: aws.String("raw")})
	wantCode(t, err, "NoSuchConfiguration")
}
