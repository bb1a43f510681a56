package gluehttp

import (
	"net/http"

	"github.com/lakebox/lakebox/internal/awsproto/awsjson"
	"github.com/lakebox/lakebox/internal/glue"
)

// New returns the HTTP handler of svc.
func New(svc *glue.Service) http.Handler {
	return &awsjson.Service{
		TargetPrefix:      "AWSGlue",
		ContentType:       "application/x-amz-json-1.1",
		InternalErrorCode: "InternalServiceException",
		MessageField:      "Message",
		Ops: map[string]awsjson.Handler{
			"CreateDatabase": awsjson.Op(svc.CreateDatabase),
			"GetDatabase":    awsjson.Op(svc.GetDatabase),
			"GetDatabases":   awsjson.Op(svc.GetDatabases),
			"UpdateDatabase": awsjson.Op(svc.UpdateDatabase),
			"DeleteDatabase": awsjson.Op(svc.DeleteDatabase),

			"CreateTable":             awsjson.Op(svc.CreateTable),
			"GetTable":                awsjson.Op(svc.GetTable),
			"GetTables":               awsjson.Op(svc.GetTables),
			"UpdateTable":             awsjson.Op(svc.UpdateTable),
			"DeleteTable":             awsjson.Op(svc.DeleteTable),
			"BatchDeleteTable":        awsjson.Op(svc.BatchDeleteTable),
			"GetTableVersions":        awsjson.Op(svc.GetTableVersions),
			"GetTableVersion":         awsjson.Op(svc.GetTableVersion),
			"DeleteTableVersion":      awsjson.Op(svc.DeleteTableVersion),
			"BatchDeleteTableVersion": awsjson.Op(svc.BatchDeleteTableVersion),
			"SearchTables":            awsjson.Op(svc.SearchTables),

			"CreatePartition":      awsjson.Op(svc.CreatePartition),
			"BatchCreatePartition": awsjson.Op(svc.BatchCreatePartition),
			"GetPartition":         awsjson.Op(svc.GetPartition),
			"GetPartitions":        awsjson.Op(svc.GetPartitions),
			"BatchGetPartition":    awsjson.Op(svc.BatchGetPartition),
			"UpdatePartition":      awsjson.Op(svc.UpdatePartition),
			"BatchUpdatePartition": awsjson.Op(svc.BatchUpdatePartition),
			"DeletePartition":      awsjson.Op(svc.DeletePartition),
			"BatchDeletePartition": awsjson.Op(svc.BatchDeletePartition),
			"CreatePartitionIndex": awsjson.Op(svc.CreatePartitionIndex),
			"GetPartitionIndexes":  awsjson.Op(svc.GetPartitionIndexes),
			"DeletePartitionIndex": awsjson.Op(svc.DeletePartitionIndex),

			"UpdateColumnStatisticsForTable":     awsjson.Op(svc.UpdateColumnStatisticsForTable),
			"GetColumnStatisticsForTable":        awsjson.Op(svc.GetColumnStatisticsForTable),
			"DeleteColumnStatisticsForTable":     awsjson.Op(svc.DeleteColumnStatisticsForTable),
			"UpdateColumnStatisticsForPartition": awsjson.Op(svc.UpdateColumnStatisticsForPartition),
			"GetColumnStatisticsForPartition":    awsjson.Op(svc.GetColumnStatisticsForPartition),
			"DeleteColumnStatisticsForPartition": awsjson.Op(svc.DeleteColumnStatisticsForPartition),

			"CreateCrawler":         awsjson.Op(svc.CreateCrawler),
			"GetCrawler":            awsjson.Op(svc.GetCrawler),
			"GetCrawlers":           awsjson.Op(svc.GetCrawlers),
			"ListCrawlers":          awsjson.Op(svc.ListCrawlers),
			"BatchGetCrawlers":      awsjson.Op(svc.BatchGetCrawlers),
			"UpdateCrawler":         awsjson.Op(svc.UpdateCrawler),
			"DeleteCrawler":         awsjson.Op(svc.DeleteCrawler),
			"StartCrawler":          awsjson.Op(svc.StartCrawler),
			"StopCrawler":           awsjson.Op(svc.StopCrawler),
			"GetCrawlerMetrics":     awsjson.Op(svc.GetCrawlerMetrics),
			"ListCrawls":            awsjson.Op(svc.ListCrawls),
			"UpdateCrawlerSchedule": awsjson.Op(svc.UpdateCrawlerSchedule),
			"StartCrawlerSchedule":  awsjson.Op(svc.StartCrawlerSchedule),
			"StopCrawlerSchedule":   awsjson.Op(svc.StopCrawlerSchedule),

			"CreateClassifier": awsjson.Op(svc.CreateClassifier),
			"GetClassifier":    awsjson.Op(svc.GetClassifier),
			"GetClassifiers":   awsjson.Op(svc.GetClassifiers),
			"UpdateClassifier": awsjson.Op(svc.UpdateClassifier),
			"DeleteClassifier": awsjson.Op(svc.DeleteClassifier),

			"TagResource":   awsjson.Op(svc.TagResource),
			"UntagResource": awsjson.Op(svc.UntagResource),
			"GetTags":       awsjson.Op(svc.GetTags),
		},
	}
}
