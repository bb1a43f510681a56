package glue

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

// Crawler states and their wire names.
const (
	stateReady    = "READY"
	stateRunning  = "RUNNING"
	stateStopping = "STOPPING"

	scheduleScheduled    = "SCHEDULED"
	scheduleNotScheduled = "NOT_SCHEDULED"
)

type S3Target struct {
	Path             string   `json:"Path,omitempty"`
	Exclusions       []string `json:"Exclusions,omitempty"`
	ConnectionName   string   `json:"ConnectionName,omitempty"`
	SampleSize       *int64   `json:"SampleSize,omitempty"`
	EventQueueArn    string   `json:"EventQueueArn,omitempty"`
	DlqEventQueueArn string   `json:"DlqEventQueueArn,omitempty"`
}

type CatalogTarget struct {
	DatabaseName     string   `json:"DatabaseName"`
	Tables           []string `json:"Tables"`
	ConnectionName   string   `json:"ConnectionName,omitempty"`
	EventQueueArn    string   `json:"EventQueueArn,omitempty"`
	DlqEventQueueArn string   `json:"DlqEventQueueArn,omitempty"`
}

type CrawlerTargets struct {
	S3Targets       []S3Target      `json:"S3Targets,omitempty"`
	JdbcTargets     json.RawMessage `json:"JdbcTargets,omitempty"`
	MongoDBTargets  json.RawMessage `json:"MongoDBTargets,omitempty"`
	DynamoDBTargets json.RawMessage `json:"DynamoDBTargets,omitempty"`
	CatalogTargets  []CatalogTarget `json:"CatalogTargets,omitempty"`
	DeltaTargets    json.RawMessage `json:"DeltaTargets,omitempty"`
	IcebergTargets  json.RawMessage `json:"IcebergTargets,omitempty"`
	HudiTargets     json.RawMessage `json:"HudiTargets,omitempty"`
}

type SchemaChangePolicy struct {
	UpdateBehavior string `json:"UpdateBehavior,omitempty"`
	DeleteBehavior string `json:"DeleteBehavior,omitempty"`
}

type RecrawlPolicy struct {
	RecrawlBehavior string `json:"RecrawlBehavior,omitempty"`
}

type LineageConfiguration struct {
	CrawlerLineageSettings string `json:"CrawlerLineageSettings,omitempty"`
}

type Schedule struct {
	ScheduleExpression string `json:"ScheduleExpression,omitempty"`
	State              string `json:"State,omitempty"`
}

type LastCrawlInfo struct {
	Status        string      `json:"Status,omitempty"`
	ErrorMessage  string      `json:"ErrorMessage,omitempty"`
	LogGroup      string      `json:"LogGroup,omitempty"`
	LogStream     string      `json:"LogStream,omitempty"`
	MessagePrefix string      `json:"MessagePrefix,omitempty"`
	StartTime     *epoch.Time `json:"StartTime,omitempty"`
}

// Crawler is a crawler as Glue returns it.
type Crawler struct {
	Name                         string                `json:"Name"`
	Role                         string                `json:"Role,omitempty"`
	Targets                      *CrawlerTargets       `json:"Targets,omitempty"`
	DatabaseName                 string                `json:"DatabaseName,omitempty"`
	Description                  string                `json:"Description,omitempty"`
	Classifiers                  []string              `json:"Classifiers"`
	RecrawlPolicy                *RecrawlPolicy        `json:"RecrawlPolicy,omitempty"`
	SchemaChangePolicy           *SchemaChangePolicy   `json:"SchemaChangePolicy,omitempty"`
	LineageConfiguration         *LineageConfiguration `json:"LineageConfiguration,omitempty"`
	State                        string                `json:"State"`
	TablePrefix                  string                `json:"TablePrefix,omitempty"`
	Schedule                     *Schedule             `json:"Schedule,omitempty"`
	CrawlElapsedTime             int64                 `json:"CrawlElapsedTime"`
	CreationTime                 *epoch.Time           `json:"CreationTime,omitempty"`
	LastUpdated                  *epoch.Time           `json:"LastUpdated,omitempty"`
	LastCrawl                    *LastCrawlInfo        `json:"LastCrawl,omitempty"`
	Version                      int64                 `json:"Version"`
	Configuration                string                `json:"Configuration,omitempty"`
	CrawlerSecurityConfiguration string                `json:"CrawlerSecurityConfiguration,omitempty"`
	LakeFormationConfiguration   json.RawMessage       `json:"LakeFormationConfiguration,omitempty"`
}

