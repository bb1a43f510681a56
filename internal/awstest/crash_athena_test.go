package awstest_test

import (
	"crypto/md5"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	atypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func (c *child) athena() *athena.Client {
	return athena.New(athena.Options{
		Region: "us-east-1", Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		BaseEndpoint: aws.String("http://" + c.addr), HTTPClient: c.httpClient(), RetryMaxAttempts: 1,
	})
}

// A query whose start was acknowledged is still known after kill -9, and
// one seen SUCCEEDED keeps its state, its result pages and its result
// file, small (stored inline) or large (a file of its own).
func TestCrash_AcknowledgedQueriesSurvive(t *testing.T) {
	if testing.Short() {
		t.Skip("starts server processes")
	}
	t.Parallel()
	dir := t.TempDir()
	srv := startChild(t, dir)
	s3c, a := srv.client(), srv.athena()
	createBucket(t, s3c, "results")

	var mu sync.Mutex
	started := map[string]bool{}
	const killAfter = 60 // queries seen SUCCEEDED before the kill
	succeeded := writeUntilKilled(srv, 4, killAfter, func(w, i int) (string, [16]byte, error) {
		pad := []int{10, 40 << 10}[i%2]
		out, err := a.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{
			QueryString:         aws.String(fmt.Sprintf("SELECT %d AS w, %d AS i, repeat('x', %d) AS pad", w, i, pad)),
			ResultConfiguration: &atypes.ResultConfiguration{OutputLocation: aws.String("s3://results/crash/")}})
		if err != nil {
			return "", [16]byte{}, err
		}
		id := aws.ToString(out.QueryExecutionId)
		mu.Lock()
		started[id] = true
		mu.Unlock()
		for {
			q, err := a.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: out.QueryExecutionId})
			if err != nil {
				return "", [16]byte{}, err
			}
			switch st := q.QueryExecution.Status; st.State {
			case atypes.QueryExecutionStateSucceeded:
				csv := fmt.Sprintf("\"w\",\"i\",\"pad\"\n\"%d\",\"%d\",\"%s\"\n", w, i, strings.Repeat("x", pad))
				return id, md5.Sum([]byte(csv)), nil
			case atypes.QueryExecutionStateFailed, atypes.QueryExecutionStateCancelled:
				return "", [16]byte{}, errors.New(aws.ToString(st.StateChangeReason))
			}
		}
	})

	srv = startChild(t, dir)
	s3c, a = srv.client(), srv.athena()
	for id := range started {
		q, err := a.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: aws.String(id)})
		if err != nil {
			t.Fatalf("acknowledged query %s lost: %v", id, err)
		}
		sum, ok := succeeded[id]
		if !ok {
			continue // any end will do: it may have been running at the kill
		}
		if st := q.QueryExecution.Status.State; st != atypes.QueryExecutionStateSucceeded {
			t.Fatalf("query %s was SUCCEEDED before the kill, %s after", id, st)
		}
		res, err := a.GetQueryResults(ctx, &athena.GetQueryResultsInput{QueryExecutionId: aws.String(id)})
		if err != nil || len(res.ResultSet.Rows) != 2 {
			t.Fatalf("results of %s after the kill: %v", id, err)
		}
		obj, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("results"), Key: aws.String("crash/" + id + ".csv")})
		if err != nil {
			t.Fatalf("result file of %s lost: %v", id, err)
		}
		body, _ := io.ReadAll(obj.Body)
		obj.Body.Close()
		if md5.Sum(body) != sum {
			t.Fatalf("result file of %s is %.80q…, not the query's rows", id, body)
		}
	}
	if len(succeeded) < killAfter {
		t.Fatalf("only %d queries succeeded", len(succeeded))
	}
}
