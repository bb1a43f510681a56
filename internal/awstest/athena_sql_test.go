package awstest_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	atypes "github.com/aws/aws-sdk-go-v2/service/athena/types"

	"github.com/lakebox/lakebox/internal/awstest"
)

// TestAthena_SQLFiles runs the data-driven files in testdata/athena, each
// against a fresh server, through the Athena API. A file is blocks
// separated by blank lines:
//
//	# a comment
//	put s3://bucket/key          the following lines are the object's body
//	statement ok                 the next lines are a statement that must succeed
//	statement error <text>       ... that must fail with <text> in its reason
//	query                        a statement, "----", then the rows Athena
//	                             returns (values joined by " | ", NULL for null)
//
// Buckets named in put lines are created; the results bucket is "results";
// statements run in database "test" (created first).
func TestAthena_SQLFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/athena/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no SQL files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			srv := awstest.New(t)
			s3c, c := srv.S3As(awstest.Client{UsePathStyle: true}), srv.Athena()
			buckets := map[string]bool{}
			bucket := func(name string) {
				if !buckets[name] {
					createBucket(t, s3c, name)
					buckets[name] = true
				}
			}
			bucket("results")
			run := func(sql string) *atypes.QueryExecution {
				return runQuery(t, srv, c, &athena.StartQueryExecutionInput{QueryString: aws.String(sql),
					QueryExecutionContext: &atypes.QueryExecutionContext{Database: aws.String("test")}})
			}
			if q := run("CREATE DATABASE test"); q.Status.State != atypes.QueryExecutionStateSucceeded {
				t.Fatal(aws.ToString(q.Status.StateChangeReason))
			}
			for _, block := range strings.Split(string(data), "\n\n") {
				var lines []string
				for _, l := range strings.Split(strings.Trim(block, "\n"), "\n") {
					if !strings.HasPrefix(l, "#") {
						lines = append(lines, l)
					}
				}
				if len(lines) == 0 || lines[0] == "" {
					continue
				}
				head, body := lines[0], lines[1:]
				switch {
				case strings.HasPrefix(head, "put s3://"):
					b, key, _ := strings.Cut(strings.TrimPrefix(head, "put s3://"), "/")
					bucket(b)
					put(t, s3c, b, key, strings.Join(body, "\n")+"\n")
				case head == "statement ok":
					sql := strings.Join(body, "\n")
					if q := run(sql); q.Status.State != atypes.QueryExecutionStateSucceeded {
						t.Errorf("%s\n  %s: %s", sql, q.Status.State, aws.ToString(q.Status.StateChangeReason))
					}
				case strings.HasPrefix(head, "statement error "):
					sql, want := strings.Join(body, "\n"), strings.TrimPrefix(head, "statement error ")
					q := run(sql)
					if q.Status.State == atypes.QueryExecutionStateSucceeded || !strings.Contains(aws.ToString(q.Status.StateChangeReason), want) {
						t.Errorf("%s\n  %s: %q, want an error with %q", sql, q.Status.State, aws.ToString(q.Status.StateChangeReason), want)
					}
				case head == "query":
					sep := len(body)
					for i, l := range body {
						if l == "----" {
							sep = i
						}
					}
					sql, want := strings.Join(body[:sep], "\n"), strings.Join(body[min(sep+1, len(body)):], "\n")
					q := run(sql)
					if q.Status.State != atypes.QueryExecutionStateSucceeded {
						t.Errorf("%s\n  %s: %s", sql, q.Status.State, aws.ToString(q.Status.StateChangeReason))
						continue
					}
					var got []string
					for _, r := range rows(t, c, q.QueryExecutionId) {
						got = append(got, strings.ReplaceAll(strings.Join(r, " | "), "∅", "NULL"))
					}
					if g := strings.Join(got, "\n"); g != want {
						t.Errorf("%s\n   got:\n%s\n  want:\n%s", sql, g, want)
					}
				default:
					t.Fatalf("unknown block %q", head)
				}
			}
		})
	}
}
