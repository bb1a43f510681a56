package athenahttp

import (
	"net/http"

	"github.com/lakebox/lakebox/internal/athena"
	"github.com/lakebox/lakebox/internal/awsproto/awsjson"
)

// New returns the HTTP handler of svc.
func New(svc *athena.Service) http.Handler {
	return &awsjson.Service{
		TargetPrefix:      "AmazonAthena",
		ContentType:       "application/x-amz-json-1.1",
		InternalErrorCode: "InternalServerException",
		MessageField:      "Message",
		Ops: map[string]awsjson.Handler{
			"StartQueryExecution":    awsjson.Op(svc.StartQueryExecution),
			"GetQueryExecution":      awsjson.Op(svc.GetQueryExecution),
			"BatchGetQueryExecution": awsjson.Op(svc.BatchGetQueryExecution),
			"ListQueryExecutions":    awsjson.Op(svc.ListQueryExecutions),
			"StopQueryExecution":     awsjson.Op(svc.StopQueryExecution),
			"GetQueryResults":        awsjson.Op(svc.GetQueryResults),

			"CreateWorkGroup": awsjson.Op(svc.CreateWorkGroup),
			"GetWorkGroup":    awsjson.Op(svc.GetWorkGroup),
			"ListWorkGroups":  awsjson.Op(svc.ListWorkGroups),
			"UpdateWorkGroup": awsjson.Op(svc.UpdateWorkGroup),
			"DeleteWorkGroup": awsjson.Op(svc.DeleteWorkGroup),
		},
	}
}
