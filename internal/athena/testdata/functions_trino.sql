# Examples from the Trino documentation (trino.io/docs/current/functions/,
# from its sources in trinodb/trino docs/src/main/sphinx/functions/*.md) and
# from Amazon Athena's user guide (docs.aws.amazon.com/athena/latest/ug/),
# with the results they state, in Athena's print format. Every example
# there that Lakebox answers as documented is here; docs/athena.md lists
# what is not supported yet.

SELECT translate('abcd', '', '')
----
abcd

SELECT translate('abcd', 'a', 'z')
----
zbcd

SELECT translate('abcda', 'a', 'z')
----
zbcdz

SELECT translate('Palhoça', 'ç','c')
----
Palhoca

SELECT translate('abcd', 'a', '')
----
bcd

SELECT translate('abcd', 'a', 'zy')
----
zbcd

SELECT translate('abcd', 'ac', 'z')
----
zbd

SELECT translate('abcd', 'aac', 'zq')
----
zbd

SELECT trim('!' FROM '!foo!')
----
foo

SELECT trim(LEADING FROM '  abcd')
----
abcd

SELECT trim(BOTH '$' FROM '$var$')
----
var

SELECT trim(TRAILING 'ER' FROM upper('worker'))
----
WORK

# https://docs.aws.amazon.com/athena/latest/ug/concatenating-strings-and-arrays.html
SELECT 'This' || ' is' || ' a' || ' test.' AS Concatenated_String
----
This is a test.

SELECT concat('This', ' is', ' a', ' test.') AS Concatenated_String
----
This is a test.

SELECT concat_ws(' ', 'This', 'is', 'a', 'test.') as Concatenated_String
----
This is a test.

## category: regexp
# https://trino.io/docs/current/functions/regexp.html
SELECT regexp_count('1a 2b 14m', '\s*[a-z]+\s*')
----
3

SELECT regexp_extract_all('1a 2b 14m', '\d+')
----
[1, 2, 14]

SELECT regexp_extract_all('1a 2b 14m', '(\d+)([a-z]+)', 2)
----
[a, b, m]

SELECT regexp_extract('1a 2b 14m', '\d+')
----
1

SELECT regexp_extract('1a 2b 14m', '(\d+)([a-z]+)', 2)
----
a

SELECT regexp_like('1a 2b 14m', '\d+b')
----
true

SELECT regexp_position('I have 23 apples, 5 pears and 13 oranges', '\b\d+\b')
----
8

SELECT regexp_position('I have 23 apples, 5 pears and 13 oranges', '\b\d+\b', 5)
----
8

SELECT regexp_position('I have 23 apples, 5 pears and 13 oranges', '\b\d+\b', 12)
----
19

SELECT regexp_replace('1a 2b 14m', '\d+[ab] ')
----
14m

SELECT regexp_replace('1a 2b 14m', '(\d+)([ab]) ', '3c$2 ')
----
3ca 3cb 14m

SELECT regexp_split('1a 2b 14m', '\s*[a-z]+\s*')
----
[1, 2, 14, ]

## category: datetime
# https://trino.io/docs/current/functions/datetime.html (operator table)
SELECT date '2012-08-08' + interval '2' day
----
2012-08-10

SELECT time '01:00' + interval '3' hour
----
04:00:00.000

SELECT timestamp '2012-08-08 01:00' + interval '29' hour
----
2012-08-09 06:00:00.000

SELECT timestamp '2012-10-31 01:00' + interval '1' month
----
2012-11-30 01:00:00.000

SELECT interval '2' day + interval '3' hour
----
2 03:00:00.000

SELECT interval '3' year + interval '5' month
----
3-5

SELECT date '2012-08-08' - interval '2' day
----
2012-08-06

SELECT time '01:00' - interval '3' hour
----
22:00:00.000

SELECT timestamp '2012-08-08 01:00' - interval '29' hour
----
2012-08-06 20:00:00.000

SELECT timestamp '2012-10-31 01:00' - interval '1' month
----
2012-09-30 01:00:00.000

SELECT interval '2' day - interval '3' hour
----
1 21:00:00.000

SELECT interval '3' year - interval '5' month
----
2-7

SELECT from_iso8601_date('2020-05-11')
----
2020-05-11

# https://trino.io/docs/current/functions/datetime.html (date_trunc unit table, input 2001-08-22 03:04:05.321)
SELECT date_trunc('millisecond', TIMESTAMP '2001-08-22 03:04:05.321')
----
2001-08-22 03:04:05.321

SELECT date_trunc('second', TIMESTAMP '2001-08-22 03:04:05.321')
----
2001-08-22 03:04:05.000

SELECT date_trunc('minute', TIMESTAMP '2001-08-22 03:04:05.321')
----
2001-08-22 03:04:00.000

SELECT date_trunc('hour', TIMESTAMP '2001-08-22 03:04:05.321')
----
2001-08-22 03:00:00.000

SELECT date_trunc('day', TIMESTAMP '2001-08-22 03:04:05.321')
----
2001-08-22 00:00:00.000

SELECT date_trunc('week', TIMESTAMP '2001-08-22 03:04:05.321')
----
2001-08-20 00:00:00.000

SELECT date_trunc('month', TIMESTAMP '2001-08-22 03:04:05.321')
----
2001-08-01 00:00:00.000

SELECT date_trunc('quarter', TIMESTAMP '2001-08-22 03:04:05.321')
----
2001-07-01 00:00:00.000

SELECT date_trunc('year', TIMESTAMP '2001-08-22 03:04:05.321')
----
2001-01-01 00:00:00.000

SELECT date_trunc('day' , TIMESTAMP '2022-10-20 05:10:00')
----
2022-10-20 00:00:00.000

SELECT date_trunc('month' , TIMESTAMP '2022-10-20 05:10:00')
----
2022-10-01 00:00:00.000

SELECT date_trunc('year', TIMESTAMP '2022-10-20 05:10:00')
----
2022-01-01 00:00:00.000

SELECT date_add('second', 86, TIMESTAMP '2020-03-01 00:00:00')
----
2020-03-01 00:01:26.000

SELECT date_add('hour', 9, TIMESTAMP '2020-03-01 00:00:00')
----
2020-03-01 09:00:00.000

SELECT date_add('day', -1, TIMESTAMP '2020-03-01 00:00:00 UTC')
----
2020-02-29 00:00:00.000 UTC

SELECT date_diff('second', TIMESTAMP '2020-03-01 00:00:00', TIMESTAMP '2020-03-02 00:00:00')
----
86400

SELECT date_diff('hour', TIMESTAMP '2020-03-01 00:00:00 UTC', TIMESTAMP '2020-03-02 00:00:00 UTC')
----
24

SELECT date_diff('day', DATE '2020-03-01', DATE '2020-03-02')
----
1

SELECT date_diff('second', TIMESTAMP '2020-06-01 12:30:45.000000000', TIMESTAMP '2020-06-02 12:30:45.123456789')
----
86400

SELECT date_diff('millisecond', TIMESTAMP '2020-06-01 12:30:45.000000000', TIMESTAMP '2020-06-02 12:30:45.123456789')
----
86400123

# https://trino.io/docs/current/functions/datetime.html (MySQL date functions, extraction)
SELECT date_format(TIMESTAMP '2022-10-20 05:10:00', '%m-%d-%Y %H')
----
10-20-2022 05

SELECT date_parse('2022/10/20/05', '%Y/%m/%d/%H')
----
2022-10-20 05:00:00.000

SELECT extract(YEAR FROM TIMESTAMP '2022-10-20 05:10:00')
----
2022

# https://trino.io/docs/current/language/types.html (timestamp with time zone literals)
SELECT TIMESTAMP '2001-08-22 03:04:05.321 UTC'
----
2001-08-22 03:04:05.321 UTC

## category: array
# https://trino.io/docs/current/functions/array.html
SELECT ARRAY[1, 2, 4]
----
[1, 2, 4]

SELECT ARRAY['foo', 'bar', 'bazz']
----
[foo, bar, bazz]

SELECT ARRAY[1, 1.2, 4]
----
[1.0, 1.2, 4.0]

SELECT ARRAY[1, 1.2, 4][2]
----
1.2

SELECT ARRAY[1] || ARRAY[2]
----
[1, 2]

SELECT filter(ARRAY[], x -> true)
----
[]

SELECT filter(ARRAY[5, -6, NULL, 7], x -> x > 0)
----
[5, 7]

SELECT filter(ARRAY[5, NULL, 7, NULL], x -> x IS NOT NULL)
----
[5, 7]

SELECT ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 2)
----
[[foo, bar], [bar, baz], [baz, foo]]

SELECT ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 3)
----
[[foo, bar, baz], [bar, baz, foo]]

SELECT ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 4)
----
[[foo, bar, baz, foo]]

SELECT ngrams(ARRAY['foo', 'bar', 'baz', 'foo'], 5)
----
[[foo, bar, baz, foo]]

SELECT ngrams(ARRAY[1, 2, 3, 4], 2)
----
[[1, 2], [2, 3], [3, 4]]

SELECT reduce(ARRAY[], 0, (s, x) -> s + x, s -> s)
----
0

SELECT reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s)
----
75

SELECT reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + x, s -> s)
----
NULL

SELECT reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> s + coalesce(x, 0), s -> s)
----
75

