package glue

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

// Running crawls. A crawl runs in the background; its crawler is RUNNING
// (STOPPING after StopCrawler) until it ends and the crawler is READY again
// with LastCrawl set. State changes are durable; a crawl interrupted by a
// crash is marked FAILED when the server starts again (RecoverCrawls).

const (
	crawlLogGroup = "/aws-glue/crawlers"
	maxRuntimes   = 20
	maxLogLines   = 1000
)

// crawlRunner tracks the crawls running in this process.
type crawlRunner struct {
	mu      sync.Mutex
	running map[string]*run // by runKey
	active  int             // crawl goroutines not yet finished
	idle    sync.Cond       // signalled when active drops to 0
	ctx     context.Context
	stop    context.CancelFunc
}

type run struct {
	id     string
	cancel context.CancelFunc
}

// CrawlerHistory is one crawl, as ListCrawls returns it.
type CrawlerHistory struct {
	CrawlId       string      `json:"CrawlId"`
	State         string      `json:"State"`
	StartTime     *epoch.Time `json:"StartTime,omitempty"`
	EndTime       *epoch.Time `json:"EndTime,omitempty"`
	Summary       string      `json:"Summary,omitempty"`
	ErrorMessage  string      `json:"ErrorMessage,omitempty"`
	LogGroup      string      `json:"LogGroup,omitempty"`
	LogStream     string      `json:"LogStream,omitempty"`
	MessagePrefix string      `json:"MessagePrefix,omitempty"`
	DPUHour       float64     `json:"DPUHour"`
}

// crawlRecord is a crawl as stored: its history entry and its log.
type crawlRecord struct {
	CrawlerHistory
	Log []string `json:"lakeboxLog,omitempty"`
}

func runKey(sc scope, name string) string { return sc.account + "\x00" + sc.region + "\x00" + name }

func crawlKey(sc scope, name string, start time.Time, id string) []byte {
	return append(appendDesc(sc.key(kindCrawl, name), uint64(start.UnixNano())), id...)
}

func newCrawlID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

type StartCrawlerInput struct {
	Name string `json:"Name"`
}

type StartCrawlerOutput struct{}

// StartCrawler starts a crawl now.
func (s *Service) StartCrawler(ctx context.Context, in *StartCrawlerInput) (*StartCrawlerOutput, error) {
	return &StartCrawlerOutput{}, s.withCrawler(ctx, in.Name, s.startLocked)
}

// startLocked starts a crawl of rec; the caller holds crawlerMu.
func (s *Service) startLocked(sc scope, rec *crawlerRecord) error {
	if rec.State != stateReady {
		return ErrCrawlerRunning.WithMessage("Crawler with name %s has already started", rec.Name)
	}
	now := s.clock.Now()
	id := newCrawlID()
	h := &crawlRecord{CrawlerHistory: CrawlerHistory{
		CrawlId: id, State: stateRunning, StartTime: epoch.Ptr(now),
		LogGroup: crawlLogGroup, LogStream: rec.Name, MessagePrefix: id,
	}}
	rec.State, rec.Current, rec.CurrentStart = stateRunning, id, epoch.Ptr(now)
	b := s.db.NewBatch()
	b.Set(sc.key(kindCrawler, rec.Name), mustJSON(rec))
	b.Set(crawlKey(sc, rec.Name, now, id), mustJSON(h))
	if err := b.Commit(); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(s.crawls.ctx)
	rk := runKey(sc, rec.Name)
	s.crawls.mu.Lock()
	s.crawls.running[rk] = &run{id: id, cancel: cancel}
	s.crawls.active++
	s.crawls.mu.Unlock()
	snapshot := *rec
	go func() {
		defer func() {
			cancel()
			s.crawls.mu.Lock()
			if r := s.crawls.running[rk]; r != nil && r.id == id {
				delete(s.crawls.running, rk)
			}
			if s.crawls.active--; s.crawls.active == 0 {
				s.crawls.idle.Broadcast()
			}
			s.crawls.mu.Unlock()
		}()
		s.runCrawl(ctx, sc, &snapshot, h, now)
	}()
	return nil
}

