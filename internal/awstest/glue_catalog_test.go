package awstest_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/smithy-go"

	"github.com/lakebox/lakebox/internal/awstest"
)

func createDatabase(t *testing.T, c *glue.Client, name string) {
	t.Helper()
	if _, err := c.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String(name)}}); err != nil {
		t.Fatal(err)
	}
}

// salesTable is a partitioned Parquet table as Athena DDL would create it.
func salesTable(name string) *types.TableInput {
	return &types.TableInput{
		Name:      aws.String(name),
		TableType: aws.String("EXTERNAL_TABLE"),
		Parameters: map[string]string{
			"classification": "parquet", "EXTERNAL": "TRUE",
		},
		PartitionKeys: []types.Column{{Name: aws.String("year"), Type: aws.String("int")}, {Name: aws.String("month"), Type: aws.String("string")}},
		StorageDescriptor: &types.StorageDescriptor{
			Columns: []types.Column{
				{Name: aws.String("id"), Type: aws.String("bigint"), Comment: aws.String("order id")},
				{Name: aws.String("amount"), Type: aws.String("decimal(10,2)")},
				{Name: aws.String("tags"), Type: aws.String("array<struct<k:string,v:string>>")},
			},
			Location:     aws.String("s3://lake/curated/sales/"),
			InputFormat:  aws.String("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"),
			OutputFormat: aws.String("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"),
			SerdeInfo: &types.SerDeInfo{
				SerializationLibrary: aws.String("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"),
				Parameters:           map[string]string{"serialization.format": "1"},
			},
		},
	}
}

