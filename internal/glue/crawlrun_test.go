package glue

import (
	"context"
	"testing"
	"time"

	"github.com/lakebox/lakebox/internal/auth"
	"github.com/lakebox/lakebox/internal/clock"
	"github.com/lakebox/lakebox/internal/storage/meta"
)

func newTestService(t *testing.T, lake Lake) (*Service, *clock.Clock, context.Context) {
	t.Helper()
	db, err := meta.Open(t.TempDir(), meta.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	clk := clock.NewFake(func() time.Time { return time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC) }, 0)
	s := New(db, clk, Options{Lake: lake})
	t.Cleanup(func() { s.Close(); db.Close() })
	ctx := auth.WithIdentity(context.Background(), auth.Identity{Account: "000000000000", Region: "us-east-1"})
	return s, clk, ctx
}

// A crawl that was running when the process died is recorded FAILED, and
// its crawler READY, by RecoverCrawls.
func TestService_RecoverCrawls(t *testing.T) {
	s, _, ctx := newTestService(t, nil)
	if _, err := s.CreateDatabase(ctx, &CreateDatabaseInput{DatabaseInput: &DatabaseInput{Name: "db"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateCrawler(ctx, &CreateCrawlerInput{Name: "c", CrawlerSpec: CrawlerSpec{Role: "r", DatabaseName: "db",
		Targets: &CrawlerTargets{S3Targets: []S3Target{{Path: "s3://b/"}}}}}); err != nil {
		t.Fatal(err)
	}
	// What StartCrawler writes, without the crawl that a crash killed.
	sc := scope{"000000000000", "us-east-1"}
	rec, err := s.crawler(sc, "c")
	if err != nil {
		t.Fatal(err)
	}
	start := s.clock.Now()
	rec.State, rec.Current, rec.CurrentStart = stateRunning, "crawl-1", s.now()
	h := &crawlRecord{CrawlerHistory: CrawlerHistory{CrawlId: "crawl-1", State: stateRunning, StartTime: s.now()}}
	b := s.db.NewBatch()
	b.Set(sc.key(kindCrawler, "c"), mustJSON(rec))
	b.Set(crawlKey(sc, "c", start, "crawl-1"), mustJSON(h))
	if err := b.Commit(); err != nil {
		t.Fatal(err)
	}
	if err := s.RecoverCrawls(); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetCrawler(ctx, &GetCrawlerInput{Name: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if got.Crawler.State != stateReady || got.Crawler.LastCrawl == nil || got.Crawler.LastCrawl.Status != "FAILED" || got.Crawler.LastCrawl.MessagePrefix != "crawl-1" {
		t.Fatalf("crawler after recovery = %+v, last crawl %+v", got.Crawler, got.Crawler.LastCrawl)
	}
	crawls, err := s.ListCrawls(ctx, &ListCrawlsInput{CrawlerName: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if len(crawls.Crawls) != 1 || crawls.Crawls[0].State != "FAILED" || crawls.Crawls[0].EndTime == nil {
		t.Fatalf("crawls = %+v", crawls.Crawls)
	}
}

// Crawls without a lake fail cleanly, and StopCrawler of a READY crawler is
// refused.
func TestService_CrawlWithoutLake(t *testing.T) {
	s, _, ctx := newTestService(t, nil)
	s.CreateDatabase(ctx, &CreateDatabaseInput{DatabaseInput: &DatabaseInput{Name: "db"}})
	if _, err := s.CreateCrawler(ctx, &CreateCrawlerInput{Name: "c", CrawlerSpec: CrawlerSpec{Role: "r", DatabaseName: "db",
		Targets: &CrawlerTargets{S3Targets: []S3Target{{Path: "s3://b/"}}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.StartCrawler(ctx, &StartCrawlerInput{Name: "c"}); err != nil {
		t.Fatal(err)
	}
	s.WaitCrawls()
	got, _ := s.GetCrawler(ctx, &GetCrawlerInput{Name: "c"})
	if got.Crawler.LastCrawl.Status != "FAILED" || got.Crawler.LastCrawl.ErrorMessage == "" {
		t.Fatalf("last crawl = %+v", got.Crawler.LastCrawl)
	}
	if _, err := s.StopCrawler(ctx, &StopCrawlerInput{Name: "c"}); err == nil {
		t.Fatal("StopCrawler of a READY crawler succeeded")
	}
}
