package glue

import (
	"encoding/json"
)

// crawlerConfig is the crawler's Configuration JSON, the parts Lakebox
// carries out.
type crawlerConfig struct {
	Version       float64 `json:"Version"`
	CrawlerOutput struct {
		Partitions struct {
			AddOrUpdateBehavior string `json:"AddOrUpdateBehavior"` // InheritFromTable
		} `json:"Partitions"`
		Tables struct {
			AddOrUpdateBehavior string `json:"AddOrUpdateBehavior"` // MergeNewColumns
		} `json:"Tables"`
	} `json:"CrawlerOutput"`
	Grouping struct {
		TableGroupingPolicy     string `json:"TableGroupingPolicy"` // CombineCompatibleSchemas
		TableLevelConfiguration int    `json:"TableLevelConfiguration"`
	} `json:"Grouping"`
	CreatePartitionIndex *bool `json:"CreatePartitionIndex"`
}

func parseCrawlerConfig(s string) (*crawlerConfig, error) {
	c := &crawlerConfig{}
	if s == "" {
		return c, nil
	}
	if err := json.Unmarshal([]byte(s), c); err != nil {
		return nil, invalid("Crawler configuration is not valid JSON: %v.", err)
	}
	if c.Version != 1.0 {
		return nil, invalid("Crawler configuration Version must be 1.0.")
	}
	switch c.CrawlerOutput.Partitions.AddOrUpdateBehavior {
	case "", "InheritFromTable":
	default:
		return nil, invalid("CrawlerOutput.Partitions.AddOrUpdateBehavior must be InheritFromTable.")
	}
	switch c.CrawlerOutput.Tables.AddOrUpdateBehavior {
	case "", "MergeNewColumns":
	default:
		return nil, invalid("CrawlerOutput.Tables.AddOrUpdateBehavior must be MergeNewColumns.")
	}
	switch c.Grouping.TableGroupingPolicy {
	case "", "CombineCompatibleSchemas":
	default:
		return nil, invalid("Grouping.TableGroupingPolicy must be CombineCompatibleSchemas.")
	}
	if c.Grouping.TableLevelConfiguration < 0 || c.Grouping.TableLevelConfiguration > 100 {
		return nil, invalid("Grouping.TableLevelConfiguration must be a folder level from 1.")
	}
	return c, nil
}