SELECT reduce(ARRAY[5, 20, NULL, 50], 0, (s, x) -> IF(x IS NULL, s, s + x), s -> s)
----
75

SELECT reduce(ARRAY[2147483647, 1], BIGINT '0', (s, x) -> s + x, s -> s)
----
2147483648

SELECT reduce(ARRAY[5, 6, 10, 20], CAST(ROW(0.0, 0) AS ROW(sum DOUBLE, count INTEGER)), (s, x) -> CAST(ROW(x + s.sum, s.count + 1) AS ROW(sum DOUBLE, count INTEGER)), s -> IF(s.count = 0, NULL, s.sum / s.count))
----
10.25

SELECT trim_array(ARRAY[1, 2, 3, 4], 1)
----
[1, 2, 3]

SELECT trim_array(ARRAY[1, 2, 3, 4], 2)
----
[1, 2]

SELECT transform(ARRAY[], x -> x + 1)
----
[]

SELECT transform(ARRAY[5, 6], x -> x + 1)
----
[6, 7]

SELECT transform(ARRAY[5, NULL, 6], x -> coalesce(x, 0) + 1)
----
[6, 1, 7]

SELECT transform(ARRAY['x', 'abc', 'z'], x -> x || '0')
----
[x0, abc0, z0]

SELECT transform(ARRAY[ARRAY[1, NULL, 2], ARRAY[3, NULL]], a -> filter(a, x -> x IS NOT NULL))
----
[[1, 2], [3]]

SELECT zip_with(ARRAY[1, 2], ARRAY[3, 4], (x, y) -> x + y)
----
[4, 6]

SELECT zip_with(ARRAY['a', 'b', 'c'], ARRAY['d', 'e', 'f'], (x, y) -> concat(x, y))
----
[ad, be, cf]

# https://docs.aws.amazon.com/athena/latest/ug/creating-arrays.html
SELECT ARRAY [1,2,3,4] AS items
----
[1, 2, 3, 4]

SELECT ARRAY[ ARRAY[1,2], ARRAY[3,4] ] AS items
----
[[1, 2], [3, 4]]

WITH
dataset AS (
  SELECT 1 AS x, 2 AS y, 3 AS z
)
SELECT ARRAY [x,y,z] AS items FROM dataset
----
[1, 2, 3]

WITH
dataset AS (
  SELECT
    ARRAY ['hello', 'amazon', 'athena'] AS words,
    ARRAY ['hi', 'alexa'] AS alexa
)
SELECT ARRAY[words, alexa] AS welcome_msg
FROM dataset
----
[[hello, amazon, athena], [hi, alexa]]

WITH
dataset AS (
  SELECT
    ARRAY ['Hello', 'Amazon', 'Athena'] AS words,
    ARRAY ['Hi', 'Alexa'] AS alexa
)
SELECT concat(words, alexa) AS welcome_msg
FROM dataset
----
[Hello, Amazon, Athena, Hi, Alexa]

# https://docs.aws.amazon.com/athena/latest/ug/accessing-array-elements.html
WITH dataset AS (
  SELECT ARRAY ['hello', 'amazon', 'athena'] AS words
)
SELECT
  element_at(words, 1) AS first_word,
  element_at(words, -2) AS middle_word,
  element_at(words, cardinality(words)) AS last_word
FROM dataset
----
hello | amazon | athena

# https://docs.aws.amazon.com/athena/latest/ug/finding-lengths.html
SELECT cardinality(ARRAY[1,2,3,4]) AS item_count
----
4

# https://docs.aws.amazon.com/athena/latest/ug/filtering-arrays.html
SELECT filter(ARRAY [1,0,5,-1], x -> x>0)
----
[1, 5]

SELECT filter(ARRAY [-1, NULL, 10, NULL], q -> q IS NOT NULL)
----
[-1, 10]

WITH
dataset AS (
  SELECT ARRAY
  [
    ARRAY[1,2,3,4],
    ARRAY[5,6,7,8],
    ARRAY[9,0]
  ] AS items
)
SELECT i AS array_items FROM dataset
CROSS JOIN UNNEST(items) AS t(i)
WHERE contains(i, 2)
----
[1, 2, 3, 4]

# https://docs.aws.amazon.com/athena/latest/ug/flattening-arrays.html
SELECT flatten(ARRAY[ ARRAY[1,2], ARRAY[3,4] ]) AS items
----
[1, 2, 3, 4]

WITH dataset AS (
  SELECT
    'engineering' as department,
    ARRAY['Sharon', 'John', 'Bob', 'Sally'] as users
)
SELECT department, names FROM dataset
CROSS JOIN UNNEST(users) as t(names)
----
engineering | Sharon
engineering | John
engineering | Bob
engineering | Sally

WITH
dataset AS (
  SELECT
    'engineering' as department,
     ARRAY[
      MAP(ARRAY['first', 'last', 'age'],ARRAY['Bob', 'Smith', '40']),
      MAP(ARRAY['first', 'last', 'age'],ARRAY['Jane', 'Doe', '30']),
      MAP(ARRAY['first', 'last', 'age'],ARRAY['Billy', 'Smith', '8'])
     ] AS people
  )
SELECT names['first'] AS
 first_name,
 names['last'] AS last_name,
 department FROM dataset
CROSS JOIN UNNEST(people) AS t(names)
----
Bob | Smith | engineering
Jane | Doe | engineering
Billy | Smith | engineering

WITH
dataset AS (
  SELECT ARRAY[
    CAST(ROW('Sally', 'engineering', ARRAY[1,2,3,4]) AS ROW(name VARCHAR, department VARCHAR, scores ARRAY(INTEGER))),
    CAST(ROW('John', 'finance', ARRAY[7,8,9]) AS ROW(name VARCHAR, department VARCHAR, scores ARRAY(INTEGER))),
    CAST(ROW('Amy', 'devops', ARRAY[12,13,14,15]) AS ROW(name VARCHAR, department VARCHAR, scores ARRAY(INTEGER)))
  ] AS users
),
users AS (
 SELECT person, score
 FROM
   dataset,
   UNNEST(dataset.users) AS t(person),
   UNNEST(person.scores) AS t(score)
)
SELECT person.name, person.department, SUM(score) AS total_score FROM users
GROUP BY (person.name, person.department)
ORDER BY (total_score) DESC
LIMIT 1
----
Amy | devops | 54

WITH
dataset AS (
 SELECT ARRAY[
   CAST(ROW('Sally', 'engineering', ARRAY[1,2,3,4]) AS ROW(name VARCHAR, department VARCHAR, scores ARRAY(INTEGER))),
   CAST(ROW('John', 'finance', ARRAY[7,8,9]) AS ROW(name VARCHAR, department VARCHAR, scores ARRAY(INTEGER))),
   CAST(ROW('Amy', 'devops', ARRAY[12,13,14,15]) AS ROW(name VARCHAR, department VARCHAR, scores ARRAY(INTEGER)))
 ] AS users
),
users AS (
 SELECT person, score
 FROM
   dataset,
   UNNEST(dataset.users) AS t(person),
   UNNEST(person.scores) AS t(score)
)
SELECT person.name, score FROM users
ORDER BY (score) DESC
LIMIT 1
----
Amy | 15

# https://docs.aws.amazon.com/athena/latest/ug/converting-arrays-to-strings.html
WITH
dataset AS (
  SELECT ARRAY ['hello', 'amazon', 'athena'] AS words
)
SELECT array_join(words, ' ') AS welcome_msg
FROM dataset
----
hello amazon athena

# https://docs.aws.amazon.com/athena/latest/ug/converting-array-data-types.html
SELECT
   ARRAY [CAST(4 AS VARCHAR), CAST(5 AS VARCHAR)]
AS items
----
[4, 5]

## category: map
# https://trino.io/docs/current/functions/map.html
SELECT MAP(ARRAY['key1', 'key2', 'key3' ], ARRAY[2373, 3463, 45837])
----
{key1=2373, key2=3463, key3=45837}

SELECT MAP(ARRAY['key1', 'key2', 'key3' ], ARRAY['v1', 'v2', 'v3'])
----
{key1=v1, key2=v2, key3=v3}

SELECT MAP(ARRAY['key1', 'key2', 'key3' ], ARRAY[23, 34.63, 45.837])
----
{key1=23.000, key2=34.630, key3=45.837}

SELECT MAP(ARRAY['key1', 'key2', 'key3' ], ARRAY['v1', 'v2', 'v3'])['key2']
----
v2

SELECT map()
----
{}

SELECT map(ARRAY[1,3], ARRAY[2,4])
----
{1=2, 3=4}

SELECT map_from_entries(ARRAY[(1, 'x'), (2, 'y')])
----
{1=x, 2=y}

SELECT map_filter(MAP(ARRAY[], ARRAY[]), (k, v) -> true)
----
{}

SELECT map_filter(MAP(ARRAY[10, 20, 30], ARRAY['a', NULL, 'c']), (k, v) -> v IS NOT NULL)
----
{10=a, 30=c}

SELECT map_filter(MAP(ARRAY['k1', 'k2', 'k3'], ARRAY[20, 3, 15]), (k, v) -> v > 10)
----
{k1=20, k3=15}

SELECT transform_keys(MAP(ARRAY[], ARRAY[]), (k, v) -> k + 1)
----
{}