// crawlerRecord is a crawler as stored.
type crawlerRecord struct {
	Crawler
	// ScheduledFrom is when the schedule last fired or was set: the next
	// run is the first cron time after it.
	ScheduledFrom *epoch.Time `json:"lakeboxScheduledFrom,omitempty"`
	// Current is the running crawl's id, CurrentStart when it started.
	Current      string      `json:"lakeboxCurrent,omitempty"`
	CurrentStart *epoch.Time `json:"lakeboxCurrentStart,omitempty"`
	// Last crawl's counts, for GetCrawlerMetrics.
	TablesCreated int64     `json:"lakeboxTablesCreated,omitempty"`
	TablesUpdated int64     `json:"lakeboxTablesUpdated,omitempty"`
	TablesDeleted int64     `json:"lakeboxTablesDeleted,omitempty"`
	Runtimes      []float64 `json:"lakeboxRuntimes,omitempty"` // seconds, newest last, at most 20
}

// CrawlerSpec is the settings CreateCrawler and UpdateCrawler share.
type CrawlerSpec struct {
	Role                         string                `json:"Role,omitempty"`
	DatabaseName                 string                `json:"DatabaseName,omitempty"`
	Description                  string                `json:"Description,omitempty"`
	Targets                      *CrawlerTargets       `json:"Targets,omitempty"`
	Schedule                     string                `json:"Schedule,omitempty"`
	Classifiers                  []string              `json:"Classifiers,omitempty"`
	TablePrefix                  string                `json:"TablePrefix,omitempty"`
	SchemaChangePolicy           *SchemaChangePolicy   `json:"SchemaChangePolicy,omitempty"`
	RecrawlPolicy                *RecrawlPolicy        `json:"RecrawlPolicy,omitempty"`
	LineageConfiguration         *LineageConfiguration `json:"LineageConfiguration,omitempty"`
	LakeFormationConfiguration   json.RawMessage       `json:"LakeFormationConfiguration,omitempty"`
	Configuration                string                `json:"Configuration,omitempty"`
	CrawlerSecurityConfiguration string                `json:"CrawlerSecurityConfiguration,omitempty"`
}

type CreateCrawlerInput struct {
	Name string `json:"Name"`
	CrawlerSpec
	Tags map[string]string `json:"Tags,omitempty"`
}

type CreateCrawlerOutput struct{}

