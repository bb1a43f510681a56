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

			"GetQueryRuntimeStatistics": awsjson.Op(svc.GetQueryRuntimeStatistics),

			"ListDataCatalogs":  awsjson.Op(svc.ListDataCatalogs),
			"GetDataCatalog":    awsjson.Op(svc.GetDataCatalog),
			"ListDatabases":     awsjson.Op(svc.ListDatabases),
			"GetDatabase":       awsjson.Op(svc.GetDatabase),
			"ListTableMetadata": awsjson.Op(svc.ListTableMetadata),
			"GetTableMetadata":  awsjson.Op(svc.GetTableMetadata),

			"CreateNamedQuery":   awsjson.Op(svc.CreateNamedQuery),
			"GetNamedQuery":      awsjson.Op(svc.GetNamedQuery),
			"DeleteNamedQuery":   awsjson.Op(svc.DeleteNamedQuery),
			"ListNamedQueries":   awsjson.Op(svc.ListNamedQueries),
			"BatchGetNamedQuery": awsjson.Op(svc.BatchGetNamedQuery),

			"CreatePreparedStatement":   awsjson.Op(svc.CreatePreparedStatement),
			"GetPreparedStatement":      awsjson.Op(svc.GetPreparedStatement),
			"UpdatePreparedStatement":   awsjson.Op(svc.UpdatePreparedStatement),
			"DeletePreparedStatement":   awsjson.Op(svc.DeletePreparedStatement),
			"ListPreparedStatements":    awsjson.Op(svc.ListPreparedStatements),
			"BatchGetPreparedStatement": awsjson.Op(svc.BatchGetPreparedStatement),

			"CreateWorkGroup": awsjson.Op(svc.CreateWorkGroup),
			"GetWorkGroup":    awsjson.Op(svc.GetWorkGroup),
			"ListWorkGroups":  awsjson.Op(svc.ListWorkGroups),
			"UpdateWorkGroup": awsjson.Op(svc.UpdateWorkGroup),
			"DeleteWorkGroup": awsjson.Op(svc.DeleteWorkGroup),
		},
	}
}