// runCrawl carries out one crawl and records its end.
func (s *Service) runCrawl(ctx context.Context, sc scope, rec *crawlerRecord, h *crawlRecord, start time.Time) {
	wallStart := s.clock.Wall()
	var lines []string
	var linesMu sync.Mutex
	logf := func(format string, args ...any) {
		msg := fmt.Sprintf(format, args...)
		s.opts.Logger.Info("glue crawl", "crawler", rec.Name, "crawl_id", h.CrawlId, "msg", msg)
		linesMu.Lock()
		if len(lines) < maxLogLines {
			lines = append(lines, h.CrawlId+" "+msg)
		}
		linesMu.Unlock()
	}
	logf("Running Start Crawl for Crawler %s", rec.Name)
	stats, err := s.safeCrawl(ctx, sc, rec, logf)
	if stats == nil {
		stats = &crawlStats{}
	}
	status, hstate, msg := "SUCCEEDED", "COMPLETED", ""
	switch {
	case ctx.Err() != nil && errors.Is(s.crawls.ctx.Err(), context.Canceled):
		status, hstate, msg = "FAILED", "FAILED", "The crawl was interrupted: Lakebox stopped while it ran."
	case ctx.Err() != nil:
		status, hstate = "CANCELLED", "STOPPED"
	case err != nil:
		status, hstate, msg = "FAILED", "FAILED", err.Error()
	}
	if msg != "" {
		logf("ERROR: %s", msg)
	}
	logf("Crawler has finished running and is in state READY (%d files read, %d skipped)", stats.filesRead, stats.filesSkipped)
	runtime := s.clock.Wall().Sub(wallStart).Seconds()

	s.crawlerMu.Lock()
	defer s.crawlerMu.Unlock()
	cur, err := s.crawler(sc, rec.Name)
	if err != nil {
		s.opts.Logger.Error("glue crawl: read crawler", "crawler", rec.Name, "err", err)
		return
	}
	end := s.clock.Now()
	cur.State, cur.Current, cur.CurrentStart = stateReady, "", nil
	cur.LastCrawl = &LastCrawlInfo{Status: status, ErrorMessage: msg, LogGroup: crawlLogGroup, LogStream: rec.Name, MessagePrefix: h.CrawlId, StartTime: epoch.Ptr(start)}
	cur.TablesCreated, cur.TablesUpdated, cur.TablesDeleted = stats.tablesCreated, stats.tablesUpdated, stats.tablesDeleted
	cur.Runtimes = append(cur.Runtimes, runtime)
	if len(cur.Runtimes) > maxRuntimes {
		cur.Runtimes = cur.Runtimes[len(cur.Runtimes)-maxRuntimes:]
	}
	h.State, h.EndTime, h.Summary, h.ErrorMessage, h.Log = hstate, epoch.Ptr(end), stats.summary(), msg, lines
	b := s.db.NewBatch()
	b.Set(sc.key(kindCrawler, cur.Name), mustJSON(cur))
	b.Set(crawlKey(sc, rec.Name, start, h.CrawlId), mustJSON(h))
	if err := b.Commit(); err != nil {
		s.opts.Logger.Error("glue crawl: record end", "crawler", rec.Name, "err", err)
	}
}

// safeCrawl runs a crawl; a bug fails the crawl, not the server.
func (s *Service) safeCrawl(ctx context.Context, sc scope, rec *crawlerRecord, logf func(string, ...any)) (stats *crawlStats, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.opts.Logger.Error("glue crawl panicked", "crawler", rec.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			stats, err = nil, errors.New("internal error")
		}
	}()
	return s.crawl(ctx, sc, rec, logf)
}

type StopCrawlerInput struct {
	Name string `json:"Name"`
}

type StopCrawlerOutput struct{}