// CreateCrawler defines a crawler. Targets other than S3 and the catalog
// are refused: Lakebox cannot crawl them.
func (s *Service) CreateCrawler(ctx context.Context, in *CreateCrawlerInput) (*CreateCrawlerOutput, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	name, err := checkCrawlerName(in.Name)
	if err != nil {
		return nil, err
	}
	if in.Role == "" {
		return nil, invalid("Role is required.")
	}
	if in.Targets == nil {
		return nil, invalid("Targets is required.")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	rec := &crawlerRecord{Crawler: Crawler{Name: name, State: stateReady, Version: 1, CreationTime: s.now()}}
	rec.LastUpdated = rec.CreationTime
	if err := s.applySpec(sc, rec, in.CrawlerSpec); err != nil {
		return nil, err
	}
	s.crawlerMu.Lock()
	defer s.crawlerMu.Unlock()
	key := sc.key(kindCrawler, name)
	if ok, err := s.db.Has(key); err != nil {
		return nil, err
	} else if ok {
		return nil, exists("%s already exists", name)
	}
	b := s.db.NewBatch()
	b.Set(key, mustJSON(rec))
	if len(in.Tags) > 0 {
		b.Set(sc.key(kindTag, arn(sc, "crawler/"+name)), mustJSON(in.Tags))
	}
	return &CreateCrawlerOutput{}, b.Commit()
}

func checkCrawlerName(name string) (string, error) {
	if _, err := checkName("Crawler", name); err != nil {
		return "", err
	}
	return name, nil // crawler names keep their case
}

// applySpec validates spec and sets it on rec.
func (s *Service) applySpec(sc scope, rec *crawlerRecord, spec CrawlerSpec) error {
	t := spec.Targets
	switch {
	case t == nil:
	case t.JdbcTargets != nil || t.MongoDBTargets != nil || t.DynamoDBTargets != nil || t.DeltaTargets != nil || t.IcebergTargets != nil || t.HudiTargets != nil:
		if nonEmptyList(t.JdbcTargets) || nonEmptyList(t.MongoDBTargets) || nonEmptyList(t.DynamoDBTargets) ||
			nonEmptyList(t.DeltaTargets) || nonEmptyList(t.IcebergTargets) || nonEmptyList(t.HudiTargets) {
			return notSupported("Crawling JDBC, MongoDB, DynamoDB, Delta, Iceberg and Hudi targets")
		}
	}
	if t != nil {
		if len(t.S3Targets) == 0 && len(t.CatalogTargets) == 0 {
			return invalid("Crawler targets cannot be empty.")
		}
		if len(t.S3Targets) > 0 && len(t.CatalogTargets) > 0 {
			return invalid("A crawler cannot have both S3 and catalog targets.")
		}
		for _, st := range t.S3Targets {
			if _, _, err := parseS3Path(st.Path); err != nil {
				return err
			}
			if st.SampleSize != nil && (*st.SampleSize < 1 || *st.SampleSize > 249) {
				return invalid("SampleSize must be between 1 and 249.")
			}
			if st.ConnectionName != "" || st.EventQueueArn != "" {
				return notSupported("S3 targets with connections or event queues")
			}
			for _, ex := range st.Exclusions {
				if _, err := compileGlob(ex); err != nil {
					return err
				}
			}
		}
		for _, ct := range t.CatalogTargets {
			if ct.DatabaseName == "" || len(ct.Tables) == 0 {
				return invalid("A catalog target needs a DatabaseName and Tables.")
			}
		}
		rec.Targets = t
	}
	if spec.Role != "" {
		rec.Role = spec.Role
	}
	if spec.DatabaseName != "" {
		rec.DatabaseName = spec.DatabaseName
	}
	if spec.Description != "" {
		rec.Description = spec.Description
	}
	if spec.Classifiers != nil {
		rec.Classifiers = spec.Classifiers
	}
	if rec.Classifiers == nil {
		rec.Classifiers = []string{}
	}
	if spec.TablePrefix != "" {
		rec.TablePrefix = spec.TablePrefix
	}
	if spec.SchemaChangePolicy != nil {
		rec.SchemaChangePolicy = spec.SchemaChangePolicy
	}
	if spec.RecrawlPolicy != nil {
		rec.RecrawlPolicy = spec.RecrawlPolicy
	}
	if spec.LineageConfiguration != nil {
		rec.LineageConfiguration = spec.LineageConfiguration
	}
	if spec.LakeFormationConfiguration != nil {
		rec.LakeFormationConfiguration = spec.LakeFormationConfiguration
	}
	if spec.Configuration != "" {
		if _, err := parseCrawlerConfig(spec.Configuration); err != nil {
			return err
		}
		rec.Configuration = spec.Configuration
	}
	if spec.CrawlerSecurityConfiguration != "" {
		return notSupported("Crawler security configurations")
	}
	// Defaults Glue reports.
	if rec.SchemaChangePolicy == nil {
		rec.SchemaChangePolicy = &SchemaChangePolicy{}
	}
	if rec.SchemaChangePolicy.UpdateBehavior == "" {
		rec.SchemaChangePolicy.UpdateBehavior = "UPDATE_IN_DATABASE"
	}
	if rec.SchemaChangePolicy.DeleteBehavior == "" {
		rec.SchemaChangePolicy.DeleteBehavior = "DEPRECATE_IN_DATABASE"
	}
	if rec.RecrawlPolicy == nil || rec.RecrawlPolicy.RecrawlBehavior == "" {
		rec.RecrawlPolicy = &RecrawlPolicy{RecrawlBehavior: "CRAWL_EVERYTHING"}
	}
	if rec.LineageConfiguration == nil {
		rec.LineageConfiguration = &LineageConfiguration{CrawlerLineageSettings: "DISABLE"}
	}
	switch rec.SchemaChangePolicy.UpdateBehavior {
	case "UPDATE_IN_DATABASE", "LOG":
	default:
		return invalid("UpdateBehavior must be UPDATE_IN_DATABASE or LOG.")
	}
	switch rec.SchemaChangePolicy.DeleteBehavior {
	case "DELETE_FROM_DATABASE", "DEPRECATE_IN_DATABASE", "LOG":
	default:
		return invalid("DeleteBehavior must be DELETE_FROM_DATABASE, DEPRECATE_IN_DATABASE or LOG.")
	}
	switch rec.RecrawlPolicy.RecrawlBehavior {
	case "CRAWL_EVERYTHING":
	case "CRAWL_NEW_FOLDERS_ONLY":
		if rec.SchemaChangePolicy.UpdateBehavior != "LOG" || rec.SchemaChangePolicy.DeleteBehavior != "LOG" {
			return invalid("The SchemaChangePolicy for Crawl New Folders Only Amazon S3 target can have only LOG DeleteBehavior value and LOG UpdateBehavior value.")
		}
	case "CRAWL_EVENT_MODE":
		return notSupported("RecrawlBehavior CRAWL_EVENT_MODE")
	default:
		return invalid("RecrawlBehavior must be CRAWL_EVERYTHING, CRAWL_NEW_FOLDERS_ONLY or CRAWL_EVENT_MODE.")
	}
	if rec.LineageConfiguration.CrawlerLineageSettings == "ENABLE" {
		return notSupported("Crawler lineage")
	}
	if rec.Targets != nil && len(rec.Targets.S3Targets) > 0 && rec.DatabaseName == "" {
		return invalid("DatabaseName is required for a crawler of S3 targets.")
	}
	if rec.Targets != nil && len(rec.Targets.CatalogTargets) > 0 && rec.SchemaChangePolicy.DeleteBehavior == "DEPRECATE_IN_DATABASE" {
		rec.SchemaChangePolicy.DeleteBehavior = "LOG" // catalog targets cannot deprecate
	}
	if spec.Schedule != "" {
		if _, err := parseCron(spec.Schedule); err != nil {
			return err
		}
		rec.Schedule = &Schedule{ScheduleExpression: spec.Schedule, State: scheduleScheduled}
		rec.ScheduledFrom = s.now()
	}
	return nil
}

func nonEmptyList(raw json.RawMessage) bool {
	var l []any
	return json.Unmarshal(raw, &l) != nil || len(l) > 0
}

// parseS3Path splits s3://bucket/prefix.
func parseS3Path(p string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(p, "s3://")
	if !ok {
		if rest, ok = strings.CutPrefix(p, "s3a://"); !ok {
			return "", "", invalid("S3 target path %q must start with s3://.", p)
		}
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", invalid("S3 target path %q names no bucket.", p)
	}
	return bucket, prefix, nil
}

// view is the crawler as Glue reports it: a running crawler's elapsed
// time in milliseconds.
func (s *Service) view(rec *crawlerRecord) *Crawler {
	c := rec.Crawler
	if rec.CurrentStart != nil {
		c.CrawlElapsedTime = max(0, s.clock.Now().Sub(rec.CurrentStart.Time).Milliseconds())
	}
	return &c
}

// crawler reads a crawler record.
func (s *Service) crawler(sc scope, name string) (*crawlerRecord, error) {
	var rec crawlerRecord
	ok, err := s.getJSON(sc.key(kindCrawler, name), &rec)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, notFound("Crawler with name %s has not been found", name)
	}
	return &rec, nil
}

