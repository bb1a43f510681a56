package server

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lakebox/lakebox/internal/athena"
)

// metrics are the server's Prometheus metrics, in a registry of its own.
type metrics struct {
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
	// Athena's per-query metrics, as AWS/Athena publishes them to
	// CloudWatch: ProcessedBytes, EngineExecutionTime, TotalExecutionTime.
	athenaBytes  *prometheus.CounterVec
	athenaEngine *prometheus.HistogramVec
	athenaTotal  *prometheus.HistogramVec
	// Firehose's delivery to S3 (AWS/Firehose DeliveryToS3.Records and
	// DeliveryToS3.Bytes, plus objects), by delivery stream and kind.
	firehoseInRecords *prometheus.CounterVec
	firehoseInBytes   *prometheus.CounterVec
	firehoseRecords   *prometheus.CounterVec
	firehoseBytes     *prometheus.CounterVec
	firehoseObjects   *prometheus.CounterVec
	firehoseDiscarded *prometheus.CounterVec
	handler           http.Handler

	// served holds each (service, operation, status)'s request counter
	// and latency histogram once looked up: every request records both,
	// and finding them by label values cost a tenth of a GetItem's
	// handling.
	served sync.Map // of servedKey to servedMetrics
}

type servedKey struct {
	service, operation string
	status             int
}

type servedMetrics struct {
	requests prometheus.Counter
	latency  prometheus.Observer
}

func newMetrics() *metrics {
	reg := prometheus.NewRegistry()
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lakebox_requests_total",
			Help: "Requests served, by service, operation and HTTP status.",
		}, []string{"service", "operation", "status"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "lakebox_request_duration_seconds",
			Help:    "Time to serve a request, by service and operation.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
		}, []string{"service", "operation"}),
	}
	dims := []string{"workgroup", "query_state", "query_type"}
	m.athenaBytes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lakebox_athena_processed_bytes_total",
		Help: "Bytes Athena queries scanned (AWS/Athena ProcessedBytes), by workgroup, state and statement type.",
	}, dims)
	m.athenaEngine = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "lakebox_athena_engine_execution_seconds",
		Help:    "Time Athena queries ran in the engine (AWS/Athena EngineExecutionTime).",
		Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
	}, dims)
	m.athenaTotal = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "lakebox_athena_total_execution_seconds",
		Help:    "Time from submission to end of Athena queries (AWS/Athena TotalExecutionTime).",
		Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
	}, dims)
	fdims := []string{"delivery_stream", "kind"}
	m.firehoseInRecords = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lakebox_firehose_incoming_records_total",
		Help: "Records put into Firehose or read from its Kinesis source (AWS/Firehose IncomingRecords), by delivery stream.",
	}, []string{"delivery_stream"})
	m.firehoseInBytes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lakebox_firehose_incoming_bytes_total",
		Help: "Bytes of the records put into Firehose (AWS/Firehose IncomingBytes), by delivery stream.",
	}, []string{"delivery_stream"})
	m.firehoseRecords = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lakebox_firehose_delivered_records_total",
		Help: "Records Firehose delivered to S3 (AWS/Firehose DeliveryToS3.Records), by delivery stream and kind (data, error, backup).",
	}, fdims)
	m.firehoseBytes = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lakebox_firehose_delivered_bytes_total",
		Help: "Bytes of the objects Firehose delivered to S3 (AWS/Firehose DeliveryToS3.Bytes).",
	}, fdims)
	m.firehoseObjects = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lakebox_firehose_delivered_objects_total",
		Help: "Objects Firehose delivered to S3.",
	}, fdims)
	m.firehoseDiscarded = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lakebox_firehose_discarded_records_total",
		Help: "Records Firehose dropped because their S3 delivery kept failing past their retention (24 hours, or a Kinesis source's).",
	}, fdims)
	reg.MustRegister(m.requests, m.latency, m.athenaBytes, m.athenaEngine, m.athenaTotal, m.firehoseInRecords, m.firehoseInBytes, m.firehoseRecords, m.firehoseBytes, m.firehoseObjects, m.firehoseDiscarded,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{})
	return m
}

func (m *metrics) observe(service, operation string, status int, d time.Duration) {
	if service == "" {
		service = "unknown"
	}
	k := servedKey{service, operation, status}
	sm, ok := m.served.Load(k)
	if !ok {
		sm, _ = m.served.LoadOrStore(k, servedMetrics{
			requests: m.requests.WithLabelValues(service, operation, strconv.Itoa(status)),
			latency:  m.latency.WithLabelValues(service, operation),
		})
	}
	sm.(servedMetrics).requests.Inc()
	sm.(servedMetrics).latency.Observe(d.Seconds())
}

// athenaQuery records one finished Athena query.
func (m *metrics) athenaQuery(q athena.QueryStats) {
	m.athenaBytes.WithLabelValues(q.WorkGroup, q.State, q.Type).Add(float64(q.ProcessedBytes))
	m.athenaEngine.WithLabelValues(q.WorkGroup, q.State, q.Type).Observe(q.EngineExecution.Seconds())
	m.athenaTotal.WithLabelValues(q.WorkGroup, q.State, q.Type).Observe(q.TotalExecution.Seconds())
}

// firehoseMetrics gives Firehose's counts to the metrics.
type firehoseMetrics struct{ *metrics }

func (m firehoseMetrics) Incoming(stream string, records, bytes int) {
	m.firehoseInRecords.WithLabelValues(stream).Add(float64(records))
	m.firehoseInBytes.WithLabelValues(stream).Add(float64(bytes))
}

// Delivered records one object Firehose delivered.
func (m firehoseMetrics) Delivered(stream, kind string, records, bytes int) {
	m.firehoseRecords.WithLabelValues(stream, kind).Add(float64(records))
	m.firehoseBytes.WithLabelValues(stream, kind).Add(float64(bytes))
	m.firehoseObjects.WithLabelValues(stream, kind).Inc()
}

// Discarded records records Firehose dropped after their retention.
func (m firehoseMetrics) Discarded(stream, kind string, records int) {
	m.firehoseDiscarded.WithLabelValues(stream, kind).Add(float64(records))
}