// StopCrawler asks a running crawl to stop; the crawler is STOPPING until
// it has.
func (s *Service) StopCrawler(ctx context.Context, in *StopCrawlerInput) (*StopCrawlerOutput, error) {
	return &StopCrawlerOutput{}, s.withCrawler(ctx, in.Name, func(sc scope, rec *crawlerRecord) error {
		switch rec.State {
		case stateReady:
			return ErrCrawlerNotRunning.WithMessage("Crawler with name %s isn't running.", in.Name)
		case stateStopping:
			return ErrCrawlerStopping.WithMessage("Crawler with name %s is stopping.", in.Name)
		}
		rec.State = stateStopping
		if err := s.putCrawler(sc, rec); err != nil {
			return err
		}
		s.crawls.mu.Lock()
		if r := s.crawls.running[runKey(sc, rec.Name)]; r != nil {
			r.cancel()
		}
		s.crawls.mu.Unlock()
		return nil
	})
}

type CrawlsFilter struct {
	FieldName      string `json:"FieldName,omitempty"`
	FilterOperator string `json:"FilterOperator,omitempty"`
	FieldValue     string `json:"FieldValue,omitempty"`
}

type ListCrawlsInput struct {
	CrawlerName string         `json:"CrawlerName"`
	MaxResults  int64          `json:"MaxResults,omitempty"`
	Filters     []CrawlsFilter `json:"Filters,omitempty"`
	NextToken   string         `json:"NextToken,omitempty"`
}

type ListCrawlsOutput struct {
	Crawls    []CrawlerHistory `json:"Crawls"`
	NextToken string           `json:"NextToken,omitempty"`
}

// ListCrawls returns a crawler's crawls, newest first.
func (s *Service) ListCrawls(ctx context.Context, in *ListCrawlsInput) (*ListCrawlsOutput, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	limit, err := pageSize(in.MaxResults, maxPartitionPage)
	if err != nil {
		return nil, err
	}
	if _, err := s.crawler(sc, in.CrawlerName); err != nil {
		return nil, err
	}
	for _, f := range in.Filters {
		switch f.FieldName {
		case "CRAWL_ID", "STATE", "START_TIME", "END_TIME", "DPU_HOUR":
		default:
			return nil, invalid("Filter field %s is not one of CRAWL_ID, STATE, START_TIME, END_TIME, DPU_HOUR.", f.FieldName)
		}
		switch f.FilterOperator {
		case "GT", "GE", "LT", "LE", "EQ", "NE":
		default:
			return nil, invalid("Filter operator %s is not one of GT, GE, LT, LE, EQ, NE.", f.FilterOperator)
		}
	}
	prefix := sc.key(kindCrawl, in.CrawlerName)
	lower, err := resume(prefix, in.NextToken)
	if err != nil {
		return nil, err
	}
	out := &ListCrawlsOutput{Crawls: []CrawlerHistory{}}
	err = s.scan(lower, prefixEnd(prefix), func(k, v []byte) (bool, error) {
		var h crawlRecord
		if err := json.Unmarshal(v, &h); err != nil {
			return false, err
		}
		if !matchCrawl(&h.CrawlerHistory, in.Filters) {
			return true, nil
		}
		if len(out.Crawls) == limit {
			out.NextToken = encodeToken(k[len(prefix):])
			return false, nil
		}
		out.Crawls = append(out.Crawls, h.CrawlerHistory)
		return true, nil
	})
	return out, err
}

func matchCrawl(h *CrawlerHistory, filters []CrawlsFilter) bool {
	for _, f := range filters {
		var c int
		switch f.FieldName {
		case "CRAWL_ID":
			c = strings.Compare(h.CrawlId, f.FieldValue)
		case "STATE":
			c = strings.Compare(h.State, f.FieldValue)
		case "START_TIME", "END_TIME":
			t := h.StartTime
			if f.FieldName == "END_TIME" {
				t = h.EndTime
			}
			want, ok := parseFilterTime(f.FieldValue)
			if t == nil || !ok {
				return false
			}
			c = t.Compare(want)
		case "DPU_HOUR":
			want, err := strconv.ParseFloat(f.FieldValue, 64)
			if err != nil {
				return false
			}
			c = cmp3(h.DPUHour, want)
		}
		ok := map[string]bool{"GT": c > 0, "GE": c >= 0, "LT": c < 0, "LE": c <= 0, "EQ": c == 0, "NE": c != 0}[f.FilterOperator]
		if !ok {
			return false
		}
	}
	return true
}

func parseFilterTime(v string) (time.Time, bool) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		return time.UnixMilli(int64(f * 1000)), true
	}
	return time.Time{}, false
}