func (s *Service) putCrawler(sc scope, rec *crawlerRecord) error {
	b := s.db.NewBatch()
	b.Set(sc.key(kindCrawler, rec.Name), mustJSON(rec))
	return b.Commit()
}

type GetCrawlerInput struct {
	Name string `json:"Name"`
}

type GetCrawlerOutput struct {
	Crawler *Crawler `json:"Crawler"`
}

// GetCrawler returns one crawler.
func (s *Service) GetCrawler(ctx context.Context, in *GetCrawlerInput) (*GetCrawlerOutput, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	rec, err := s.crawler(sc, in.Name)
	if err != nil {
		return nil, err
	}
	return &GetCrawlerOutput{Crawler: s.view(rec)}, nil
}

type GetCrawlersInput struct {
	MaxResults int64  `json:"MaxResults,omitempty"`
	NextToken  string `json:"NextToken,omitempty"`
}

type GetCrawlersOutput struct {
	Crawlers  []*Crawler `json:"Crawlers"`
	NextToken string     `json:"NextToken,omitempty"`
}

// GetCrawlers lists crawlers in name order.
func (s *Service) GetCrawlers(ctx context.Context, in *GetCrawlersInput) (*GetCrawlersOutput, error) {
	out := &GetCrawlersOutput{Crawlers: []*Crawler{}}
	token, err := s.eachCrawler(ctx, in.MaxResults, in.NextToken, func(rec *crawlerRecord) {
		out.Crawlers = append(out.Crawlers, s.view(rec))
	})
	out.NextToken = token
	return out, err
}

