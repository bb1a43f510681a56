# CTAS, INSERT INTO and UNLOAD write files into the lake and the catalog;
# JSON tables read them back.

put s3://lake/raw/events/a.json
{"user": "u1", "page": "/", "ms": 12, "tags": ["a", "b"]}
{"user": "u2", "page": "/buy", "ms": 40, "tags": []}
{"user": "u1", "page": "/buy", "ms": 7, "tags": ["c"]}

statement ok
CREATE EXTERNAL TABLE events (user string, page string, ms int, tags array<string>)
ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe'
LOCATION 's3://lake/raw/events/'

query
SELECT user, count(*) AS visits, max(ms) AS slowest, cardinality(tags) FROM events GROUP BY user, tags ORDER BY user, slowest
----
user | visits | slowest | _col3
u1 | 1 | 7 | 1
u1 | 1 | 12 | 2
u2 | 1 | 40 | 0

statement ok
CREATE TABLE pages WITH (format = 'PARQUET', external_location = 's3://lake/curated/pages/', partitioned_by = ARRAY['page']) AS
SELECT user, ms, page FROM events

query
SHOW PARTITIONS pages
----
page=%2F
page=%2Fbuy

query
SELECT page, sum(ms) AS total FROM pages GROUP BY page ORDER BY page
----
page | total
/ | 12
/buy | 47

statement ok
INSERT INTO pages SELECT 'u3', 5, '/new'

query
SELECT page, count(*) FROM pages GROUP BY page ORDER BY page
----
page | _col1
/ | 1
/buy | 2
/new | 1

# A column list: the others are NULL.
statement ok
INSERT INTO pages (page, user) VALUES ('/new', 'u4')

query
SELECT user, ms, page FROM pages WHERE page = '/new' ORDER BY user
----
user | ms | page
u3 | 5 | /new
u4 | NULL | /new

statement error Insert column name does not exist in target table: nope
INSERT INTO pages (user, nope) SELECT 'a', 'b'

statement error Insert column name is specified more than once: user
INSERT INTO pages (user, user) SELECT 'a', 'b'

statement ok
CREATE TABLE buyers WITH (format = 'TEXTFILE', field_delimiter = ',') AS SELECT DISTINCT user FROM events WHERE page = '/buy'

query
SELECT user FROM buyers ORDER BY user
----
user
u1
u2

statement error already exists
UNLOAD (SELECT 1) TO 's3://lake/raw/events/' WITH (format = 'JSON')

statement ok
PREPARE slow FROM SELECT user FROM events WHERE ms > ? ORDER BY user

query
EXECUTE slow USING 10
----
user
u1
u2

# A timestamp with a time zone is written as its wall-clock time there (Hive
# tables have no zoned type); read back, it is a timestamp.
statement ok
CREATE TABLE tokyo WITH (format = 'PARQUET', external_location = 's3://lake/curated/tokyo/') AS
SELECT TIMESTAMP '2020-01-01 20:00:00' AT TIME ZONE 'Asia/Tokyo' AS t

query
SELECT t, typeof(t) FROM tokyo
----
t | _col1
2020-01-02 05:00:00.000 | timestamp(3)

query
SELECT t AT TIME ZONE 'America/New_York' AS ny, from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00') AS parsed FROM tokyo
----
ny | parsed
2020-01-02 00:00:00.000 America/New_York | 2020-05-11 11:15:05.055 +01:00
