package awstest_test

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

func TestS3_CORS(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "web-assets")
	put(t, c, "web-assets", "app.js", "console.log(1)")
	preflight := func(origin, method, headers string) (int, map[string]string) {
		hdr := map[string]string{"Origin": origin, "Access-Control-Request-Method": method}
		if headers != "" {
			hdr["Access-Control-Request-Headers"] = headers
		}
		code, _, h := httpDo(t, srv, "OPTIONS", "/web-assets/app.js", "", hdr)
		return code, map[string]string{"origin": h.Get("Access-Control-Allow-Origin"), "methods": h.Get("Access-Control-Allow-Methods"),
			"headers": h.Get("Access-Control-Allow-Headers"), "maxage": h.Get("Access-Control-Max-Age")}
	}
	if code, _ := preflight("https://app.example.com", "GET", ""); code != 403 {
		t.Fatalf("preflight without a configuration: %d", code)
	}
	_, err := c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("web-assets")})
	wantCode(t, err, "NoSuchCORSConfiguration")
	_, err = c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("web-assets"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{{AllowedMethods: []string{"PATCH"}, AllowedOrigins: []string{"*"}}}}})
	wantCode(t, err, "InvalidRequest")
	must[*s3.PutBucketCorsOutput](t)(c.PutBucketCors(ctx, &s3.PutBucketCorsInput{Bucket: aws.String("web-assets"), CORSConfiguration: &types.CORSConfiguration{
		CORSRules: []types.CORSRule{
			{AllowedMethods: []string{"GET", "HEAD"}, AllowedOrigins: []string{"https://*.example.com"}, AllowedHeaders: []string{"x-amz-*", "content-type"},
				ExposeHeaders: []string{"ETag"}, MaxAgeSeconds: aws.Int32(600)},
			{AllowedMethods: []string{"PUT"}, AllowedOrigins: []string{"https://upload.example.org"}},
		}}}))
	got := must[*s3.GetBucketCorsOutput](t)(c.GetBucketCors(ctx, &s3.GetBucketCorsInput{Bucket: aws.String("web-assets")}))
	if len(got.CORSRules) != 2 || aws.ToInt32(got.CORSRules[0].MaxAgeSeconds) != 600 {
		t.Fatalf("read back %+v", got.CORSRules)
	}
	code, h := preflight("https://app.example.com", "GET", "X-Amz-Date, Content-Type")
	if code != 200 || h["origin"] != "https://app.example.com" || h["methods"] != "GET, HEAD" || h["maxage"] != "600" || h["headers"] == "" {
		t.Fatalf("allowed preflight: %d %v", code, h)
	}
	for _, tc := range []struct{ origin, method, headers string }{
		{"https://evil.test", "GET", ""},               // origin not listed
		{"https://app.example.com", "DELETE", ""},      // method not allowed
		{"https://app.example.com", "GET", "x-secret"}, // header not allowed
		{"https://upload.example.org", "GET", ""},      // that origin may only PUT
	} {
		if code, _ := preflight(tc.origin, tc.method, tc.headers); code != 403 {
			t.Errorf("preflight %+v: %d, want 403", tc, code)
		}
	}
	// An actual cross-origin request carries the headers too, even when
	// it is refused (this one is anonymous, and the bucket has no policy).
	code, _, hdr := httpDo(t, srv, "GET", "/web-assets/app.js", "", map[string]string{"Origin": "https://cdn.example.com"})
	if code != 403 || hdr.Get("Access-Control-Allow-Origin") != "https://cdn.example.com" || hdr.Get("Access-Control-Expose-Headers") != "ETag" {
		t.Fatalf("cross-origin GET: %d %v", code, hdr)
	}
	must[*s3.DeleteBucketCorsOutput](t)(c.DeleteBucketCors(ctx, &s3.DeleteBucketCorsInput{Bucket: aws.String("web-assets")}))
	if code, _ := preflight("https://app.example.com", "GET", ""); code != 403 {
		t.Fatalf("preflight after delete: %d", code)
	}
}