// eachCrawler pages through crawlers.
func (s *Service) eachCrawler(ctx context.Context, max int64, next string, fn func(*crawlerRecord)) (string, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return "", err
	}
	limit, err := pageSize(max, maxPartitionPage)
	if err != nil {
		return "", err
	}
	prefix := sc.key(kindCrawler)
	lower, err := resume(prefix, next)
	if err != nil {
		return "", err
	}
	n, token := 0, ""
	err = s.scan(lower, prefixEnd(prefix), func(k, v []byte) (bool, error) {
		if n == limit {
			token = encodeToken(k[len(prefix):])
			return false, nil
		}
		var rec crawlerRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, err
		}
		fn(&rec)
		n++
		return true, nil
	})
	return token, err
}

type ListCrawlersInput struct {
	MaxResults int64             `json:"MaxResults,omitempty"`
	NextToken  string            `json:"NextToken,omitempty"`
	Tags       map[string]string `json:"Tags,omitempty"`
}

type ListCrawlersOutput struct {
	CrawlerNames []string `json:"CrawlerNames"`
	NextToken    string   `json:"NextToken,omitempty"`
}

// ListCrawlers lists crawler names, those carrying all of Tags if given.
func (s *Service) ListCrawlers(ctx context.Context, in *ListCrawlersInput) (*ListCrawlersOutput, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	out := &ListCrawlersOutput{CrawlerNames: []string{}}
	var ferr error
	out.NextToken, err = s.eachCrawler(ctx, in.MaxResults, in.NextToken, func(rec *crawlerRecord) {
		if len(in.Tags) > 0 {
			tags, err := s.tags(sc.key(kindTag, arn(sc, "crawler/"+rec.Name)))
			if err != nil {
				ferr = err
				return
			}
			for k, v := range in.Tags {
				if tags[k] != v {
					return
				}
			}
		}
		out.CrawlerNames = append(out.CrawlerNames, rec.Name)
	})
	if err == nil {
		err = ferr
	}
	return out, err
}

type BatchGetCrawlersInput struct {
	CrawlerNames []string `json:"CrawlerNames"`
}

type BatchGetCrawlersOutput struct {
	Crawlers         []*Crawler `json:"Crawlers"`
	CrawlersNotFound []string   `json:"CrawlersNotFound"`
}

// BatchGetCrawlers returns up to 100 crawlers by name.
func (s *Service) BatchGetCrawlers(ctx context.Context, in *BatchGetCrawlersInput) (*BatchGetCrawlersOutput, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	if len(in.CrawlerNames) > 100 {
		return nil, invalid("CrawlerNames can hold at most 100 names.")
	}
	out := &BatchGetCrawlersOutput{Crawlers: []*Crawler{}, CrawlersNotFound: []string{}}
	for _, name := range in.CrawlerNames {
		rec, err := s.crawler(sc, name)
		if err != nil {
			if _, ok := asAWS(err); !ok {
				return nil, err
			}
			out.CrawlersNotFound = append(out.CrawlersNotFound, name)
			continue
		}
		out.Crawlers = append(out.Crawlers, s.view(rec))
	}
	return out, nil
}