func TestGlue_Databases(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Glue()
	_, err := c.CreateDatabase(ctx, &glue.CreateDatabaseInput{
		DatabaseInput: &types.DatabaseInput{Name: aws.String("Raw_Zone"), Description: aws.String("landing"), LocationUri: aws.String("s3://lake/raw/"), Parameters: map[string]string{"owner": "data-eng"}},
		Tags:          map[string]string{"team": "data"},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Run("Lowercased", func(t *testing.T) {
		d := must[*glue.GetDatabaseOutput](t)(c.GetDatabase(ctx, &glue.GetDatabaseInput{Name: aws.String("RAW_ZONE")})).Database
		if aws.ToString(d.Name) != "raw_zone" || aws.ToString(d.Description) != "landing" || d.Parameters["owner"] != "data-eng" ||
			aws.ToString(d.LocationUri) != "s3://lake/raw/" || aws.ToString(d.CatalogId) != "000000000000" || d.CreateTime == nil {
			t.Fatalf("database = %+v", d)
		}
		if len(d.CreateTableDefaultPermissions) != 1 || aws.ToString(d.CreateTableDefaultPermissions[0].Principal.DataLakePrincipalIdentifier) != "IAM_ALLOWED_PRINCIPALS" {
			t.Errorf("default permissions = %+v", d.CreateTableDefaultPermissions)
		}
	})
	t.Run("AlreadyExists", func(t *testing.T) {
		_, err := c.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &types.DatabaseInput{Name: aws.String("raw_zone")}})
		wantCode(t, err, "AlreadyExistsException")
	})
	t.Run("EntityNotFound", func(t *testing.T) {
		_, err := c.GetDatabase(ctx, &glue.GetDatabaseInput{Name: aws.String("nope")})
		wantCode(t, err, "EntityNotFoundException")
		var api smithy.APIError
		if errors.As(err, &api); api.ErrorMessage() != "Database nope not found." {
			t.Errorf("message = %q", api.ErrorMessage())
		}
	})
	t.Run("Tags", func(t *testing.T) {
		arn := "arn:aws:glue:us-east-1:000000000000:database/raw_zone"
		tags := must[*glue.GetTagsOutput](t)(c.GetTags(ctx, &glue.GetTagsInput{ResourceArn: aws.String(arn)})).Tags
		if tags["team"] != "data" {
			t.Fatalf("tags = %v", tags)
		}
		must[*glue.TagResourceOutput](t)(c.TagResource(ctx, &glue.TagResourceInput{ResourceArn: aws.String(arn), TagsToAdd: map[string]string{"tier": "bronze"}}))
		must[*glue.UntagResourceOutput](t)(c.UntagResource(ctx, &glue.UntagResourceInput{ResourceArn: aws.String(arn), TagsToRemove: []string{"team"}}))
		tags = must[*glue.GetTagsOutput](t)(c.GetTags(ctx, &glue.GetTagsInput{ResourceArn: aws.String(arn)})).Tags
		if len(tags) != 1 || tags["tier"] != "bronze" {
			t.Fatalf("tags = %v", tags)
		}
		_, err := c.GetTags(ctx, &glue.GetTagsInput{ResourceArn: aws.String("arn:aws:glue:us-east-1:000000000000:database/nope")})
		wantCode(t, err, "EntityNotFoundException")
	})
	t.Run("Pagination", func(t *testing.T) {
		for i := range 5 {
			createDatabase(t, c, fmt.Sprintf("page_%d", i))
		}
		var names []string
		p := glue.NewGetDatabasesPaginator(c, &glue.GetDatabasesInput{MaxResults: aws.Int32(2)})
		for p.HasMorePages() {
			page := must[*glue.GetDatabasesOutput](t)(p.NextPage(ctx))
			if len(page.DatabaseList) > 2 {
				t.Fatalf("page of %d", len(page.DatabaseList))
			}
			for _, d := range page.DatabaseList {
				names = append(names, aws.ToString(d.Name))
			}
		}
		want := []string{"page_0", "page_1", "page_2", "page_3", "page_4", "raw_zone"}
		if !slices.Equal(names, want) {
			t.Fatalf("databases = %v, want %v", names, want)
		}
	})
	t.Run("RegionsAreSeparate", func(t *testing.T) {
		eu := srv.GlueAs(awstest.Client{Region: "eu-west-1"})
		_, err := eu.GetDatabase(ctx, &glue.GetDatabaseInput{Name: aws.String("raw_zone")})
		wantCode(t, err, "EntityNotFoundException")
	})
	t.Run("UpdateAndDelete", func(t *testing.T) {
		must[*glue.UpdateDatabaseOutput](t)(c.UpdateDatabase(ctx, &glue.UpdateDatabaseInput{Name: aws.String("page_0"), DatabaseInput: &types.DatabaseInput{Name: aws.String("page_0"), Description: aws.String("new")}}))
		d := must[*glue.GetDatabaseOutput](t)(c.GetDatabase(ctx, &glue.GetDatabaseInput{Name: aws.String("page_0")})).Database
		if aws.ToString(d.Description) != "new" {
			t.Fatalf("description = %q", aws.ToString(d.Description))
		}
		_, err := c.UpdateDatabase(ctx, &glue.UpdateDatabaseInput{Name: aws.String("page_0"), DatabaseInput: &types.DatabaseInput{Name: aws.String("other")}})
		wantCode(t, err, "InvalidInputException")
		must[*glue.CreateTableOutput](t)(c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("page_1"), TableInput: salesTable("t")}))
		must[*glue.DeleteDatabaseOutput](t)(c.DeleteDatabase(ctx, &glue.DeleteDatabaseInput{Name: aws.String("page_1")}))
		_, err = c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("page_1"), Name: aws.String("t")})
		wantCode(t, err, "EntityNotFoundException")
		createDatabase(t, c, "page_1") // a new database of that name starts empty
		tables := must[*glue.GetTablesOutput](t)(c.GetTables(ctx, &glue.GetTablesInput{DatabaseName: aws.String("page_1")}))
		if len(tables.TableList) != 0 {
			t.Fatalf("tables of a re-created database = %d", len(tables.TableList))
		}
	})
}

