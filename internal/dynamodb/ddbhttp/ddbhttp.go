package ddbhttp

import (
	"context"
	"net/http"

	"github.com/lakebox/lakebox/internal/awsproto"
	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/awsjson"
	"github.com/lakebox/lakebox/internal/dynamodb"
)

// New returns the HTTP handler of svc: DynamoDB and DynamoDB Streams,
// which clients sign with the same service name and tell apart by their
// X-Amz-Target prefix.
func New(svc *dynamodb.Service) *Handler {
	return &Handler{tables: tablesAPI(svc), streams: streamsAPI(svc)}
}

// Handler serves DynamoDB and DynamoDB Streams.
type Handler struct{ tables, streams *awsjson.Service }

func (h *Handler) api(r *http.Request) *awsjson.Service {
	if h.streams.Serves(r.Header.Get("X-Amz-Target")) {
		return h.streams
	}
	return h.tables
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.api(r).ServeHTTP(w, r) }

// Serves reports whether target names a DynamoDB or DynamoDB Streams
// operation.
func (h *Handler) Serves(target string) bool {
	return h.tables.Serves(target) || h.streams.Serves(target)
}

// Refuse writes the front door's refusal of a request as the API it was
// sent to writes its errors.
func (h *Handler) Refuse(w http.ResponseWriter, r *http.Request, info *awsproto.RequestInfo, e *awserr.Error) {
	h.api(r).Refuse(w, r, info, e)
}

func streamsAPI(svc *dynamodb.Service) *awsjson.Service {
	return &awsjson.Service{
		TargetPrefix:      "DynamoDBStreams_20120810",
		ContentType:       "application/x-amz-json-1.0",
		InternalErrorCode: "InternalServerError",
		Ops: map[string]awsjson.Handler{
			"ListStreams":      awsjson.Op(svc.ListStreams),
			"DescribeStream":   awsjson.Op(svc.DescribeStream),
			"GetShardIterator": awsjson.Op(svc.GetShardIterator),
			"GetRecords":       awsjson.Op(svc.GetRecords),
		},
	}
}

func tablesAPI(svc *dynamodb.Service) *awsjson.Service {
	return &awsjson.Service{
		TargetPrefix:      "DynamoDB_20120810",
		ContentType:       "application/x-amz-json-1.0",
		InternalErrorCode: "InternalServerError",
		// As the model's shapes name the member (the others have "message").
		MessageFields: map[string]string{"TransactionCanceledException": "Message", "IdempotentParameterMismatchException": "Message",
			"TransactionInProgressException": "Message"},
		ErrorType:       errorType,
		CRC32:           true,
		ForbiddenStatus: http.StatusBadRequest,

		MissingTokenMessage: "Request is missing Authentication Token",
		Ops: map[string]awsjson.Handler{
			"DescribeEndpoints": awsjson.Op(describeEndpoints),
			"CreateTable":       awsjson.Op(svc.CreateTable),
			"DescribeTable":     awsjson.Op(svc.DescribeTable),
			"DeleteTable":       awsjson.Op(svc.DeleteTable),
			"ListTables":        awsjson.Op(svc.ListTables),
			"UpdateTable":       awsjson.Op(svc.UpdateTable),
			"PutItem":           awsjson.Op(svc.PutItem),
			"GetItem":           awsjson.Op(svc.GetItem),
			"DeleteItem":        awsjson.Op(svc.DeleteItem),
			"UpdateItem":        awsjson.Op(svc.UpdateItem),
			"Query":             awsjson.Op(svc.Query),
			"Scan":              awsjson.Op(svc.Scan),

			"BatchWriteItem":     awsjson.Op(svc.BatchWriteItem),
			"BatchGetItem":       awsjson.Op(svc.BatchGetItem),
			"TransactWriteItems": awsjson.Op(svc.TransactWriteItems),
			"TransactGetItems":   awsjson.Op(svc.TransactGetItems),
			"UpdateTimeToLive":   awsjson.Op(svc.UpdateTimeToLive),
			"DescribeTimeToLive": awsjson.Op(svc.DescribeTimeToLive),

			"DescribeContinuousBackups": awsjson.Op(svc.DescribeContinuousBackups),
			"UpdateContinuousBackups":   awsjson.Op(svc.UpdateContinuousBackups),
			"RestoreTableToPointInTime": awsjson.Op(svc.RestoreTableToPointInTime),
			"ExportTableToPointInTime":  awsjson.Op(svc.ExportTableToPointInTime),
			"DescribeExport":            awsjson.Op(svc.DescribeExport),
			"ListExports":               awsjson.Op(svc.ListExports),
			"CreateBackup":              awsjson.Op(svc.CreateBackup),
			"DescribeBackup":            awsjson.Op(svc.DescribeBackup),
			"DeleteBackup":              awsjson.Op(svc.DeleteBackup),
			"ListBackups":               awsjson.Op(svc.ListBackups),
			"RestoreTableFromBackup":    awsjson.Op(svc.RestoreTableFromBackup),
			"ImportTable":               awsjson.Op(svc.ImportTable),
			"DescribeImport":            awsjson.Op(svc.DescribeImport),
			"ListImports":               awsjson.Op(svc.ListImports),
			"TagResource":               awsjson.Op(svc.TagResource),
			"UntagResource":             awsjson.Op(svc.UntagResource),
			"ListTagsOfResource":        awsjson.Op(svc.ListTagsOfResource),

			"EnableKinesisStreamingDestination":   awsjson.Op(svc.EnableKinesisStreamingDestination),
			"DisableKinesisStreamingDestination":  awsjson.Op(svc.DisableKinesisStreamingDestination),
			"DescribeKinesisStreamingDestination": awsjson.Op(svc.DescribeKinesisStreamingDestination),
			"UpdateKinesisStreamingDestination":   awsjson.Op(svc.UpdateKinesisStreamingDestination),

			"ExecuteStatement":      awsjson.Op(svc.ExecuteStatement),
			"BatchExecuteStatement": awsjson.Op(svc.BatchExecuteStatement),
			"ExecuteTransaction":    awsjson.Op(svc.ExecuteTransaction),
		},
	}
}

type endpoint struct {
	Address              string `json:"Address"`
	CachePeriodInMinutes int64  `json:"CachePeriodInMinutes"`
}

// describeEndpoints answers with the endpoint the request came to: Lakebox
// itself. DynamoDB names a host, which SDKs that discover endpoints call
// over HTTPS; Lakebox's address carries its scheme, http, so that they
// call it as they found it.
func describeEndpoints(ctx context.Context, _ *struct{}) (*describeEndpointsOutput, error) {
	return &describeEndpointsOutput{[]endpoint{{Address: "http://" + awsproto.Info(ctx).Host, CachePeriodInMinutes: 1440}}}, nil
}

type describeEndpointsOutput struct {
	Endpoints []endpoint `json:"Endpoints"`
}

// errorType is an error's "__type" as DynamoDB writes it: the code in the
// namespace of the layer that raised it, DynamoDB's own, or the request
// validation and service framework in front of it.
func errorType(code string) string {
	switch code {
	case "ValidationException":
		return "com.amazon.coral.validate#" + code
	case "SerializationException", "UnknownOperationException", "IncompleteBody", "InvalidAction",
		"AccessDeniedException", "MissingAuthenticationTokenException", "UnrecognizedClientException",
		"InvalidSignatureException", "IncompleteSignatureException":
		return "com.amazon.coral.service#" + code
	}
	return "com.amazonaws.dynamodb.v20120810#" + code
}