SELECT transform_keys(MAP(ARRAY [1, 2, 3], ARRAY ['a', 'b', 'c']), (k, v) -> k + 1)
----
{2=a, 3=b, 4=c}

SELECT transform_keys(MAP(ARRAY ['a', 'b', 'c'], ARRAY [1, 2, 3]), (k, v) -> v * v)
----
{1=1, 4=2, 9=3}

SELECT transform_keys(MAP(ARRAY ['a', 'b'], ARRAY [1, 2]), (k, v) -> k || CAST(v as VARCHAR))
----
{a1=1, b2=2}

SELECT transform_keys(MAP(ARRAY [1, 2], ARRAY [1.0, 1.4]),
                      (k, v) -> MAP(ARRAY[1, 2], ARRAY['one', 'two'])[k])
----
{one=1.0, two=1.4}

SELECT transform_values(MAP(ARRAY[], ARRAY[]), (k, v) -> v + 1)
----
{}

SELECT transform_values(MAP(ARRAY [1, 2, 3], ARRAY [10, 20, 30]), (k, v) -> v + k)
----
{1=11, 2=22, 3=33}

SELECT transform_values(MAP(ARRAY [1, 2, 3], ARRAY ['a', 'b', 'c']), (k, v) -> k * k)
----
{1=1, 2=4, 3=9}

SELECT transform_values(MAP(ARRAY ['a', 'b'], ARRAY [1, 2]), (k, v) -> k || CAST(v as VARCHAR))
----
{a=a1, b=b2}

SELECT transform_values(MAP(ARRAY [1, 2], ARRAY [1.0, 1.4]),
                        (k, v) -> MAP(ARRAY[1, 2], ARRAY['one', 'two'])[k]
                          || '_' || CAST(v AS VARCHAR))
----
{1=one_1.0, 2=two_1.4}

# https://trino.io/docs/current/functions/json.html (json_array)
SELECT json_array(true, 12e-1, 'text')
----
[true,1.2,"text"]

SELECT json_array(DATE '2001-01-31', UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59')
----
["2001-01-31","12151fd2-7586-11e9-8f9e-2a86e4085a59"]

SELECT json_array()
----
[]

SELECT json_object()
----
{}

# https://trino.io/docs/current/functions/json.html (cast to JSON)
SELECT CAST(NULL AS JSON)
----
NULL

SELECT CAST(1 AS JSON)
----
1

SELECT CAST(9223372036854775807 AS JSON)
----
9223372036854775807

SELECT CAST('abc' AS JSON)
----
"abc"

SELECT CAST(true AS JSON)
----
true

SELECT CAST(1.234 AS JSON)
----
1.234

SELECT CAST(ARRAY[1, 23, 456] AS JSON)
----
[1,23,456]

SELECT CAST(ARRAY[1, NULL, 456] AS JSON)
----
[1,null,456]

SELECT CAST(ARRAY[ARRAY[1, 23], ARRAY[456]] AS JSON)
----
[[1,23],[456]]

SELECT CAST(MAP(ARRAY['k1', 'k2', 'k3'], ARRAY[1, 23, 456]) AS JSON)
----
{"k1":1,"k2":23,"k3":456}

SELECT CAST(CAST(ROW(123, 'abc', true) AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN)) AS JSON)
----
{"v1":123,"v2":"abc","v3":true}

# https://trino.io/docs/current/functions/json.html (cast from JSON)
SELECT CAST(JSON '"2001-01-31"' AS DATE)
----
2001-01-31

SELECT CAST(JSON '"01:23:45.678"' AS TIME(3))
----
01:23:45.678

SELECT CAST(JSON 'null' AS DATE)
----
NULL

SELECT CAST(JSON 'null' AS VARCHAR)
----
NULL

SELECT CAST(JSON '1' AS INTEGER)
----
1

SELECT CAST(JSON '9223372036854775807' AS BIGINT)
----
9223372036854775807

SELECT CAST(JSON '"abc"' AS VARCHAR)
----
abc

SELECT CAST(JSON 'true' AS BOOLEAN)
----
true

SELECT CAST(JSON '1.234' AS DOUBLE)
----
1.234

SELECT CAST(JSON '[1,23,456]' AS ARRAY(INTEGER))
----
[1, 23, 456]

SELECT CAST(JSON '[[1,23],[456]]' AS ARRAY(ARRAY(INTEGER)))
----
[[1, 23], [456]]

SELECT CAST(JSON '{"k1":1,"k2":23,"k3":456}' AS MAP(VARCHAR, INTEGER))
----
{k1=1, k2=23, k3=456}

SELECT CAST(JSON '{"v1":123,"v2":"abc","v3":true}' AS ROW(v1 BIGINT, v2 VARCHAR, v3 BOOLEAN))
----
{v1=123, v2=abc, v3=true}

SELECT CAST(JSON '[null]' AS ARRAY(JSON))
----
[null]

# https://trino.io/docs/current/functions/json.html (other JSON functions)
SELECT is_json_scalar('1')
----
true

SELECT is_json_scalar('[1, 2, 3]')
----
false

SELECT json_array_contains('[1, 2, 3]', 2)
----
true

SELECT json_array_get('["a", [3, 9], "c"]', 1)
----
[3,9]

SELECT json_array_get('["c", [3, 9], "a"]', -2)
----
[3,9]

SELECT json_array_get('[]', 0)
----
NULL

SELECT json_array_get('["a", "b", "c"]', 10)
----
NULL

SELECT json_array_get('["c", "b", "a"]', -10)
----
NULL

SELECT json_array_length('[1, 2, 3]')
----
3

SELECT json_format(JSON '[1, 2, 3]')
----
[1,2,3]

SELECT json_format(JSON '"a"')
----
"a"

SELECT json_format(JSON '{"a": 1, "b": 2}')
----
{"a":1,"b":2}

SELECT json_format(JSON '"abc"')
----
"abc"

SELECT json_format(JSON '42')
----
42

SELECT json_format(JSON 'true')
----
true

SELECT json_format(JSON 'null')
----
null

SELECT CAST(JSON '42' AS VARCHAR)
----
42

SELECT CAST(JSON 'true' AS VARCHAR)
----
true

SELECT json_parse('[1, 2, 3]')
----
[1,2,3]

SELECT json_parse('"abc"')
----
"abc"

SELECT json_parse('42')
----
42

SELECT json_parse('true')
----
true

SELECT json_parse('null')
----
null

SELECT CAST('not_json' AS JSON)
----
"not_json"

SELECT CAST('["a": 1, "b": 2]' AS JSON)
----
"[\"a\": 1, \"b\": 2]"

SELECT CAST('[1, 2, 3]' AS JSON)
----
"[1, 2, 3]"

SELECT CAST('"abc"' AS JSON)
----
"\"abc\""

SELECT CAST('42' AS JSON)
----
"42"

SELECT CAST('true' AS JSON)
----
"true"

SELECT CAST('null' AS JSON)
----
"null"

SELECT json_size('{"x": {"a": 1, "b": 2}}', '$.x')
----
2

SELECT json_size('{"x": [1, 2, 3]}', '$.x')
----
3

SELECT json_size('{"x": {"a": 1, "b": 2}}', '$.x.a')
----
0

# https://docs.aws.amazon.com/athena/latest/ug/extracting-data-from-JSON.html
WITH dataset AS (
  SELECT '{"name": "Susan Smith",
           "org": "engineering",
           "projects": [{"name":"project1", "completed":false},
           {"name":"project2", "completed":true}]}'
    AS blob
)
SELECT
  json_extract(blob, '$.name') AS name,
  json_extract(blob, '$.projects') AS projects
FROM dataset
----
"Susan Smith" | [{"name":"project1","completed":false},{"name":"project2","completed":true}]

WITH dataset AS (
  SELECT '{"name": "Bob Smith",
           "org": "engineering",
           "projects": [{"name":"project1", "completed":false},{"name":"project2", "completed":true}]}'
    AS blob
)
SELECT json_array_get(json_extract(blob, '$.projects'), 0) AS item
FROM dataset
----
{"name":"project1","completed":false}

WITH dataset AS (
   SELECT '{"name": "Bob Smith",
             "org": "engineering",
             "projects": [{"name":"project1", "completed":false},{"name":"project2", "completed":true}]}'
     AS blob
)
SELECT json_extract_scalar(blob, '$.projects[0].name') AS project_name
FROM dataset
----
project1

# https://docs.aws.amazon.com/athena/latest/ug/searching-for-values.html (ORDER BY added for determinism)
WITH dataset AS (
  SELECT * FROM (VALUES
    (JSON '{"name": "Bob Smith", "org": "legal", "projects": ["project1"]}'),
    (JSON '{"name": "Susan Smith", "org": "engineering", "projects": ["project1", "project2", "project3"]}'),
    (JSON '{"name": "Jane Smith", "org": "finance", "projects": ["project1", "project2"]}')
  ) AS t (users)
)
SELECT json_extract_scalar(users, '$.name') AS user
FROM dataset
WHERE json_array_contains(json_extract(users, '$.projects'), 'project2')
ORDER BY 1 DESC
----
Susan Smith
Jane Smith

