# Partition projection: partitions computed from the table's properties,
# never looked up in (or added to) the catalog.

put s3://lake/logs/2024/01/30/a.json
{"level": "info", "msg": "one"}

put s3://lake/logs/2024/01/31/a.json
{"level": "warn", "msg": "two"}
{"level": "info", "msg": "three"}

put s3://lake/logs/2024/02/01/a.json
{"level": "error", "msg": "four"}

statement ok
CREATE EXTERNAL TABLE logs (level string, msg string)
PARTITIONED BY (dt string)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://lake/logs/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.dt.type' = 'date',
  'projection.dt.range' = '2024/01/01,2024/12/31',
  'projection.dt.format' = 'yyyy/MM/dd',
  'storage.location.template' = 's3://lake/logs/${dt}/'
)

query
SELECT dt, level, msg FROM logs ORDER BY msg
----
dt | level | msg
2024/02/01 | error | four
2024/01/30 | info | one
2024/01/31 | info | three
2024/01/31 | warn | two

query
SELECT count(*) FROM logs WHERE dt = '2024/01/31'
----
_col0
2

query
SELECT msg FROM logs WHERE dt >= '2024/01/31' AND level <> 'info' ORDER BY msg
----
msg
four
two

query
SHOW PARTITIONS logs
----

# Hive-style folders under the location; integer keys padded, enums.
put s3://lake/metrics/region=eu/hour=07/a.csv
eu,7,1.5

put s3://lake/metrics/region=us/hour=07/a.csv
us,7,2.5

put s3://lake/metrics/region=us/hour=23/a.csv
us,23,4

put s3://lake/metrics/region=ap/hour=07/a.csv
ap,7,100

statement ok
CREATE EXTERNAL TABLE metrics (r string, h int, v double)
PARTITIONED BY (region string, hour string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
LOCATION 's3://lake/metrics/'
TBLPROPERTIES (
  'projection.enabled' = 'true',
  'projection.region.type' = 'enum',
  'projection.region.values' = 'eu,us',
  'projection.hour.type' = 'integer',
  'projection.hour.range' = '0,23',
  'projection.hour.digits' = '2'
)

query
SELECT region, hour, sum(v) FROM metrics GROUP BY region, hour ORDER BY region, hour
----
region | hour | _col2
eu | 07 | 1.5
us | 07 | 2.5
us | 23 | 4.0

query
SELECT sum(v) FROM metrics WHERE region IN ('us') AND hour < '10'
----
_col0
2.5

# Injected keys take the query's values; without one the query fails.
put s3://lake/events/tenant=acme/a.csv
acme,1

put s3://lake/events/tenant=globex/a.csv
globex,2

statement ok
CREATE EXTERNAL TABLE events (t string, n int)
PARTITIONED BY (tenant string)
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
LOCATION 's3://lake/events/'
TBLPROPERTIES ('projection.enabled' = 'true', 'projection.tenant.type' = 'injected')

query
SELECT tenant, n FROM events WHERE tenant = 'globex'
----
tenant | n
globex | 2

query
SELECT tenant, n FROM events WHERE tenant IN ('acme', 'globex', 'initech') ORDER BY n
----
tenant | n
acme | 1
globex | 2

statement error CONSTRAINT_VIOLATION: For the injected projected partition column tenant
SELECT * FROM events

statement ok
CREATE EXTERNAL TABLE broken (n int)
PARTITIONED BY (k string)
LOCATION 's3://lake/events/'
TBLPROPERTIES ('projection.enabled' = 'true', 'projection.k.type' = 'integer', 'projection.k.range' = '5')

statement error INVALID_TABLE_PROPERTY: Table test.broken: the integer range "5" is not 'low,high'
SELECT * FROM broken
