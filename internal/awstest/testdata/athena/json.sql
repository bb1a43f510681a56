# JSON tables: Hive's JSON SerDes match keys to columns and struct fields
# whatever their case (the OpenX SerDe's case.insensitive defaults to
# true); Athena's DDL lowercases the column names.

put s3://lake/app/events/a.json
{"userId": "u1", "Device": {"OsName": "ios", "Version": 17}, "Items": [{"SKU": "a"}, {"SKU": "b"}]}
{"userId": "u2", "Device": {"OsName": "android", "Version": 14}, "Items": []}

statement ok
CREATE EXTERNAL TABLE app_events (userId string, device struct<osname:string, version:int>, items array<struct<sku:string>>)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://lake/app/events/'

query
SELECT userid, device.osname, device.version, cardinality(items), element_at(items, 1).sku AS first_sku FROM app_events ORDER BY userid
----
userid | osname | version | _col3 | first_sku
u1 | ios | 17 | 2 | a
u2 | android | 14 | 0 | NULL

# With case.insensitive = false, only keys spelled as the columns match.
statement ok
CREATE EXTERNAL TABLE app_events_exact (userId string, device struct<osname:string>)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
WITH SERDEPROPERTIES ('case.insensitive' = 'false')
LOCATION 's3://lake/app/events/'

query
SELECT count(userid), count(device) FROM app_events_exact
----
_col0 | _col1
0 | 0