WITH dataset AS (
  SELECT * FROM (VALUES
    (JSON '{"name": "Bob Smith",
             "org": "legal",
             "projects": [{"name":"project1", "completed":false}]}'),
    (JSON '{"name": "Susan Smith",
             "org": "engineering",
             "projects": [{"name":"project2", "completed":true},
                          {"name":"project3", "completed":true}]}'),
    (JSON '{"name": "Jane Smith",
             "org": "finance",
             "projects": [{"name":"project2", "completed":true}]}')
  ) AS t (users)
),
employees AS (
  SELECT users, CAST(json_extract(users, '$.projects') AS
    ARRAY(MAP(VARCHAR, JSON))) AS projects_array
  FROM dataset
),
names AS (
  SELECT json_extract_scalar(users, '$.name') AS name, projects
  FROM employees, UNNEST (projects_array) AS t(projects)
)
SELECT name, count(projects) AS completed_projects FROM names
WHERE cast(element_at(projects, 'completed') AS BOOLEAN) = true
GROUP BY name
ORDER BY completed_projects DESC
----
Susan Smith | 2
Jane Smith | 1

# https://docs.aws.amazon.com/athena/latest/ug/length-and-size.html (tie-breaker ", name" added to ORDER BY)
WITH dataset AS (
  SELECT * FROM (VALUES
    (JSON '{"name":
            "Bob Smith",
            "org":
            "legal",
            "projects": [{"name":"project1", "completed":false}]}'),
    (JSON '{"name": "Susan Smith",
            "org": "engineering",
            "projects": [{"name":"project2", "completed":true},
                         {"name":"project3", "completed":true}]}'),
    (JSON '{"name": "Jane Smith",
             "org": "finance",
             "projects": [{"name":"project2", "completed":true}]}')
  ) AS t (users)
)
SELECT
  json_extract_scalar(users, '$.name') as name,
  json_array_length(json_extract(users, '$.projects')) as count
FROM dataset
ORDER BY count DESC, name
----
Susan Smith | 2
Bob Smith | 1
Jane Smith | 1

WITH dataset AS (
  SELECT * FROM (VALUES
    (JSON '{"name": "Bob Smith", "org": "legal", "projects": [{"name":"project1", "completed":false}]}'),
    (JSON '{"name": "Susan Smith", "org": "engineering", "projects": [{"name":"project2", "completed":true},{"name":"project3", "completed":true}]}'),
    (JSON '{"name": "Jane Smith", "org": "finance", "projects": [{"name":"project2", "completed":true}]}')
  ) AS t (users)
)
SELECT
  json_extract_scalar(users, '$.name') as name,
  json_size(users, '$.projects') as count
FROM dataset
ORDER BY count DESC, name
----
Susan Smith | 2
Bob Smith | 1
Jane Smith | 1

# https://docs.aws.amazon.com/athena/latest/ug/accessing-array-elements.html
WITH dataset AS (
SELECT
   ARRAY[CAST(MAP(ARRAY['a1', 'a2', 'a3'], ARRAY[1, 2, 3]) AS JSON)] ||
   ARRAY[CAST(MAP(ARRAY['b1', 'b2', 'b3'], ARRAY[4, 5, 6]) AS JSON)]
AS items )
SELECT items[1] AS item FROM dataset
----
{"a1":1,"a2":2,"a3":3}

## category: url
# https://trino.io/docs/current/functions/url.html
SELECT url_extract_protocol('http://localhost:8080/req_path')
----
http

SELECT url_extract_protocol('https://127.0.0.1:8080/req_path')
----
https

SELECT url_extract_protocol('ftp://path/file')
----
ftp

SELECT format('%.5f', pi())
----
3.14159

SELECT format('%03d', 8)
----
008

SELECT format('%,.2f', 1234567.89)
----
1,234,567.89

SELECT format('%-7s,%7s', 'hello', 'world')
----
hello  ,  world

SELECT format('%2$s %3$s %1$s', 'a', 'b', 'c')
----
b c a

SELECT format('%1$tA, %1$tB %1$te, %1$tY', date '2006-07-04')
----
Tuesday, July 4, 2006

## category: aggregate
# https://trino.io/docs/current/functions/aggregate.html
SELECT listagg(value, ',') WITHIN GROUP (ORDER BY value) csv_value
FROM (VALUES 'a', 'c', 'b') t(value)
----
a,b,c

SELECT id, listagg(value, ',') WITHIN GROUP (ORDER BY o) csv_value
FROM (VALUES
    (100, 1, 'a'),
    (200, 3, 'c'),
    (200, 2, 'b')
) t(id, o, value)
GROUP BY id
ORDER BY id
----
100 | a
200 | b,c

SELECT
    country,
    listagg(city, ',')
        WITHIN GROUP (ORDER BY population DESC)
        FILTER (WHERE population >= 10000000) megacities
FROM (VALUES
    ('India', 'Bangalore', 13700000),
    ('India', 'Chennai', 12200000),
    ('India', 'Ranchi', 1547000),
    ('Austria', 'Vienna', 1897000),
    ('Poland', 'Warsaw', 1765000)
) t(country, city, population)
GROUP BY country
ORDER BY country
----
Austria | NULL
India | Bangalore,Chennai
Poland | NULL

# https://docs.aws.amazon.com/athena/latest/ug/creating-arrays-from-subqueries.html
WITH
dataset AS (
  SELECT ARRAY[1,2,3,4,5] AS items
)
SELECT array_agg(i) AS array_items
FROM dataset
CROSS JOIN UNNEST(items) AS t(i)
----
[1, 2, 3, 4, 5]

# https://docs.aws.amazon.com/athena/latest/ug/sorting-arrays.html
WITH
dataset AS (
  SELECT ARRAY[3,1,2,5,2,3,6,3,4,5] AS items
)
SELECT array_sort(array_agg(distinct i)) AS array_items
FROM dataset
CROSS JOIN UNNEST(items) AS t(i)
----
[1, 2, 3, 4, 5, 6]

# https://docs.aws.amazon.com/athena/latest/ug/arrays-and-aggregation.html (ORDER BY total added; doc says order not guaranteed)
WITH
dataset AS (
  SELECT ARRAY
  [
    ARRAY[1,2,3,4],
    ARRAY[5,6,7,8],
    ARRAY[9,0]
  ] AS items
),
item AS (
  SELECT i AS array_items
  FROM dataset, UNNEST(items) AS t(i)
)
SELECT array_items, sum(val) AS total
FROM item, UNNEST(array_items) AS t(val)
GROUP BY array_items
ORDER BY total
----
[9, 0] | 9
[1, 2, 3, 4] | 10
[5, 6, 7, 8] | 26

SELECT bitwise_and(19,25)
----
17

SELECT bitwise_not(-12), bitwise_not(19), bitwise_not(25)
----
11 | -20 | -26

SELECT bitwise_or(19,25)
----
27

SELECT bitwise_xor(19,25)
----
10

SELECT bitwise_left_shift(1, 2)
----
4

SELECT bitwise_left_shift(5, 2)
----
20

SELECT bitwise_left_shift(20, 0), bitwise_left_shift(42, 0)
----
20 | 42

SELECT bitwise_left_shift(0, 1), bitwise_left_shift(0, 2)
----
0 | 0

SELECT bitwise_right_shift(8, 3)
----
1

SELECT bitwise_right_shift(9, 1)
----
4

SELECT bitwise_right_shift(20, 0), bitwise_right_shift(42, 0)
----
20 | 42

SELECT bitwise_right_shift( 12, 64), bitwise_right_shift(-45, 64)
----
0 | 0

SELECT bitwise_right_shift(0, 1), bitwise_right_shift(0, 2)
----
0 | 0

# https://trino.io/docs/current/language/types.html (VARBINARY: binary form of eh? is X'65683F')
SELECT from_utf8(x'65683F')
----
eh?

## category: comparison
# https://trino.io/docs/current/functions/comparison.html
SELECT NULL BETWEEN 2 AND 4
----
NULL

SELECT 2 BETWEEN NULL AND 6
----
NULL

SELECT 2 BETWEEN 3 AND NULL
----
false

SELECT 8 BETWEEN NULL AND 6
----
false

SELECT 'Paul' BETWEEN 'John' AND 'Ringo'
----
true

SELECT NULL IS NULL
----
true

SELECT 3.0 IS NULL
----
false

SELECT NULL IS DISTINCT FROM NULL
----
false

SELECT NULL IS NOT DISTINCT FROM NULL
----
true

# https://trino.io/docs/current/functions/comparison.html (IS DISTINCT FROM truth table rows)
SELECT 1 = 1, 1 <> 1, 1 IS DISTINCT FROM 1, 1 IS NOT DISTINCT FROM 1
----
true | false | false | true

SELECT 1 = 2, 1 <> 2, 1 IS DISTINCT FROM 2, 1 IS NOT DISTINCT FROM 2
----
false | true | true | false

SELECT 1 = NULL, 1 <> NULL, 1 IS DISTINCT FROM NULL, 1 IS NOT DISTINCT FROM NULL
----
NULL | NULL | true | false

SELECT 'hello' = ANY (VALUES 'hello', 'world')
----
true

SELECT 21 < ALL (VALUES 19, 20, 21)
----
false

SELECT 42 >= SOME (SELECT 41 UNION ALL SELECT 42 UNION ALL SELECT 43)
----
true

