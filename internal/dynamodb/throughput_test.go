package dynamodb

import (
	"strings"
	"testing"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// DynamoDB allows four decreases of a provisioned throughput in a UTC
// day, then one an hour; the refusal names the next time one is allowed.
// The first case is DynamoDB's own answer (ack-api-quirks DDB-TABLE-184).
func TestCheckDecrease(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	spent := func(last string) *throughputChanges {
		return &throughputChanges{LastDecrease: at(last).UnixMilli(), Decreases: 4}
	}
	down := &ProvisionedThroughput{ReadCapacityUnits: 10, WriteCapacityUnits: 5}
	from := &ProvisionedThroughput{ReadCapacityUnits: 10, WriteCapacityUnits: 6}
	for _, c := range []struct {
		name      string
		changes   *throughputChanges
		old, new  *ProvisionedThroughput
		now, want string
	}{
		{"late in the day", spent("2026-10-08T23:20:48Z"), from, down, "2026-10-08T23:21:00Z",
			"Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. " +
				"Number of decreases today: 4. Last decrease at Thursday, October 8, 2026 at 11:20:48 PM Coordinated Universal Time. Next decrease can be made at Friday, October 9, 2026 at 12:00:00 AM Coordinated Universal Time."},
		{"an hour on", spent("2026-10-08T09:05:00Z"), from, down, "2026-10-08T09:30:00Z",
			"Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. " +
				"Number of decreases today: 4. Last decrease at Thursday, October 8, 2026 at 9:05:00 AM Coordinated Universal Time. Next decrease can be made at Thursday, October 8, 2026 at 10:05:00 AM Coordinated Universal Time."},
		{"one down, one up", spent("2026-10-08T09:05:00Z"), from, &ProvisionedThroughput{ReadCapacityUnits: 11, WriteCapacityUnits: 5}, "2026-10-08T09:30:00Z",
			"Number of decreases today: 4."},
		{"the hour passed", spent("2026-10-08T09:05:00Z"), from, down, "2026-10-08T10:05:00Z", ""},
		{"the next day", spent("2026-10-08T23:20:48Z"), from, down, "2026-10-09T00:00:00Z", ""},
		{"three so far", &throughputChanges{LastDecrease: at("2026-10-08T09:05:00Z").UnixMilli(), Decreases: 3}, from, down, "2026-10-08T09:06:00Z", ""},
		{"an increase", spent("2026-10-08T09:05:00Z"), down, from, "2026-10-08T09:06:00Z", ""},
		{"never changed", nil, from, down, "2026-10-08T09:06:00Z", ""},
	} {
		err := checkDecrease(c.changes, c.old, c.new, at(c.now))
		switch e, _ := awserr.As(err); {
		case c.want == "" && err != nil:
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (e == nil || e.Code != "LimitExceededException" || !strings.Contains(e.Message, c.want)):
			t.Errorf("%s: %v, want a LimitExceededException with %q", c.name, err, c.want)
		}
	}
}
