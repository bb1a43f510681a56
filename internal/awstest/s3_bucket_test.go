package awstest_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/awstest"
)

func TestS3_Buckets(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()

	createBucket(t, c, "alpha")
	createBucket(t, c, "beta")
	must[*s3.HeadBucketOutput](t)(c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("alpha")}))

	list := must[*s3.ListBucketsOutput](t)(c.ListBuckets(ctx, &s3.ListBucketsInput{}))
	if len(list.Buckets) != 2 || *list.Buckets[0].Name != "alpha" || *list.Buckets[1].Name != "beta" {
		t.Fatalf("ListBuckets = %+v", list.Buckets)
	}
	if list.Owner == nil || len(aws.ToString(list.Owner.ID)) != 64 {
		t.Fatalf("owner = %+v", list.Owner)
	}

	t.Run("AlreadyOwnedInUsEast1", func(t *testing.T) {
		// S3's legacy us-east-1 behaviour: re-creating your own bucket is a no-op success.
		must[*s3.CreateBucketOutput](t)(c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alpha")}))
	})
	t.Run("AlreadyOwnedElsewhere", func(t *testing.T) {
		eu := srv.S3As(awstest.Client{Region: "eu-west-1"})
		cfg := &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}
		must[*s3.CreateBucketOutput](t)(eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("gamma"), CreateBucketConfiguration: cfg}))
		_, err := eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("gamma"), CreateBucketConfiguration: cfg})
		wantCode(t, err, "BucketAlreadyOwnedByYou")
	})
	t.Run("OtherAccount", func(t *testing.T) {
		other := srv.S3As(awstest.Client{AccessKey: "111122223333", SecretKey: "any"})
		_, err := other.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("alpha")})
		wantCode(t, err, "BucketAlreadyExists")
		_, err = other.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("alpha")})
		wantCode(t, err, "403")
		if l := must[*s3.ListBucketsOutput](t)(other.ListBuckets(ctx, &s3.ListBucketsInput{})); len(l.Buckets) != 0 {
			t.Fatalf("other account sees %d buckets", len(l.Buckets))
		}
	})
	t.Run("InvalidName", func(t *testing.T) {
		for _, name := range []string{"ab", "Upper", "bad..dots", "192.168.1.1", "-dash", "xn--punycode"} {
			_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(name)})
			if err == nil {
				t.Errorf("CreateBucket(%q) succeeded", name)
			}
		}
		_, err := srv.S3As(awstest.Client{UsePathStyle: true}).CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("under_score")})
		wantCode(t, err, "InvalidBucketName")
	})
	t.Run("NoSuchBucket", func(t *testing.T) {
		_, err := c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("missing")})
		wantCode(t, err, "NotFound")
		_, err = c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("missing")})
		wantCode(t, err, "NoSuchBucket")
	})
	t.Run("NotEmpty", func(t *testing.T) {
		put(t, c, "beta", "k", "v")
		_, err := c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("beta")})
		wantCode(t, err, "BucketNotEmpty")
		must[*s3.DeleteObjectOutput](t)(c.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("beta"), Key: aws.String("k")}))
		must[*s3.DeleteBucketOutput](t)(c.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("beta")}))
		_, err = c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("beta")})
		wantCode(t, err, "NotFound")
	})
}

func TestS3_Regions(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	east := srv.S3()
	eu := srv.S3As(awstest.Client{Region: "eu-west-1"})

	t.Run("LocationConstraintRules", func(t *testing.T) {
		_, err := eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("no-constraint")})
		wantCode(t, err, "IllegalLocationConstraintException")
		_, err = east.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("explicit-east"),
			CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "us-east-1"}})
		wantCode(t, err, "InvalidLocationConstraint")
		_, err = eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("mismatch"),
			CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintUsWest2}})
		wantCode(t, err, "IllegalLocationConstraintException")
	})

	must[*s3.CreateBucketOutput](t)(eu.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("eu-bucket"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}}))
	put(t, eu, "eu-bucket", "k", "in europe")

	loc := must[*s3.GetBucketLocationOutput](t)(east.GetBucketLocation(ctx, &s3.GetBucketLocationInput{Bucket: aws.String("eu-bucket")}))
	if loc.LocationConstraint != types.BucketLocationConstraintEuWest1 {
		t.Fatalf("location = %q", loc.LocationConstraint)
	}
	// A request signed for another region is told where the bucket is.
	_, err := east.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("eu-bucket"), Key: aws.String("k")})
	wantCode(t, err, "AuthorizationHeaderMalformed")
	if got := get(t, eu, "eu-bucket", "k"); got != "in europe" {
		t.Fatalf("get = %q", got)
	}
	// A bucket made through the global endpoint with a constraint lives there.
	must[*s3.CreateBucketOutput](t)(east.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("via-global"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintApSoutheast2}}))
	h, err := srv.S3As(awstest.Client{Region: "ap-southeast-2"}).HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("via-global")})
	if err != nil || aws.ToString(h.BucketRegion) != "ap-southeast-2" {
		t.Fatalf("HeadBucket = %+v, %v", h, err)
	}
}

func TestS3_Auth(t *testing.T) {
	t.Parallel()
	known := auth.Key{AccessKey: "AKIALAKEBOXKNOWN", Secret: "s3cret", Account: "123456789012"}
	strict := awstest.New(t, awstest.Options{StrictAuth: true, Keys: []auth.Key{known}})
	dev := awstest.New(t, awstest.Options{Keys: []auth.Key{known}})

	for _, tc := range []struct {
		name   string
		srv    *awstest.Server
		client awstest.Client
		want   string
	}{
		{"TestKey", strict, awstest.Client{}, ""},
		{"KnownKey", strict, awstest.Client{AccessKey: known.AccessKey, SecretKey: known.Secret}, ""},
		{"KnownKeyWrongSecret", strict, awstest.Client{AccessKey: known.AccessKey, SecretKey: "wrong"}, "SignatureDoesNotMatch"},
		{"TestKeyWrongSecret", dev, awstest.Client{AccessKey: "test", SecretKey: "wrong"}, "SignatureDoesNotMatch"},
		{"UnknownKeyStrict", strict, awstest.Client{AccessKey: "AKIAUNKNOWN", SecretKey: "x"}, "InvalidAccessKeyId"},
		{"UnknownKeyDevMode", dev, awstest.Client{AccessKey: "AKIAUNKNOWN", SecretKey: "x"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.srv.S3As(tc.client).ListBuckets(ctx, &s3.ListBucketsInput{})
			if tc.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, tc.want)
		})
	}

	t.Run("AccountFromKey", func(t *testing.T) {
		c := strict.S3As(awstest.Client{AccessKey: known.AccessKey, SecretKey: known.Secret})
		createBucket(t, c, "owned-by-known")
		out := must[*s3.ListBucketsOutput](t)(c.ListBuckets(ctx, &s3.ListBucketsInput{}))
		if len(out.Buckets) != 1 {
			t.Fatalf("buckets = %d", len(out.Buckets))
		}
		// test/test is account 000000000000 and does not see it.
		if l := must[*s3.ListBucketsOutput](t)(strict.S3().ListBuckets(ctx, &s3.ListBucketsInput{})); len(l.Buckets) != 0 {
			t.Fatalf("test key sees %d buckets", len(l.Buckets))
		}
	})
}