SELECT * FROM (VALUES 'America', 'Asia', 'Africa', 'Europe', 'Australia', 'Antarctica') AS t (continent)
WHERE continent LIKE 'E%'
----
Europe

SELECT * FROM (VALUES 'America', 'Asia', 'Africa', 'Europe', 'Australia', 'Antarctica') AS t (continent)
WHERE continent NOT LIKE 'E%'
----
America
Asia
Africa
Australia
Antarctica

SELECT 'South_America' LIKE 'South\_America' ESCAPE '\'
----
true

## category: logical
# https://trino.io/docs/current/functions/logical.html
SELECT CAST(null AS boolean) AND true
----
NULL

SELECT CAST(null AS boolean) AND false
----
false

SELECT CAST(null AS boolean) AND CAST(null AS boolean)
----
NULL

SELECT CAST(null AS boolean) OR CAST(null AS boolean)
----
NULL

SELECT CAST(null AS boolean) OR false
----
NULL

SELECT CAST(null AS boolean) OR true
----
true

SELECT NOT CAST(null AS boolean)
----
NULL

# https://trino.io/docs/current/functions/logical.html (AND/OR truth table)
SELECT a AND b, a OR b
FROM (VALUES (1, true, true), (2, true, false), (3, true, NULL), (4, false, true), (5, false, false),
             (6, false, NULL), (7, NULL, true), (8, NULL, false), (9, NULL, NULL)) AS t(id, a, b)
ORDER BY id
----
true | true
false | true
NULL | true
false | true
false | false
false | NULL
NULL | true
false | NULL
NULL | NULL

## category: lambda
# https://trino.io/docs/current/functions/lambda.html (ORDER BY added where the doc shows several rows)
SELECT numbers,
       transform(numbers, n -> n * n) as squared_numbers
FROM (
    VALUES
        (ARRAY[1, 2]),
        (ARRAY[3, 4]),
        (ARRAY[5, 6, 7])
) AS t(numbers)
ORDER BY cardinality(numbers), numbers[1]
----
[1, 2] | [1, 4]
[3, 4] | [9, 16]
[5, 6, 7] | [25, 36, 49]

SELECT transform(prices, n -> TRY_CAST(n AS VARCHAR) || '$') as price_tags
FROM (
    VALUES
        (ARRAY[100, 200]),
        (ARRAY[30, 4])
) AS t(prices)
ORDER BY prices[1] DESC
----
[100$, 200$]
[30$, 4$]

SELECT xvalues,
       a,
       b,
       transform(xvalues, x -> a * x + b) as linear_function_values
FROM (
    VALUES
        (ARRAY[1, 2], 10, 5),
        (ARRAY[3, 4], 4, 2)
) AS t(xvalues, a, b)
ORDER BY a DESC
----
[1, 2] | 10 | 5 | [15, 25]
[3, 4] | 4 | 2 | [14, 18]

SELECT numbers
FROM (
    VALUES
        (ARRAY[1,NULL,3]),
        (ARRAY[10,20,30]),
        (ARRAY[100,200,300])
) AS t(numbers)
WHERE any_match(numbers, n ->  COALESCE(n, 0) > 100)
----
[100, 200, 300]

## category: derived
# The cases below are NOT literal doc examples: each applies an explicit sentence from the doc
# (quoted in the comment) to a trivial input. Drop this section if you want literal examples only.
# https://trino.io/docs/current/functions/string.html  split_part: "If the index is larger than the number of fields, then null is returned."
SELECT split_part('a,b,c', ',', 4)
----
NULL

# https://trino.io/docs/current/functions/string.html  strpos/position: "If not found, 0 is returned."
SELECT strpos('abc', 'z'), position('z' IN 'abc')
----
0 | 0

# https://trino.io/docs/current/functions/string.html  concat_ws: "If separator is null, then the return value is null. Any null values provided in the arguments after the separator are skipped."
SELECT concat_ws(',', 'a', NULL, 'b')
----
a,b

SELECT concat_ws(NULL, 'a', 'b')
----
NULL

# https://trino.io/docs/current/functions/array.html  array_position: "(or 0 if not found)"
SELECT array_position(ARRAY[1, 2, 3], 4)
----
0

# https://trino.io/docs/current/functions/array.html  element_at: "returns NULL when accessing an index larger than array length"
SELECT element_at(ARRAY[1, 2, 3], 5)
----
NULL

# https://trino.io/docs/current/functions/map.html  element_at: "or NULL if the key is not contained in the map"
SELECT element_at(MAP(ARRAY['a'], ARRAY[1]), 'b')
----
NULL

# https://trino.io/docs/current/functions/array.html  array_join: "Null elements are omitted in the result."
SELECT array_join(ARRAY['a', NULL, 'b'], ',')
----
a,b

# https://trino.io/docs/current/functions/array.html  all_match/any_match/none_match empty-array special cases
SELECT all_match(CAST(ARRAY[] AS ARRAY(INTEGER)), x -> x > 0), any_match(CAST(ARRAY[] AS ARRAY(INTEGER)), x -> x > 0), none_match(CAST(ARRAY[] AS ARRAY(INTEGER)), x -> x > 0)
----
true | false | true

# https://trino.io/docs/current/functions/math.html  sign: "0 if the argument is 0, 1 if ... greater than 0, -1 if ... less than 0"
SELECT sign(0), sign(5), sign(-5)
----
0 | 1 | -1

# https://trino.io/docs/current/functions/comparison.html  greatest/least: "they return null if any argument is null"
SELECT greatest(1, NULL, 3), least(1, NULL, 3)
----
NULL | NULL

# https://trino.io/docs/current/functions/conditional.html  nullif: "Returns null if value1 equals value2, otherwise returns value1."
SELECT nullif(1, 1), nullif(1, 2)
----
NULL | 1

# https://trino.io/docs/current/functions/conditional.html  TRY handles "Division by zero" by returning NULL
SELECT try(1 / 0)
----
NULL

# https://trino.io/docs/current/functions/aggregate.html  "sum returns null rather than zero" for no input rows
SELECT sum(x) FROM (VALUES 1, 2) t(x) WHERE x > 5
----
NULL

# https://trino.io/docs/current/functions/aggregate.html  approx_distinct: "Zero is returned if all input values are null."
SELECT approx_distinct(x) FROM (VALUES CAST(NULL AS integer), CAST(NULL AS integer)) t(x)
----
0

# https://trino.io/docs/current/language/types.html (integer literal formats)
SELECT 0x0A, 0x11, 0o40, 0o11, 0b1001, 0b101010
----
10 | 17 | 32 | 9 | 9 | 42

# Added 2026-11-23: Luhn checks, readable durations and data sizes, array histograms and vector
# distances, IF without an else.

SELECT luhn_check('79927398713')
----
true

SELECT luhn_check('79927398714')
----
false

SELECT human_readable_seconds(96)
----
1 minute, 36 seconds

SELECT human_readable_seconds(3762)
----
1 hour, 2 minutes, 42 seconds

SELECT human_readable_seconds(56363463)
----
93 weeks, 1 day, 8 hours, 31 minutes, 3 seconds

SELECT human_readable_seconds(61)
----
1 minute, 1 second

SELECT parse_data_size('1B')
----
1

SELECT parse_data_size('1kB')
----
1024

SELECT parse_data_size('1MB')
----
1048576

SELECT parse_data_size('2.3MB')
----
2411724

SELECT if(1 > 2, 'yes')
----
NULL

SELECT array_histogram(ARRAY[42, 7, 42, NULL])
----
{42=2, 7=1}

SELECT array_histogram(ARRAY[NULL, NULL])
----
{}

SELECT euclidean_distance(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])
----
2.8284271247461903

SELECT dot_product(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])
----
11.0

SELECT cosine_distance(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])
----
0.01613008990009257

SELECT cosine_similarity(ARRAY[1.0, 2.0], ARRAY[3.0, 4.0])
----
0.9838699100999074

# Of sparse vectors (maps), the form Athena's documentation gives.
SELECT cosine_similarity(MAP(ARRAY['a'], ARRAY[1.0]), MAP(ARRAY['a'], ARRAY[2.0]))
----
1.0

SELECT cosine_similarity(MAP(ARRAY['a', 'b'], ARRAY[1.0, 2.0]), MAP(ARRAY['b', 'c'], ARRAY[3.0, 4.0])), cosine_distance(MAP(ARRAY['a', 'b'], ARRAY[1.0, 2.0]), MAP(ARRAY['b', 'c'], ARRAY[3.0, 4.0]))
----
0.5366563145999494 | 0.46334368540005055

SELECT cosine_similarity(MAP(ARRAY['a'], ARRAY[NULL]), MAP(ARRAY['a'], ARRAY[2.0])), cosine_similarity(CAST(MAP() AS MAP(VARCHAR, DOUBLE)), MAP(ARRAY['a'], ARRAY[2.0]))
----
NULL | NaN

