# Parquet files are read as the table declares them, as Athena does: a
# timestamp written adjusted to UTC (as Spark and pyarrow write time-zone
# aware ones) reads as a timestamp, a narrower integer as the declared
# bigint, and a column no file has (one added to the table later) as NULL.

put s3://lake/README
the lake's bucket

statement ok
CREATE TABLE stamped WITH (format = 'PARQUET', external_location = 's3://lake/curated/stamped/') AS
SELECT from_iso8601_timestamp('2026-01-01T10:00:00+02:00') AS ts, CAST(5 AS integer) AS n, 'x' AS s

# CTAS declares the column timestamp: it reads as one.
query
SELECT ts, n, s FROM stamped
----
ts | n | s
2026-01-01 08:00:00.000 | 5 | x

statement ok
CREATE EXTERNAL TABLE stamped_later (ts timestamp, n bigint, s string, added string)
STORED AS PARQUET
LOCATION 's3://lake/curated/stamped/'

query
SELECT ts, n * 1000000000000 AS big, s, added FROM stamped_later WHERE ts > TIMESTAMP '2026-01-01 07:59:59'
----
ts | big | s | added
2026-01-01 08:00:00.000 | 5000000000000 | x | NULL

# A file written later with the added column and a wider integer: files
# of different schemas are read by name, each column widened.
statement ok
INSERT INTO stamped_later VALUES (TIMESTAMP '2026-01-02 00:00:00', 9000000000, 'y', 'new')

query
SELECT n, s, added FROM stamped_later ORDER BY n
----
n | s | added
5 | x | NULL
9000000000 | y | new

# Files of one schema, in a table of its own.
statement ok
CREATE TABLE counted WITH (format = 'PARQUET', external_location = 's3://lake/curated/counted/') AS
SELECT CAST(1 AS bigint) AS n, 'a' AS s

statement ok
INSERT INTO counted VALUES (2, 'b')

query
SELECT count(*), sum(n), max(s) FROM counted
----
_col0 | _col1 | _col2
2 | 3 | b