type UpdateCrawlerInput struct {
	Name string `json:"Name"`
	CrawlerSpec
}

type UpdateCrawlerOutput struct{}

// UpdateCrawler changes the given settings of a crawler that is not
// running.
func (s *Service) UpdateCrawler(ctx context.Context, in *UpdateCrawlerInput) (*UpdateCrawlerOutput, error) {
	return &UpdateCrawlerOutput{}, s.withCrawler(ctx, in.Name, func(sc scope, rec *crawlerRecord) error {
		if rec.State != stateReady {
			return ErrCrawlerRunning.WithMessage("Crawler with name %s is %s and cannot be updated.", in.Name, rec.State)
		}
		if err := s.applySpec(sc, rec, in.CrawlerSpec); err != nil {
			return err
		}
		rec.Version++
		rec.LastUpdated = s.now()
		return s.putCrawler(sc, rec)
	})
}

// withCrawler runs fn on a crawler's record under crawlerMu.
func (s *Service) withCrawler(ctx context.Context, name string, fn func(scope, *crawlerRecord) error) error {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return err
	}
	s.crawlerMu.Lock()
	defer s.crawlerMu.Unlock()
	rec, err := s.crawler(sc, name)
	if err != nil {
		return err
	}
	return fn(sc, rec)
}

type DeleteCrawlerInput struct {
	Name string `json:"Name"`
}

type DeleteCrawlerOutput struct{}

// DeleteCrawler removes a crawler that is not running, with its history.
func (s *Service) DeleteCrawler(ctx context.Context, in *DeleteCrawlerInput) (*DeleteCrawlerOutput, error) {
	return &DeleteCrawlerOutput{}, s.withCrawler(ctx, in.Name, func(sc scope, rec *crawlerRecord) error {
		if rec.State != stateReady {
			return ErrCrawlerRunning.WithMessage("%s is %s", in.Name, rec.State)
		}
		b := s.db.NewBatch()
		b.Delete(sc.key(kindCrawler, rec.Name))
		b.Delete(sc.key(kindTag, arn(sc, "crawler/"+rec.Name)))
		h := sc.key(kindCrawl, rec.Name)
		b.DeleteRange(h, prefixEnd(h))
		return b.Commit()
	})
}

type UpdateCrawlerScheduleInput struct {
	CrawlerName string `json:"CrawlerName"`
	Schedule    string `json:"Schedule,omitempty"`
}

type UpdateCrawlerScheduleOutput struct{}

// UpdateCrawlerSchedule sets a crawler's cron schedule.
func (s *Service) UpdateCrawlerSchedule(ctx context.Context, in *UpdateCrawlerScheduleInput) (*UpdateCrawlerScheduleOutput, error) {
	return &UpdateCrawlerScheduleOutput{}, s.changeSchedule(ctx, in.CrawlerName, func(rec *crawlerRecord) error {
		if in.Schedule == "" {
			rec.Schedule = nil
			return nil
		}
		if _, err := parseCron(in.Schedule); err != nil {
			return err
		}
		state := scheduleScheduled
		if rec.Schedule != nil && rec.Schedule.State == scheduleNotScheduled {
			state = scheduleNotScheduled
		}
		rec.Schedule = &Schedule{ScheduleExpression: in.Schedule, State: state}
		return nil
	})
}

type CrawlerNameInput struct {
	CrawlerName string `json:"CrawlerName"`
}

type StartCrawlerScheduleOutput struct{}

// StartCrawlerSchedule turns a crawler's schedule on.
func (s *Service) StartCrawlerSchedule(ctx context.Context, in *CrawlerNameInput) (*StartCrawlerScheduleOutput, error) {
	return &StartCrawlerScheduleOutput{}, s.changeSchedule(ctx, in.CrawlerName, func(rec *crawlerRecord) error {
		switch {
		case rec.Schedule == nil || rec.Schedule.ScheduleExpression == "":
			return ErrNoSchedule.WithMessage("Crawler %s has no schedule.", rec.Name)
		case rec.Schedule.State == scheduleScheduled:
			return ErrSchedulerRunning.WithMessage("The schedule of crawler %s is already running.", rec.Name)
		}
		rec.Schedule.State = scheduleScheduled
		return nil
	})
}