// RecoverCrawls marks crawls that a crash interrupted as FAILED and their
// crawlers READY. The server calls it once at start, before serving.
func (s *Service) RecoverCrawls() error {
	s.crawlerMu.Lock()
	defer s.crawlerMu.Unlock()
	b := s.db.NewBatch()
	prefix := []byte("glue\x00" + string(kindCrawler) + "\x00")
	err := s.scan(prefix, prefixEnd(prefix), func(k, v []byte) (bool, error) {
		var rec crawlerRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, err
		}
		if rec.State == stateReady {
			return true, nil
		}
		parts := strings.SplitN(string(k[len(prefix):]), "\x00", 3)
		if len(parts) != 3 {
			return false, fmt.Errorf("glue: malformed crawler key %q", k)
		}
		sc := scope{account: parts[0], region: parts[1]}
		msg := "The crawl was interrupted: Lakebox stopped while it ran."
		now := s.now()
		if rec.CurrentStart != nil {
			var h crawlRecord
			hk := crawlKey(sc, rec.Name, rec.CurrentStart.Time, rec.Current)
			if ok, err := s.getJSON(hk, &h); err != nil {
				return false, err
			} else if ok {
				h.State, h.EndTime, h.ErrorMessage = "FAILED", now, msg
				b.Set(hk, mustJSON(&h))
			}
		}
		rec.LastCrawl = &LastCrawlInfo{Status: "FAILED", ErrorMessage: msg, LogGroup: crawlLogGroup, LogStream: rec.Name, MessagePrefix: rec.Current, StartTime: rec.CurrentStart}
		rec.State, rec.Current, rec.CurrentStart = stateReady, "", nil
		b.Set(bytesClone(k), mustJSON(&rec))
		return true, nil
	})
	if err != nil {
		b.Close()
		return err
	}
	return b.Commit()
}

func bytesClone(b []byte) []byte { return append([]byte(nil), b...) }

// RunSchedules starts every scheduled crawler whose cron time has come
// since its schedule last fired (several missed times start one crawl, as
// on AWS; a crawler still running skips its turn). It returns how many
// crawls it started. The server calls it every minute and whenever the
// clock is advanced.
func (s *Service) RunSchedules() (int, error) {
	s.crawlerMu.Lock()
	defer s.crawlerMu.Unlock()
	now := s.clock.Now()
	prefix := []byte("glue\x00" + string(kindCrawler) + "\x00")
	type due struct {
		sc  scope
		rec crawlerRecord
	}
	var todo []due
	err := s.scan(prefix, prefixEnd(prefix), func(k, v []byte) (bool, error) {
		var rec crawlerRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, err
		}
		if rec.Schedule == nil || rec.Schedule.State != scheduleScheduled {
			return true, nil
		}
		cron, err := parseCron(rec.Schedule.ScheduleExpression)
		if err != nil {
			return true, nil // validated when set; an old bad one never fires
		}
		from := now
		if rec.ScheduledFrom != nil {
			from = rec.ScheduledFrom.Time
		}
		if next := cron.Next(from); next.IsZero() || next.After(now) {
			return true, nil
		}
		parts := strings.SplitN(string(k[len(prefix):]), "\x00", 3)
		todo = append(todo, due{scope{parts[0], parts[1]}, rec})
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	started := 0
	for _, d := range todo {
		rec := d.rec
		rec.ScheduledFrom = epoch.Ptr(now)
		if rec.State == stateReady {
			if err := s.startLocked(d.sc, &rec); err != nil {
				return started, err
			}
			started++
			continue
		}
		if err := s.putCrawler(d.sc, &rec); err != nil {
			return started, err
		}
	}
	return started, nil
}

// Close stops running crawls (they are recorded FAILED) and waits for
// them. Call it before closing the store.
func (s *Service) Close() {
	s.crawls.stop()
	s.WaitCrawls()
}

// WaitCrawls waits until no crawl is running (for tests and benchmarks).
func (s *Service) WaitCrawls() {
	s.crawls.mu.Lock()
	defer s.crawls.mu.Unlock()
	for s.crawls.active > 0 {
		s.crawls.idle.Wait()
	}
}