func TestGlue_Tables(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Glue()
	createDatabase(t, c, "curated")
	must[*glue.CreateTableOutput](t)(c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("curated"), TableInput: salesTable("Sales")}))
	t.Run("RoundTrip", func(t *testing.T) {
		tb := must[*glue.GetTableOutput](t)(c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("curated"), Name: aws.String("sales")})).Table
		in := salesTable("sales")
		sd := tb.StorageDescriptor
		if aws.ToString(tb.Name) != "sales" || aws.ToString(tb.DatabaseName) != "curated" || aws.ToString(tb.TableType) != "EXTERNAL_TABLE" ||
			tb.Parameters["classification"] != "parquet" || len(tb.PartitionKeys) != 2 || aws.ToString(tb.PartitionKeys[0].Type) != "int" ||
			aws.ToString(tb.VersionId) != "0" || tb.CreateTime == nil || tb.UpdateTime == nil {
			t.Fatalf("table = %+v", tb)
		}
		if len(sd.Columns) != 3 || aws.ToString(sd.Columns[2].Type) != "array<struct<k:string,v:string>>" || aws.ToString(sd.Columns[0].Comment) != "order id" ||
			aws.ToString(sd.Location) != aws.ToString(in.StorageDescriptor.Location) || aws.ToString(sd.InputFormat) != aws.ToString(in.StorageDescriptor.InputFormat) ||
			aws.ToString(sd.SerdeInfo.SerializationLibrary) != "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" || sd.SerdeInfo.Parameters["serialization.format"] != "1" {
			t.Fatalf("storage descriptor = %+v", sd)
		}
	})
	t.Run("View", func(t *testing.T) {
		must[*glue.CreateTableOutput](t)(c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("curated"), TableInput: &types.TableInput{
			Name: aws.String("big_sales"), TableType: aws.String("VIRTUAL_VIEW"),
			ViewOriginalText: aws.String("/* Presto View: eyJvcmlnaW5hbFNxbCI6InNlbGVjdCAxIn0= */"), ViewExpandedText: aws.String("/* Presto View */"),
			StorageDescriptor: &types.StorageDescriptor{Columns: []types.Column{{Name: aws.String("id"), Type: aws.String("bigint")}}},
		}}))
		tb := must[*glue.GetTableOutput](t)(c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("curated"), Name: aws.String("big_sales")})).Table
		if aws.ToString(tb.TableType) != "VIRTUAL_VIEW" || aws.ToString(tb.ViewOriginalText) != "/* Presto View: eyJvcmlnaW5hbFNxbCI6InNlbGVjdCAxIn0= */" {
			t.Fatalf("view = %+v", tb)
		}
	})
	t.Run("Errors", func(t *testing.T) {
		_, err := c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("curated"), TableInput: salesTable("SALES")})
		wantCode(t, err, "AlreadyExistsException")
		_, err = c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("nope"), TableInput: salesTable("x")})
		wantCode(t, err, "EntityNotFoundException")
		_, err = c.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("curated"), Name: aws.String("nope")})
		wantCode(t, err, "EntityNotFoundException")
		bad := salesTable("dup")
		bad.PartitionKeys = append(bad.PartitionKeys, types.Column{Name: aws.String("YEAR"), Type: aws.String("int")})
		_, err = c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("curated"), TableInput: bad})
		wantCode(t, err, "InvalidInputException")
	})
	t.Run("Versions", func(t *testing.T) {
		in := salesTable("sales")
		in.StorageDescriptor.Columns = append(in.StorageDescriptor.Columns, types.Column{Name: aws.String("region"), Type: aws.String("string")})
		must[*glue.UpdateTableOutput](t)(c.UpdateTable(ctx, &glue.UpdateTableInput{DatabaseName: aws.String("curated"), TableInput: in}))
		_, err := c.UpdateTable(ctx, &glue.UpdateTableInput{DatabaseName: aws.String("curated"), TableInput: in, VersionId: aws.String("0")})
		wantCode(t, err, "ConcurrentModificationException")
		vs := must[*glue.GetTableVersionsOutput](t)(c.GetTableVersions(ctx, &glue.GetTableVersionsInput{DatabaseName: aws.String("curated"), TableName: aws.String("sales")})).TableVersions
		if len(vs) != 2 || aws.ToString(vs[0].VersionId) != "1" || aws.ToString(vs[1].VersionId) != "0" ||
			len(vs[0].Table.StorageDescriptor.Columns) != 4 || len(vs[1].Table.StorageDescriptor.Columns) != 3 {
			t.Fatalf("versions = %+v", vs)
		}
		_, err = c.DeleteTableVersion(ctx, &glue.DeleteTableVersionInput{DatabaseName: aws.String("curated"), TableName: aws.String("sales"), VersionId: aws.String("1")})
		wantCode(t, err, "InvalidInputException")
		must[*glue.DeleteTableVersionOutput](t)(c.DeleteTableVersion(ctx, &glue.DeleteTableVersionInput{DatabaseName: aws.String("curated"), TableName: aws.String("sales"), VersionId: aws.String("0")}))
		v := must[*glue.GetTableVersionOutput](t)(c.GetTableVersion(ctx, &glue.GetTableVersionInput{DatabaseName: aws.String("curated"), TableName: aws.String("sales")})).TableVersion
		if aws.ToString(v.VersionId) != "1" {
			t.Fatalf("current version = %s", aws.ToString(v.VersionId))
		}
	})
	t.Run("GetTablesExpression", func(t *testing.T) {
		for _, n := range []string{"sales_2023", "sales_2024", "customers"} {
			must[*glue.CreateTableOutput](t)(c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("curated"), TableInput: salesTable(n)}))
		}
		for expr, want := range map[string][]string{
			"sales_*":         {"sales_2023", "sales_2024"},
			"customers|*2024": {"customers", "sales_2024"},
			"SALES":           {"sales"},
			"":                {"big_sales", "customers", "sales", "sales_2023", "sales_2024"},
		} {
			out := must[*glue.GetTablesOutput](t)(c.GetTables(ctx, &glue.GetTablesInput{DatabaseName: aws.String("curated"), Expression: aws.String(expr)}))
			var got []string
			for _, tb := range out.TableList {
				got = append(got, aws.ToString(tb.Name))
			}
			if !slices.Equal(got, want) {
				t.Errorf("GetTables(%q) = %v, want %v", expr, got, want)
			}
		}
	})
	t.Run("SearchTables", func(t *testing.T) {
		out := must[*glue.SearchTablesOutput](t)(c.SearchTables(ctx, &glue.SearchTablesInput{
			SearchText: aws.String("order id"),
			Filters:    []types.PropertyPredicate{{Key: aws.String("Name"), Value: aws.String("sales_2024"), Comparator: types.ComparatorEquals}},
		}))
		if len(out.TableList) != 1 || aws.ToString(out.TableList[0].Name) != "sales_2024" {
			t.Fatalf("search = %+v", out.TableList)
		}
	})
	t.Run("BatchDeleteTable", func(t *testing.T) {
		out := must[*glue.BatchDeleteTableOutput](t)(c.BatchDeleteTable(ctx, &glue.BatchDeleteTableInput{DatabaseName: aws.String("curated"), TablesToDelete: []string{"sales_2023", "nope"}}))
		if len(out.Errors) != 1 || aws.ToString(out.Errors[0].TableName) != "nope" || aws.ToString(out.Errors[0].ErrorDetail.ErrorCode) != "EntityNotFoundException" {
			t.Fatalf("errors = %+v", out.Errors)
		}
	})
}