type StopCrawlerScheduleOutput struct{}

// StopCrawlerSchedule turns a crawler's schedule off, keeping it.
func (s *Service) StopCrawlerSchedule(ctx context.Context, in *CrawlerNameInput) (*StopCrawlerScheduleOutput, error) {
	return &StopCrawlerScheduleOutput{}, s.changeSchedule(ctx, in.CrawlerName, func(rec *crawlerRecord) error {
		if rec.Schedule == nil || rec.Schedule.State != scheduleScheduled {
			return ErrSchedulerNotRunning.WithMessage("The schedule of crawler %s is not running.", rec.Name)
		}
		rec.Schedule.State = scheduleNotScheduled
		return nil
	})
}

func (s *Service) changeSchedule(ctx context.Context, name string, change func(*crawlerRecord) error) error {
	return s.withCrawler(ctx, name, func(sc scope, rec *crawlerRecord) error {
		if err := change(rec); err != nil {
			return err
		}
		rec.ScheduledFrom = s.now()
		return s.putCrawler(sc, rec)
	})
}

type GetCrawlerMetricsInput struct {
	CrawlerNameList []string `json:"CrawlerNameList,omitempty"`
	MaxResults      int64    `json:"MaxResults,omitempty"`
	NextToken       string   `json:"NextToken,omitempty"`
}

type CrawlerMetrics struct {
	CrawlerName          string  `json:"CrawlerName"`
	TimeLeftSeconds      float64 `json:"TimeLeftSeconds"`
	StillEstimating      bool    `json:"StillEstimating"`
	LastRuntimeSeconds   float64 `json:"LastRuntimeSeconds"`
	MedianRuntimeSeconds float64 `json:"MedianRuntimeSeconds"`
	TablesCreated        int64   `json:"TablesCreated"`
	TablesUpdated        int64   `json:"TablesUpdated"`
	TablesDeleted        int64   `json:"TablesDeleted"`
}

type GetCrawlerMetricsOutput struct {
	CrawlerMetricsList []CrawlerMetrics `json:"CrawlerMetricsList"`
	NextToken          string           `json:"NextToken,omitempty"`
}

// GetCrawlerMetrics reports the last crawl's counts and run times.
func (s *Service) GetCrawlerMetrics(ctx context.Context, in *GetCrawlerMetricsInput) (*GetCrawlerMetricsOutput, error) {
	out := &GetCrawlerMetricsOutput{CrawlerMetricsList: []CrawlerMetrics{}}
	metrics := func(rec *crawlerRecord) {
		m := CrawlerMetrics{
			CrawlerName: rec.Name, TablesCreated: rec.TablesCreated, TablesUpdated: rec.TablesUpdated, TablesDeleted: rec.TablesDeleted,
			StillEstimating: rec.State == stateRunning,
		}
		if n := len(rec.Runtimes); n > 0 {
			m.LastRuntimeSeconds = rec.Runtimes[n-1]
			sorted := slices.Sorted(slices.Values(rec.Runtimes))
			m.MedianRuntimeSeconds = sorted[n/2]
			if n%2 == 0 {
				m.MedianRuntimeSeconds = (sorted[n/2-1] + sorted[n/2]) / 2
			}
		}
		out.CrawlerMetricsList = append(out.CrawlerMetricsList, m)
	}
	if len(in.CrawlerNameList) > 0 {
		sc, err := scopeOf(ctx, "")
		if err != nil {
			return nil, err
		}
		for _, name := range in.CrawlerNameList {
			rec, err := s.crawler(sc, name)
			if err != nil {
				if _, ok := asAWS(err); ok {
					continue
				}
				return nil, err
			}
			metrics(rec)
		}
		return out, nil
	}
	token, err := s.eachCrawler(ctx, in.MaxResults, in.NextToken, metrics)
	out.NextToken = token
	return out, err
}
