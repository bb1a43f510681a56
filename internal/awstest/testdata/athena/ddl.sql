# Athena's Hive DDL against the Glue catalog, and queries over what it made.

put s3://lake/sales/year=2024/month=1/a.csv
id,product,amount
1,widget,9.5
2,gadget,20

put s3://lake/sales/year=2024/month=2/a.csv
id,product,amount
3,widget,1.25

statement ok
CREATE EXTERNAL TABLE sales (
  id int COMMENT 'order id',
  product string,
  amount double
)
PARTITIONED BY (year int, month int)
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
LOCATION 's3://lake/sales/'
TBLPROPERTIES ('skip.header.line.count'='1')

statement error already exists
CREATE EXTERNAL TABLE sales (id int) LOCATION 's3://lake/sales/'

statement ok
CREATE EXTERNAL TABLE IF NOT EXISTS sales (id int) LOCATION 's3://lake/sales/'

query
MSCK REPAIR TABLE sales
----
Partitions not in metastore:	sales:year=2024/month=1
Partitions not in metastore:	sales:year=2024/month=2
Repair: Added partition to metastore sales:year=2024/month=1
Repair: Added partition to metastore sales:year=2024/month=2

query
SHOW PARTITIONS sales
----
year=2024/month=1
year=2024/month=2

query
SHOW COLUMNS IN sales
----
id
product
amount
year
month

query
SELECT year, month, product, amount FROM sales ORDER BY id
----
year | month | product | amount
2024 | 1 | widget | 9.5
2024 | 1 | gadget | 20.0
2024 | 2 | widget | 1.25

query
SELECT product, count(*) AS orders, sum(amount) AS revenue FROM sales WHERE month = 1 GROUP BY product ORDER BY revenue DESC
----
product | orders | revenue
gadget | 1 | 20.0
widget | 1 | 9.5

# Trino does not resolve output aliases in HAVING: the seed's query gets Athena's error.
statement error Column 'revenue' cannot be resolved
SELECT product, sum(amount) AS revenue FROM sales GROUP BY product HAVING revenue > 10

statement ok
ALTER TABLE sales DROP PARTITION (year=2024, month=2)

query
SELECT count(*) FROM sales
----
_col0
2

statement ok
CREATE VIEW widgets AS SELECT id, amount FROM sales WHERE product = 'widget'

query
SELECT * FROM widgets
----
id | amount
1 | 9.5

query
SHOW TABLES
----
sales
widgets

statement error does not exist
SELECT * FROM nope

statement error line 1:1
SELEC 1

statement ok
DROP VIEW widgets

statement ok
DROP TABLE sales

query
SHOW TABLES
----

# Bucketed tables: the buckets are recorded; every file is read.
put s3://lake/bucketed/000000_0
1,a
3,c

put s3://lake/bucketed/000001_0
2,b

statement ok
CREATE EXTERNAL TABLE bucketed (id int, name string)
CLUSTERED BY (id) SORTED BY (id DESC) INTO 2 BUCKETS
ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
LOCATION 's3://lake/bucketed/'

query
SELECT id, name FROM bucketed ORDER BY id
----
id | name
1 | a
2 | b
3 | c

statement error the number of buckets must be an integer
CREATE EXTERNAL TABLE bucketed2 (id int) CLUSTERED BY (id) INTO many BUCKETS LOCATION 's3://lake/bucketed/'