func partitionInput(year, month string) types.PartitionInput {
	return types.PartitionInput{
		Values: []string{year, month},
		StorageDescriptor: &types.StorageDescriptor{
			Location: aws.String("s3://lake/curated/sales/year=" + year + "/month=" + month + "/"),
			Columns:  []types.Column{{Name: aws.String("id"), Type: aws.String("bigint")}},
		},
		Parameters: map[string]string{"numFiles": "1"},
	}
}

func TestGlue_Partitions(t *testing.T) {
	t.Parallel()
	srv := awstest.New(t)
	c := srv.Glue()
	createDatabase(t, c, "curated")
	must[*glue.CreateTableOutput](t)(c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("curated"), TableInput: salesTable("sales")}))
	db, tb := aws.String("curated"), aws.String("sales")
	var inputs []types.PartitionInput
	for y := 2019; y <= 2024; y++ {
		for m := 1; m <= 12; m++ {
			inputs = append(inputs, partitionInput(fmt.Sprint(y), fmt.Sprintf("%02d", m)))
		}
	}
	for i := 0; i < len(inputs); i += 100 {
		out := must[*glue.BatchCreatePartitionOutput](t)(c.BatchCreatePartition(ctx, &glue.BatchCreatePartitionInput{DatabaseName: db, TableName: tb, PartitionInputList: inputs[i:min(i+100, len(inputs))]}))
		if len(out.Errors) != 0 {
			t.Fatalf("errors = %+v", out.Errors)
		}
	}
	t.Run("BatchCreateReportsExisting", func(t *testing.T) {
		bad := partitionInput("2019", "01")
		bad2 := types.PartitionInput{Values: []string{"2030"}}
		out := must[*glue.BatchCreatePartitionOutput](t)(c.BatchCreatePartition(ctx, &glue.BatchCreatePartitionInput{DatabaseName: db, TableName: tb, PartitionInputList: []types.PartitionInput{bad, bad2}}))
		if len(out.Errors) != 2 || aws.ToString(out.Errors[0].ErrorDetail.ErrorCode) != "AlreadyExistsException" || aws.ToString(out.Errors[1].ErrorDetail.ErrorCode) != "InvalidInputException" {
			t.Fatalf("errors = %+v", out.Errors)
		}
		_, err := c.CreatePartition(ctx, &glue.CreatePartitionInput{DatabaseName: db, TableName: tb, PartitionInput: &bad})
		wantCode(t, err, "AlreadyExistsException")
	})
	t.Run("GetPartition", func(t *testing.T) {
		p := must[*glue.GetPartitionOutput](t)(c.GetPartition(ctx, &glue.GetPartitionInput{DatabaseName: db, TableName: tb, PartitionValues: []string{"2024", "03"}})).Partition
		if !slices.Equal(p.Values, []string{"2024", "03"}) || aws.ToString(p.StorageDescriptor.Location) != "s3://lake/curated/sales/year=2024/month=03/" ||
			aws.ToString(p.TableName) != "sales" || p.CreationTime == nil || p.Parameters["numFiles"] != "1" {
			t.Fatalf("partition = %+v", p)
		}
		_, err := c.GetPartition(ctx, &glue.GetPartitionInput{DatabaseName: db, TableName: tb, PartitionValues: []string{"2099", "01"}})
		wantCode(t, err, "EntityNotFoundException")
	})
	count := func(t *testing.T, expr string) int {
		t.Helper()
		n := 0
		p := glue.NewGetPartitionsPaginator(c, &glue.GetPartitionsInput{DatabaseName: db, TableName: tb, Expression: aws.String(expr), MaxResults: aws.Int32(7)})
		var last []string
		for p.HasMorePages() {
			page := must[*glue.GetPartitionsOutput](t)(p.NextPage(ctx))
			for _, part := range page.Partitions {
				if last != nil && !(last[0] < part.Values[0] || last[0] == part.Values[0] && last[1] < part.Values[1]) {
					t.Fatalf("%q: %v after %v", expr, part.Values, last)
				}
				last = part.Values
				n++
			}
		}
		return n
	}
	t.Run("Expression", func(t *testing.T) {
		for expr, want := range map[string]int{
			"":                                              72,
			"year = 2024":                                   12,
			"year = '2024' AND month = '03'":                1,
			"year > 2022":                                   24,
			"year >= 2022 and month <= '06'":                18,
			"year BETWEEN 2020 AND 2021":                    24,
			"month IN ('01', '12') AND year <> 2019":        10,
			"month LIKE '1%'":                               18,
			"NOT (year < 2024) OR month = '01'":             17,
			"year = 2024 AND year = 2023":                   0,
			"2023 < year":                                   12,
			"month NOT IN ('01','02') AND year = 2020":      10,
			"(year = 2020 OR year = 2021) AND month = '02'": 2,
		} {
			if got := count(t, expr); got != want {
				t.Errorf("GetPartitions(%q) = %d partitions, want %d", expr, got, want)
			}
		}
		for _, bad := range []string{"nope = 1", "year = ", "year == 'x' AND", "(year = 1", "year ! 2"} {
			_, err := c.GetPartitions(ctx, &glue.GetPartitionsInput{DatabaseName: db, TableName: tb, Expression: aws.String(bad)})
			wantCode(t, err, "InvalidInputException")
		}
	})
	t.Run("Segments", func(t *testing.T) {
		total := 0
		for seg := range int32(3) {
			out := must[*glue.GetPartitionsOutput](t)(c.GetPartitions(ctx, &glue.GetPartitionsInput{DatabaseName: db, TableName: tb, Segment: &types.Segment{SegmentNumber: seg, TotalSegments: aws.Int32(3)}}))
			total += len(out.Partitions)
		}
		if total != 72 {
			t.Fatalf("segments cover %d partitions, want 72", total)
		}
	})
	t.Run("Index", func(t *testing.T) {
		must[*glue.CreatePartitionIndexOutput](t)(c.CreatePartitionIndex(ctx, &glue.CreatePartitionIndexInput{DatabaseName: db, TableName: tb,
			PartitionIndex: &types.PartitionIndex{IndexName: aws.String("by_month"), Keys: []string{"month"}}}))
		idx := must[*glue.GetPartitionIndexesOutput](t)(c.GetPartitionIndexes(ctx, &glue.GetPartitionIndexesInput{DatabaseName: db, TableName: tb})).PartitionIndexDescriptorList
		if len(idx) != 1 || aws.ToString(idx[0].IndexName) != "by_month" || idx[0].IndexStatus != types.PartitionIndexStatusActive || aws.ToString(idx[0].Keys[0].Type) != "string" {
			t.Fatalf("indexes = %+v", idx)
		}
		if got := count(t, "month = '05'"); got != 6 {
			t.Errorf("via index: %d partitions, want 6", got)
		}
		must[*glue.CreatePartitionOutput](t)(c.CreatePartition(ctx, &glue.CreatePartitionInput{DatabaseName: db, TableName: tb, PartitionInput: ptr(partitionInput("2025", "05"))}))
		if got := count(t, "month = '05' AND year > 2023"); got != 2 {
			t.Errorf("via index after insert: %d partitions, want 2", got)
		}
		must[*glue.DeletePartitionOutput](t)(c.DeletePartition(ctx, &glue.DeletePartitionInput{DatabaseName: db, TableName: tb, PartitionValues: []string{"2025", "05"}}))
		if got := count(t, "month = '05'"); got != 6 {
			t.Errorf("via index after delete: %d partitions, want 6", got)
		}
		must[*glue.DeletePartitionIndexOutput](t)(c.DeletePartitionIndex(ctx, &glue.DeletePartitionIndexInput{DatabaseName: db, TableName: tb, IndexName: aws.String("by_month")}))
	})
	t.Run("UpdateAndBatch", func(t *testing.T) {
		in := partitionInput("2019", "01")
		in.Parameters = map[string]string{"numFiles": "9"}
		must[*glue.UpdatePartitionOutput](t)(c.UpdatePartition(ctx, &glue.UpdatePartitionInput{DatabaseName: db, TableName: tb, PartitionValueList: []string{"2019", "01"}, PartitionInput: &in}))
		got := must[*glue.BatchGetPartitionOutput](t)(c.BatchGetPartition(ctx, &glue.BatchGetPartitionInput{DatabaseName: db, TableName: tb,
			PartitionsToGet: []types.PartitionValueList{{Values: []string{"2019", "01"}}, {Values: []string{"1999", "01"}}}}))
		if len(got.Partitions) != 1 || got.Partitions[0].Parameters["numFiles"] != "9" {
			t.Fatalf("batch get = %+v", got.Partitions)
		}
		del := must[*glue.BatchDeletePartitionOutput](t)(c.BatchDeletePartition(ctx, &glue.BatchDeletePartitionInput{DatabaseName: db, TableName: tb,
			PartitionsToDelete: []types.PartitionValueList{{Values: []string{"2019", "01"}}, {Values: []string{"1999", "01"}}}}))
		if len(del.Errors) != 1 || aws.ToString(del.Errors[0].ErrorDetail.ErrorCode) != "EntityNotFoundException" {
			t.Fatalf("batch delete errors = %+v", del.Errors)
		}
		if got := count(t, "year = 2019"); got != 11 {
			t.Errorf("after delete: %d partitions of 2019, want 11", got)
		}
	})
	t.Run("ColumnStatistics", func(t *testing.T) {
		stats := []types.ColumnStatistics{{
			ColumnName: aws.String("id"), ColumnType: aws.String("bigint"), AnalyzedTime: aws.Time(srv.Clock().Now()),
			StatisticsData: &types.ColumnStatisticsData{Type: types.ColumnStatisticsTypeLong, LongColumnStatisticsData: &types.LongColumnStatisticsData{MinimumValue: 1, MaximumValue: 99, NumberOfNulls: 0, NumberOfDistinctValues: 99}},
		}, {
			ColumnName: aws.String("nope"), ColumnType: aws.String("bigint"), AnalyzedTime: aws.Time(srv.Clock().Now()),
			StatisticsData: &types.ColumnStatisticsData{Type: types.ColumnStatisticsTypeLong, LongColumnStatisticsData: &types.LongColumnStatisticsData{}},
		}}
		up := must[*glue.UpdateColumnStatisticsForTableOutput](t)(c.UpdateColumnStatisticsForTable(ctx, &glue.UpdateColumnStatisticsForTableInput{DatabaseName: db, TableName: tb, ColumnStatisticsList: stats}))
		if len(up.Errors) != 1 || aws.ToString(up.Errors[0].ColumnStatistics.ColumnName) != "nope" {
			t.Fatalf("update errors = %+v", up.Errors)
		}
		got := must[*glue.GetColumnStatisticsForTableOutput](t)(c.GetColumnStatisticsForTable(ctx, &glue.GetColumnStatisticsForTableInput{DatabaseName: db, TableName: tb, ColumnNames: []string{"id", "amount"}}))
		if len(got.ColumnStatisticsList) != 1 || got.ColumnStatisticsList[0].StatisticsData.LongColumnStatisticsData.MaximumValue != 99 || len(got.Errors) != 1 {
			t.Fatalf("statistics = %+v, errors %+v", got.ColumnStatisticsList, got.Errors)
		}
		must[*glue.DeleteColumnStatisticsForTableOutput](t)(c.DeleteColumnStatisticsForTable(ctx, &glue.DeleteColumnStatisticsForTableInput{DatabaseName: db, TableName: tb, ColumnName: aws.String("id")}))
		_, err := c.DeleteColumnStatisticsForTable(ctx, &glue.DeleteColumnStatisticsForTableInput{DatabaseName: db, TableName: tb, ColumnName: aws.String("id")})
		wantCode(t, err, "EntityNotFoundException")
	})
	t.Run("DeleteTableDropsPartitions", func(t *testing.T) {
		must[*glue.DeleteTableOutput](t)(c.DeleteTable(ctx, &glue.DeleteTableInput{DatabaseName: db, Name: tb}))
		must[*glue.CreateTableOutput](t)(c.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: db, TableInput: salesTable("sales")}))
		if got := count(t, ""); got != 0 {
			t.Fatalf("a re-created table has %d partitions", got)
		}
	})
}

func ptr[T any](v T) *T { return &v }
