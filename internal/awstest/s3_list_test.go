package awstest_test

import (
	"fmt"
	"net/url"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

func TestS3_ListObjects(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "lake")
	keys := []string{
		"raw/2024/01/a.json", "raw/2024/01/b.json", "raw/2024/02/c.json", "raw/2025/01/d.json",
		"processed/x.parquet", "processed/y.parquet", "curated/z.parquet", "readme.txt", "raw.txt",
	}
	for _, k := range keys {
		put(t, c, "lake", k, k)
	}
	slices.Sort(keys)

	list := func(in s3.ListObjectsV2Input) (got []string, prefixes []string, out *s3.ListObjectsV2Output) {
		in.Bucket = aws.String("lake")
		out = must[*s3.ListObjectsV2Output](t)(c.ListObjectsV2(ctx, &in))
		for _, o := range out.Contents {
			got = append(got, aws.ToString(o.Key))
		}
		for _, p := range out.CommonPrefixes {
			prefixes = append(prefixes, aws.ToString(p.Prefix))
		}
		return got, prefixes, out
	}

	got, _, out := list(s3.ListObjectsV2Input{})
	if !slices.Equal(got, keys) || aws.ToInt32(out.KeyCount) != int32(len(keys)) {
		t.Fatalf("all keys = %v", got)
	}
	got, prefixes, _ := list(s3.ListObjectsV2Input{Delimiter: aws.String("/")})
	if !slices.Equal(got, []string{"raw.txt", "readme.txt"}) || !slices.Equal(prefixes, []string{"curated/", "processed/", "raw/"}) {
		t.Fatalf("root: keys %v prefixes %v", got, prefixes)
	}
	got, prefixes, _ = list(s3.ListObjectsV2Input{Prefix: aws.String("raw/"), Delimiter: aws.String("/")})
	if len(got) != 0 || !slices.Equal(prefixes, []string{"raw/2024/", "raw/2025/"}) {
		t.Fatalf("raw/: keys %v prefixes %v", got, prefixes)
	}
	got, _, _ = list(s3.ListObjectsV2Input{StartAfter: aws.String("raw/2024/02/c.json")})
	if !slices.Equal(got, []string{"raw/2025/01/d.json", "readme.txt"}) { // "raw.txt" sorts before "raw/"
		t.Fatalf("start-after: %v", got)
	}

	t.Run("PaginateWithDelimiter", func(t *testing.T) {
		var all []string
		p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Delimiter: aws.String("/"), MaxKeys: aws.Int32(2)})
		pages := 0
		for p.HasMorePages() {
			page := must[*s3.ListObjectsV2Output](t)(p.NextPage(ctx))
			pages++
			for _, cp := range page.CommonPrefixes {
				all = append(all, aws.ToString(cp.Prefix))
			}
			for _, o := range page.Contents {
				all = append(all, aws.ToString(o.Key))
			}
		}
		if want := []string{"curated/", "processed/", "raw/", "raw.txt", "readme.txt"}; !sameSet(all, want) || pages != 3 {
			t.Fatalf("pages %d, entries %v", pages, all)
		}
	})
	t.Run("V1Markers", func(t *testing.T) {
		var all []string
		marker := ""
		for {
			out := must[*s3.ListObjectsOutput](t)(c.ListObjects(ctx, &s3.ListObjectsInput{Bucket: aws.String("lake"), Marker: aws.String(marker), MaxKeys: aws.Int32(4)}))
			for _, o := range out.Contents {
				all = append(all, aws.ToString(o.Key))
				if o.Owner == nil {
					t.Fatal("V1 listing without Owner")
				}
			}
			if !aws.ToBool(out.IsTruncated) {
				break
			}
			marker = all[len(all)-1]
		}
		if !slices.Equal(all, keys) {
			t.Fatalf("V1 pages: %v", all)
		}
	})
	t.Run("EncodingTypeURL", func(t *testing.T) {
		put(t, c, "lake", "spaced key/é+x", "v")
		// The Go SDK leaves decoding to the caller (boto3 decodes itself).
		out := must[*s3.ListObjectsV2Output](t)(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String("spaced"), EncodingType: types.EncodingTypeUrl}))
		if len(out.Contents) != 1 || aws.ToString(out.Contents[0].Key) != "spaced%20key/%C3%A9%2Bx" {
			t.Fatalf("contents %+v", out.Contents)
		}
		if key, _ := url.PathUnescape(aws.ToString(out.Contents[0].Key)); key != "spaced key/é+x" {
			t.Fatalf("decoded key %q", key)
		}
	})
	t.Run("MaxKeysZero", func(t *testing.T) {
		_, _, out := list(s3.ListObjectsV2Input{MaxKeys: aws.Int32(0)})
		if len(out.Contents) != 0 || aws.ToBool(out.IsTruncated) {
			t.Fatalf("max-keys 0: %+v", out)
		}
	})
}

func TestS3_ListManyKeys(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.S3()
	createBucket(t, c, "many")
	var ids []types.ObjectIdentifier
	for i := range 2500 {
		put(t, c, "many", fmt.Sprintf("part=%04d/file.csv", i), "x")
		if i < 1000 {
			ids = append(ids, types.ObjectIdentifier{Key: aws.String(fmt.Sprintf("part=%04d/file.csv", i))})
		}
	}
	count, pages := 0, 0
	p := s3.NewListObjectsV2Paginator(c, &s3.ListObjectsV2Input{Bucket: aws.String("many")})
	for p.HasMorePages() {
		page := must[*s3.ListObjectsV2Output](t)(p.NextPage(ctx))
		count += len(page.Contents)
		pages++
	}
	if count != 2500 || pages != 3 {
		t.Fatalf("listed %d keys in %d pages", count, pages)
	}
	must[*s3.DeleteObjectsOutput](t)(c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("many"), Delete: &types.Delete{Objects: ids, Quiet: aws.Bool(true)}}))
	out := must[*s3.ListObjectsV2Output](t)(c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("many"), Delimiter: aws.String("/")}))
	if len(out.CommonPrefixes) != 1000 || !aws.ToBool(out.IsTruncated) || aws.ToString(out.CommonPrefixes[0].Prefix) != "part=1000/" {
		t.Fatalf("after delete: %d prefixes, first %v", len(out.CommonPrefixes), aws.ToString(out.CommonPrefixes[0].Prefix))
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