# https://trino.io/docs/current/functions/json.html (json_exists, json_query, json_value; the
# doc's customers table inlined as VALUES, ORDER BY id added)
SELECT id, json_exists(description, 'lax $.children[*]?(@ > 10)') AS children_above_ten
FROM (VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
             (102, '{"comment" : "problematic", "children" : [8, 11]}'),
             (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)
ORDER BY id
----
101 | true
102 | true
103 | false

SELECT id, json_exists(description, 'strict $.children[2]?(@ > 10)' UNKNOWN ON ERROR) AS child_3_above_ten
FROM (VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
             (102, '{"comment" : "problematic", "children" : [8, 11]}'),
             (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)
ORDER BY id
----
101 | true
102 | NULL
103 | NULL

SELECT id, json_query(description, 'lax $.children') AS children
FROM (VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
             (102, '{"comment" : "problematic", "children" : [8, 11]}'),
             (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)
ORDER BY id
----
101 | [10,13,16]
102 | [8,11]
103 | [2]

SELECT id, json_query(description, 'lax $.children[*]' WITHOUT ARRAY WRAPPER NULL ON ERROR) AS children
FROM (VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
             (102, '{"comment" : "problematic", "children" : [8, 11]}'),
             (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)
ORDER BY id
----
101 | NULL
102 | NULL
103 | 2

SELECT id, json_query(description, 'lax $.children[last]' WITH ARRAY WRAPPER) AS last_child
FROM (VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
             (102, '{"comment" : "problematic", "children" : [8, 11]}'),
             (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)
ORDER BY id
----
101 | [16]
102 | [11]
103 | [2]

SELECT id, json_query(description, 'strict $.children[*]?(@ > 12)' WITH ARRAY WRAPPER EMPTY ARRAY ON EMPTY) AS children
FROM (VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
             (102, '{"comment" : "problematic", "children" : [8, 11]}'),
             (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)
ORDER BY id
----
101 | [13,16]
102 | []
103 | []

SELECT id,
       json_query(description, 'strict $.comment' KEEP QUOTES) AS quoted_comment,
       json_query(description, 'strict $.comment' OMIT QUOTES) AS unquoted_comment
FROM (VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
             (102, '{"comment" : "problematic", "children" : [8, 11]}'),
             (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)
ORDER BY id
----
101 | "nice" | nice
102 | "problematic" | problematic
103 | "knows best" | knows best

SELECT id, json_value(description, 'lax $.children[0]' RETURNING tinyint) AS child
FROM (VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
             (102, '{"comment" : "problematic", "children" : [8, 11]}'),
             (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)
ORDER BY id
----
101 | 10
102 | 8
103 | 2

SELECT id, json_value(description, 'strict $.children[2]' DEFAULT 'err' ON ERROR) AS child
FROM (VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
             (102, '{"comment" : "problematic", "children" : [8, 11]}'),
             (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)
ORDER BY id
----
101 | 16
102 | err
103 | err

SELECT id, json_value(description, 'lax $.children[2]' DEFAULT 'missing' ON EMPTY) AS child
FROM (VALUES (101, '{"comment" : "nice", "children" : [10, 13, 16]}'),
             (102, '{"comment" : "problematic", "children" : [8, 11]}'),
             (103, '{"comment" : "knows best", "children" : [2]}')) AS customers(id, description)
ORDER BY id
----
101 | 16
102 | missing
103 | missing

# https://trino.io/docs/current/functions/string.html (soundex example: SOUNDEX(name) = SOUNDEX('CHYNA') matches CHINA)
SELECT soundex('CHINA') = soundex('CHYNA')
----
true

# https://trino.io/docs/current/functions/regexp.html
SELECT regexp_position('I have 23 apples, 5 pears and 13 oranges', '\b\d+\b', 12, 1)
----
19

SELECT regexp_position('I have 23 apples, 5 pears and 13 oranges', '\b\d+\b', 12, 2)
----
31

SELECT regexp_position('I have 23 apples, 5 pears and 13 oranges', '\b\d+\b', 12, 3)
----
-1

# https://trino.io/docs/current/functions/datetime.html (functions)
SELECT from_iso8601_date('2020-W10')
----
2020-03-02

SELECT from_iso8601_date('2020-123')
----
2020-05-02

# https://trino.io/docs/current/functions/datetime.html (date_trunc unit table, input 2001-08-22 03:04:05.321)
SELECT parse_duration('42.8ms')
----
0 00:00:00.043

SELECT parse_duration('3.81 d')
----
3 19:26:24.000

SELECT parse_duration('5m')
----
0 00:05:00.000

# https://trino.io/docs/current/functions/array.html
SELECT ARRAY[1] || 2
----
[1, 2]

SELECT 2 || ARRAY[1]
----
[2, 1]

SELECT combinations(ARRAY['foo', 'bar', 'baz'], 2)
----
[[foo, bar], [foo, baz], [bar, baz]]

SELECT combinations(ARRAY[1, 2, 3], 2)
----
[[1, 2], [1, 3], [2, 3]]

SELECT combinations(ARRAY[1, 2, 2], 2)
----
[[1, 2], [1, 2], [2, 2]]

SELECT zip_with(ARRAY[1, 3, 5], ARRAY['a', 'b', 'c'], (x, y) -> (y, x))
----
[{field0=a, field1=1}, {field0=b, field1=3}, {field0=c, field1=5}]

# https://docs.aws.amazon.com/athena/latest/ug/concatenating-strings-and-arrays.html
SELECT ARRAY [4,5] || ARRAY[ ARRAY[1,2], ARRAY[3,4] ] AS items
----
[[4, 5], [1, 2], [3, 4]]

# https://trino.io/docs/current/functions/map.html
SELECT multimap_from_entries(ARRAY[(1, 'x'), (2, 'y'), (1, 'z')])
----
{1=[x, z], 2=[y]}

# https://trino.io/docs/current/functions/json.html (cast from JSON)
SELECT CAST(JSON '[[1, 23], 456]' AS ARRAY(JSON))
----
[[1,23], 456]

SELECT CAST(JSON '{"k1": [1, 23], "k2": 456}' AS MAP(VARCHAR, JSON))
----
{k1=[1,23], k2=456}

# https://trino.io/docs/current/functions/conversion.html
SELECT format_number(123456)
----
123K

SELECT format_number(1000000)
----
1M

SELECT typeof(123)
----
integer

SELECT typeof('cat')
----
varchar(3)

SELECT typeof(cos(2) + 1.5)
----
double

# https://trino.io/docs/current/language/types.html
SELECT typeof(TIMESTAMP '2020-06-10 15:55:23.383345')
----
timestamp(6)

# https://trino.io/docs/current/functions/bitwise.html (results as printed in an earlier revision of this page)
SELECT bit_count(9, 64), bit_count(9, 8), bit_count(-7, 64), bit_count(-7, 8)
----
2 | 2 | 62 | 6

SELECT bitwise_right_shift_arithmetic( 12, 64), bitwise_right_shift_arithmetic(-45, 64)
----
0 | -1

# https://trino.io/docs/current/functions/array.html  arrays_overlap: "Returns null if there are no non-null elements in common but either array contains null."
SELECT arrays_overlap(ARRAY[1, NULL], ARRAY[2])
----
NULL

# https://trino.io/docs/current/functions/math.html  sign (floating point): "1 if the argument is +Infinity, -1 if the argument is -Infinity"
SELECT sign(infinity()), sign(-infinity())
----
1.0 | -1.0

# https://trino.io/docs/current/functions/string.html
SELECT overlay('abc' PLACING 'XYZ' FROM 3)
----
abXYZ

SELECT overlay('Txxxxas' PLACING 'hom' FROM 2 FOR 4)
----
Thomas

# https://trino.io/docs/current/functions/json.html (json_array)
SELECT json_array('[  "text"  ] ' FORMAT JSON, X'5B0035005D00' FORMAT JSON ENCODING UTF16)
----
[["text"],[5]]

SELECT json_array(json_query('{"key" : [  "value"  ]}', 'lax $.key'))
----
[["value"]]

SELECT json_array(true, null, 1)
----
[true,1]

SELECT json_array(true, null, 1 ABSENT ON NULL)
----
[true,1]

SELECT json_array(true, null, 1 NULL ON NULL)
----
[true,null,1]

SELECT json_array(true, 1 RETURNING VARCHAR(100))
----
[true,1]

# https://trino.io/docs/current/functions/json.html (json_object)
SELECT json_object('key1' : 1, 'key2' : true)
----
{"key1":1,"key2":true}

SELECT json_object(KEY 'key1' VALUE 1, KEY 'key2' VALUE true)
----
{"key1":1,"key2":true}

SELECT json_object('key1' VALUE 1, 'key2' VALUE true)
----
{"key1":1,"key2":true}

SELECT json_object('x' : true, 'y' : 12e-1, 'z' : 'text')
----
{"x":true,"y":1.2,"z":"text"}

SELECT json_object('x' : '[  "text"  ] ' FORMAT JSON, 'y' : X'5B0035005D00' FORMAT JSON ENCODING UTF16)
----
{"x":["text"],"y":[5]}

SELECT json_object('x' : json_query('{"key" : [  "value"  ]}', 'lax $.key'))
----
{"x":["value"]}

SELECT json_object('x' : DATE '2001-01-31', 'y' : UUID '12151fd2-7586-11e9-8f9e-2a86e4085a59')
----
{"x":"2001-01-31","y":"12151fd2-7586-11e9-8f9e-2a86e4085a59"}

SELECT json_object('x' : null, 'y' : 1)
----
{"x":null,"y":1}

SELECT json_object('x' : null, 'y' : 1 NULL ON NULL)
----
{"x":null,"y":1}

SELECT json_object('x' : null, 'y' : 1 ABSENT ON NULL)
----
{"y":1}

SELECT json_object('x' : 1 RETURNING VARCHAR(100))
----
{"x":1}

# https://trino.io/docs/current/functions/array.html
SELECT array_sort(ARRAY[3, 2, 5, 1, 2], (x, y) -> IF(x < y, 1, IF(x = y, 0, -1)))
----
[5, 3, 2, 2, 1]

SELECT array_sort(ARRAY['bc', 'ab', 'dc'], (x, y) -> IF(x < y, 1, IF(x = y, 0, -1)))
----
[dc, bc, ab]

SELECT array_sort(ARRAY['a', 'abcd', 'abc'],
                  (x, y) -> IF(length(x) < length(y), -1,
                               IF(length(x) = length(y), 0, 1)))
----
[a, abc, abcd]

SELECT array_sort(ARRAY[ARRAY[2, 3, 1], ARRAY[4, 2, 1, 4], ARRAY[1, 2]],
                  (x, y) -> IF(cardinality(x) < cardinality(y), -1,
                               IF(cardinality(x) = cardinality(y), 0, 1)))
----
[[1, 2], [2, 3, 1], [4, 2, 1, 4]]

# https://trino.io/docs/current/functions/map.html
SELECT map_zip_with(MAP(ARRAY[1, 2, 3], ARRAY['a', 'b', 'c']),
                    MAP(ARRAY[1, 2, 3], ARRAY['d', 'e', 'f']),
                    (k, v1, v2) -> concat(v1, v2))
----
{1=ad, 2=be, 3=cf}

SELECT map_zip_with(MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 8, 27]),
                    MAP(ARRAY['a', 'b', 'c'], ARRAY[1, 2, 3]),
                    (k, v1, v2) -> k || CAST(v1 / v2 AS VARCHAR))
----
{a=a1, b=b4, c=c9}

# https://trino.io/docs/current/functions/conversion.html
SELECT format('%s%%', 123)
----
123%

# https://trino.io/docs/current/functions/aggregate.html
SELECT id, reduce_agg(value, 0, (a, b) -> a + b, (a, b) -> a + b)
FROM (
    VALUES
        (1, 3),
        (1, 4),
        (1, 5),
        (2, 6),
        (2, 7)
) AS t(id, value)
GROUP BY id
ORDER BY id
----
1 | 12
2 | 13

SELECT id, reduce_agg(value, 1, (a, b) -> a * b, (a, b) -> a * b)
FROM (
    VALUES
        (1, 3),
        (1, 4),
        (1, 5),
        (2, 6),
        (2, 7)
) AS t(id, value)
GROUP BY id
ORDER BY id
----
1 | 60
2 | 42

# https://trino.io/docs/current/functions/lambda.html
SELECT reduce_agg(value, 0, (a, b) -> a + b, (a, b) -> a + b) sum_values
FROM (
    VALUES (1), (2), (3), (4), (5)
) AS t(value)
----
15

# https://trino.io/docs/current/functions/datetime.html (time zone conversion)
SELECT timestamp '2012-10-31 01:00 UTC'
----
2012-10-31 01:00:00.000 UTC

SELECT timestamp '2012-10-31 01:00 UTC' AT TIME ZONE 'America/Los_Angeles'
----
2012-10-30 18:00:00.000 America/Los_Angeles

# https://trino.io/docs/current/functions/datetime.html (functions)
SELECT from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00')
----
2020-05-11 11:15:05.055 +01:00

SELECT with_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles')
----
2022-11-01 09:08:07.321 America/Los_Angeles

# https://trino.io/docs/current/language/types.html (timestamp with time zone literals)
SELECT TIMESTAMP '2001-08-22 03:04:05.321 -08:30'
----
2001-08-22 03:04:05.321 -08:30

SELECT TIMESTAMP '2001-08-22 03:04:05.321 GMT-08:30'
----
2001-08-22 03:04:05.321 -08:30

SELECT TIMESTAMP '2001-08-22 03:04:05.321 America/New_York'
----
2001-08-22 03:04:05.321 America/New_York

# https://trino.io/docs/current/functions/datetime.html
SELECT timezone(TIMESTAMP '2024-01-01 12:00:00 Asia/Tokyo')
----
Asia/Tokyo

SELECT timezone(TIMESTAMP '2024-01-01 12:00:00 +01:00')
----
+01:00

SELECT timezone(TIMESTAMP '2024-02-29 12:00:00 UTC')
----
UTC

SELECT timezone(TIME '12:00:00+09:00')
----
+09:00

# https://trino.io/docs/current/functions/regexp.html
SELECT regexp_replace('new york', '(\w)(\w*)', x -> upper(x[1]) || lower(x[2]))
----
New York

# https://trino.io/docs/current/functions/lambda.html
SELECT regexp_replace('once upon a time ...', '^(\w)(\w*)(\s+.*)$', x -> upper(x[1]) || x[2] || x[3])
----
Once upon a time ...

# https://trino.io/docs/current/functions/aggregate.html
SELECT listagg(value, ',' ON OVERFLOW ERROR) WITHIN GROUP (ORDER BY value) csv_value
FROM (VALUES 'a', 'b', 'c') t(value)
----
a,b,c

# The subscript operator: an element that is there (NULL or not); out of
# bounds or a missing key fails (see TestFunctionErrors), where element_at
# is NULL.
SELECT ARRAY[1, NULL][2], ARRAY[1, 2][2], ARRAY[ARRAY[7]][1][1], split('a-b', '-')[2], MAP(ARRAY['a', 'b'], ARRAY[1, NULL])['b'], MAP(ARRAY[-1], ARRAY[5])[-1], element_at(ARRAY[1], 3)
----
NULL | 2 | 7 | b | NULL | 5 | NULL

SELECT x[i] FROM (VALUES (ARRAY[1, NULL], 2), (ARRAY[3], NULL), (NULL, 1), (ARRAY[4, 5], 1)) t(x, i)
----
NULL
NULL
NULL
4

# try() turns a subscript's failure into NULL, as Trino's does.
SELECT try(ARRAY[1][2]), try(MAP(ARRAY['a'], ARRAY[1])['b']), try(split(s, '-')[2]) FROM (VALUES 'a-b', 'c') t(s)
----
NULL | NULL | b
NULL | NULL | NULL

# A map's key found by value when the index is of another type, NaN among
# the values, keys with JSON's special characters.
SELECT MAP(ARRAY[-1e0], ARRAY[5])[-1], MAP(ARRAY[1e0], ARRAY[CAST(NULL AS INTEGER)])[1], MAP(ARRAY[CAST(-2 AS DECIMAL(10,2))], ARRAY[7])[-2], MAP(ARRAY['a', 'b'], ARRAY[nan(), NULL])['b'], MAP(ARRAY['a,"]}', 'b'], ARRAY[1, NULL])['a,"]}'], ARRAY['x,]', NULL][2]
----
5 | NULL | 7 | NULL | 1 | NULL

# https://trino.io/docs/current/functions/binary.html: length, reverse, substr,
# lpad and rpad of varbinary count bytes (Trino's VarbinaryFunctions).
SELECT length(X'AABB'), reverse(X'0102'), substr(X'010203', 2), substr(X'010203', -2, 1), lpad(X'01', 3, X'FF'), rpad(X'0102', 1, X'FF'), rpad(X'01', 4, X'AABB'), substr(to_utf8('héllo'), 2, 2)
----
2 | 0201 | 0203 | 02 | ffff01 | 01 | 01aabbaa | c3a9

SELECT length(substr(X'010203', 0)), length(substr(X'010203', 5)), length(substr(X'010203', -5)), length(substr(X'0102', 1, 0)), length(CAST(NULL AS VARBINARY))
----
0 | 0 | 0 | 0 | NULL

# The same names of varchar, unchanged.
SELECT length('héllo'), substr('abc', 2), substr('abcdef', -3, 2), reverse('abc'), lpad('x', 4, 'ab'), rpad('x', 3, 'y'), substring('abcdef' FROM 2 FOR 3)
----
5 | bc | de | cba | abax | xyy | bcd

# https://trino.io/docs/current/functions/datetime.html: from_unixtime is a
# timestamp with time zone, in the session's zone (UTC) or the one given,
# by name or by an offset of hours and minutes.
SELECT from_unixtime(0), from_unixtime(0, 'America/New_York'), from_unixtime(0, 2, 30), from_unixtime(0, -5, 30), from_unixtime(1.5)
----
1970-01-01 00:00:00.000 UTC | 1969-12-31 19:00:00.000 America/New_York | 1970-01-01 02:30:00.000 +02:30 | 1969-12-31 19:30:00.000 -04:30 | 1970-01-01 00:00:01.500 UTC

SELECT hour(from_unixtime(0, 'Asia/Tokyo')), to_unixtime(from_unixtime(7, 'Asia/Tokyo')), date_format(from_unixtime(1700000000), '%Y-%m-%d %H:%i'), CAST(from_unixtime(1700000000) AS DATE), date_trunc('day', from_unixtime(1700000000)), from_unixtime(1700000000) > TIMESTAMP '2023-01-01 00:00:00'
----
9 | 7.0 | 2023-11-14 22:13 | 2023-11-14 | 2023-11-14 00:00:00.000 UTC | true

# A correlated column and an output alias as the argument (their types are
# known only when the query is bound).
SELECT x, (SELECT length(t.x)), (SELECT substr(t.x, 2)) FROM (VALUES 'abc') t(x)
----
abc | 3 | bc

SELECT x AS k FROM (VALUES 'abc', 'a') t(x) ORDER BY length(k)
----
a
abc

SELECT (SELECT cosine_similarity(t.a, t.a)) FROM (VALUES (ARRAY[1.0, 2.0])) t(a)
----
1.0

# from_unixtime with an offset keeps its zone through a CTE: compared as
# the instant it is.
WITH c AS (SELECT from_unixtime(x, 9, 0) AS t FROM (VALUES 0, 3600) v(x)) SELECT t FROM c WHERE t > from_unixtime(0)
----
1970-01-01 10:00:00.000 +09:00

SELECT CAST(from_unixtime(1700000000.5) AS VARCHAR), CAST(from_unixtime(NULL) AS VARCHAR)
----
2023-11-14 22:13:20.500 UTC | NULL

# Timestamps with time zone as text: the wall-clock time in the value's
# zone, milliseconds, the zone as Trino names it.
SELECT CAST(from_iso8601_timestamp('2023-11-14T22:13:20.5Z') AS VARCHAR), CAST(from_iso8601_timestamp('2023-11-14T22:13:20.5+05:30') AS VARCHAR)
----
2023-11-14 22:13:20.500 UTC | 2023-11-14 22:13:20.500 +05:30

# A literal keeps its own digits of a second (Trino's timestamp(p)); a zone
# of offset zero is UTC.
SELECT CAST(TIMESTAMP '2023-11-14 22:13:20.5 America/New_York' AS VARCHAR), CAST(from_unixtime(1700000000.5) AT TIME ZONE 'America/New_York' AS VARCHAR)
----
2023-11-14 22:13:20.5 America/New_York | 2023-11-14 17:13:20.500 America/New_York

SELECT CAST(TIMESTAMP '2020-06-10 15:55:23.383345' AS VARCHAR), CAST(TIMESTAMP '2023-11-14 22:13:20' AS VARCHAR), CAST(TIMESTAMP '2023-11-14 22:13:20.500' AS VARCHAR), CAST(TIMESTAMP '2023-11-14 22:13:20.10' AS VARCHAR)
----
2020-06-10 15:55:23.383345 | 2023-11-14 22:13:20 | 2023-11-14 22:13:20.500 | 2023-11-14 22:13:20.10

SELECT CAST(TIMESTAMP '2023-11-14 22:13:20 +00:00' AS VARCHAR), CAST(from_iso8601_timestamp('2023-11-14T22:13:20+00:00') AS VARCHAR), CAST(from_unixtime(0, 0, 0) AS VARCHAR)
----
2023-11-14 22:13:20 UTC | 2023-11-14 22:13:20.000 UTC | 1970-01-01 00:00:00.000 UTC

# A zone read from a column is left out, as when results print (a query
# grouped by the call could not read the column): the instant in UTC.
SELECT CAST(from_iso8601_timestamp(s) AS VARCHAR), count(*) FROM (VALUES '2023-01-01T00:00:00+05:30') v(s) GROUP BY from_iso8601_timestamp(s)
----
2022-12-31 18:30:00.000 UTC | 1

SELECT CAST(from_unixtime(1700000000.5, 'Asia/Kolkata') AS VARCHAR), CAST(from_unixtime(1700000000.5, 5, 30) AS VARCHAR), length(CAST(current_timestamp AS VARCHAR))
----
2023-11-15 03:43:20.500 Asia/Kolkata | 2023-11-15 03:43:20.500 +05:30 | 27

# A timestamp (Trino's timestamp(3)) as text keeps its milliseconds, as
# does a column of one; other values cast as before.
SELECT CAST(date_parse('2023-11-14 22:13:20', '%Y-%m-%d %H:%i:%s') AS VARCHAR), CAST(date_parse(NULL, '%Y') AS VARCHAR), CAST(1 + 2 AS VARCHAR), CAST(upper('a') AS VARCHAR)
----
2023-11-14 22:13:20.000 | NULL | 3 | A

SELECT CAST(t AS VARCHAR), CAST(n AS VARCHAR) FROM (VALUES (date_parse('2023-11-14 22:13:20.25', '%Y-%m-%d %H:%i:%s.%f'), 1.5), (NULL, NULL)) v(t, n)
----
2023-11-14 22:13:20.250 | 1.5
NULL | NULL

# Java's conversions of an instant and its zone (java.util.Formatter's
# answers for a ZonedDateTime): %tZ the zone's short name, %tz its offset,
# %tc the whole, %ts and %tQ the epoch in seconds and milliseconds.
SELECT format('%1$tZ|%1$tz|%1$tc|%1$ts|%1$tQ|%1$tC|%1$TZ|%1$Tc', from_unixtime(1700000000.5))
----
UTC|+0000|Tue Nov 14 22:13:20 UTC 2023|1700000000|1700000000500|20|UTC|TUE NOV 14 22:13:20 UTC 2023

SELECT format('%1$tZ|%1$tz|%1$tc', from_unixtime(1700000000.5, 'America/New_York')), format('%1$tZ|%1$tz', TIMESTAMP '2023-07-01 08:00:00 America/New_York')
----
EST|-0500|Tue Nov 14 17:13:20 EST 2023 | EDT|-0400

SELECT format('%1$tZ|%1$tz|%1$tc', from_unixtime(1700000000.5, 'Asia/Kolkata')), format('%1$tZ|%1$tz', from_iso8601_timestamp('2023-11-14T22:13:20.5+05:30'))
----
IST|+0530|Wed Nov 15 03:43:20 IST 2023 | +05:30|+0530

# Before the epoch the seconds and milliseconds round down; the century
# of a date; NULL prints as null.
SELECT format('%ts|%tQ', from_unixtime(-1.5), from_unixtime(-1.5)), format('%tC', DATE '1999-01-01'), format('%tz|%tY|%TB', from_unixtime(NULL), CAST(NULL AS DATE), CAST(NULL AS DATE))
----
-2|-1500 | 19 | null|null|NULL

# Java names a zone as it is named today, whatever the tz database called
# it then; zone names in any case; a zone of offset zero is UTC; the year
# of %tc has four digits, the century of %tC as many as it needs.
SELECT format('%1$tZ %1$tc', from_unixtime(-5000000000, 'America/New_York')), format('%tZ', from_unixtime(1700000000, 'america/new_york')), format('%1$tZ %1$tc', from_unixtime(0, 0, 0))
----
EST Tue Jul 23 10:10:38 EST 1811 | EST | UTC Thu Jan 01 00:00:00 UTC 1970

SELECT format('%1$tc', from_unixtime(-60000000000)), format('%tC', DATE '12345-01-01'), format('%1$tZ|%1$tz', from_unixtime(1700000000, 'Australia/Sydney'))
----
Mon Sep 03 13:20:00 UTC 0068 | 123 | AEDT|+1100

# A zone read from a column is written too, outside a grouped select; UTC's
# other names are UTC.
SELECT CAST(x AT TIME ZONE z AS VARCHAR), CAST(from_iso8601_timestamp(s) AS VARCHAR) FROM (VALUES (TIMESTAMP '2020-01-01 00:00:00', 'Asia/Tokyo', '2020-01-01T00:00:00+05:30')) t(x, z, s)
----
2020-01-01 09:00:00.000 Asia/Tokyo | 2020-01-01 00:00:00.000 +05:30

SELECT CAST(TIMESTAMP '2020-01-01 00:00:00 GMT' AS VARCHAR), format('%tZ', from_unixtime(0, 'Etc/UTC'))
----
2020-01-01 00:00:00 UTC | UTC

# Dublin's summer is daylight time to Java (IST), its winter standard time
# (GMT), the other way round from the tz database.
SELECT format('%tZ|%tZ|%tZ', from_unixtime(-299851200, 'Europe/Dublin'), from_unixtime(-315619200, 'Europe/Dublin'), from_unixtime(1690000000, 'Europe/Dublin'))
----
IST|GMT|IST

SELECT format('%tZ|%tC|%TZ', NULL, NULL, NULL)
----
null|null|NULL

# An offset may be written against the time.
SELECT TIMESTAMP '2020-01-01 00:00:00+05:30', CAST(TIMESTAMP '2020-01-01 00:00:00+05:30' AS VARCHAR), to_unixtime(TIMESTAMP '2020-01-01 00:00:00+05:30')
----
2020-01-01 00:00:00.000 +05:30 | 2020-01-01 00:00:00 +05:30 | 1.577817E9

# A literal moved into a zone keeps its precision.
SELECT CAST(TIMESTAMP '2020-01-01 00:00:00' AT TIME ZONE 'Asia/Tokyo' AS VARCHAR), CAST(TIMESTAMP '2020-01-01 00:00:00.123456 UTC' AT TIME ZONE 'Asia/Tokyo' AS VARCHAR), CAST(with_timezone(TIMESTAMP '2020-01-01 00:00:00.12', 'Asia/Tokyo') AS VARCHAR)
----
2020-01-01 09:00:00 Asia/Tokyo | 2020-01-01 09:00:00.123456 Asia/Tokyo | 2020-01-01 00:00:00.12 Asia/Tokyo
