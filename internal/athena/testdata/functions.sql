# Trino (Athena) functions and the answers Athena gives. Each case is a
# query, a line "----", and the expected rows, one per line, values
# separated by " | ", NULL for null. Blank lines separate cases.

SELECT 7 / 2, 7 % 2, 7 / 2.0
----
3 | 1 | 3.5

SELECT CAST(2 AS DOUBLE), CAST(1e10 AS DOUBLE), CAST(0.0001 AS DOUBLE), CAST(1.5 AS DOUBLE), 1.5
----
2.0 | 1.0E10 | 1.0E-4 | 1.5 | 1.5

# approx_distinct estimates, as Athena's does.
SELECT approx_distinct(x) BETWEEN 9 AND 11 FROM range(10) t(x)
----
true

SELECT approx_percentile(x, 0.5) FROM (VALUES (1), (2), (3), (4), (5)) t(x)
----
3

SELECT element_at(ARRAY[1, 2, 3], 2), element_at(ARRAY[1, 2, 3], -1), element_at(MAP(ARRAY['a', 'b'], ARRAY[1, 2]), 'b')
----
2 | 3 | 2

SELECT cardinality(ARRAY[1, 2, 3])
----
3

SELECT transform(ARRAY[1, 2, 3], x -> x * 2), filter(ARRAY[1, 2, 3, 4], x -> x % 2 = 0)
----
[2, 4, 6] | [2, 4]

SELECT reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s)
----
75

SELECT array_join(ARRAY['a', 'b', 'c'], '-'), split('a,b,c', ','), array_max(ARRAY[1, 5, 2]), contains(ARRAY[1, 2], 2)
----
a-b-c | [a, b, c] | 5 | true

SELECT regexp_like('1a 2b 14m', '\d+b'), regexp_extract('1a 2b 14m', '\d+')
----
true | 1

SELECT json_extract_scalar('{"a": {"b": "x"}}', '$.a.b')
----
x

SELECT try_cast('x' AS INTEGER), try(CAST('y' AS INTEGER))
----
NULL | NULL

SELECT map_agg(k, v) FROM (VALUES ('a', 1), ('b', 2)) t(k, v)
----
{a=1, b=2}

SELECT histogram(x) FROM (VALUES ('a'), ('a'), ('b')) t(x)
----
{a=2, b=1}

SELECT from_unixtime(1700000000), to_unixtime(TIMESTAMP '2023-11-14 22:13:20')
----
2023-11-14 22:13:20.000 UTC | 1.7E9

SELECT from_iso8601_date('2023-11-14'), date_add('day', 3, DATE '2024-01-30'), date_diff('day', DATE '2024-01-01', DATE '2024-03-01')
----
2023-11-14 | 2024-02-02 | 60

SELECT date_parse('2024/03/01 10:20', '%Y/%m/%d %H:%i'), date_format(TIMESTAMP '2024-03-01 10:20:30', '%Y-%m-%d %H:%i:%s')
----
2024-03-01 10:20:00.000 | 2024-03-01 10:20:30

SELECT date_format(TIMESTAMP '2024-03-01 09:05:00', '%M %e, %Y %l:%i %p')
----
March 1, 2024 9:05 AM

SELECT format_datetime(TIMESTAMP '2024-03-01 10:20:30', 'yyyy/MM/dd HH:mm:ss'), parse_datetime('2024-03-01 10:20', 'yyyy-MM-dd HH:mm')
----
2024/03/01 10:20:30 | 2024-03-01 10:20:00.000 UTC

# parse_datetime's answer is a timestamp with time zone, the session's (UTC).
SELECT typeof(parse_datetime('2024-03-01 10:20', 'yyyy-MM-dd HH:mm')), CAST(parse_datetime('2024-03-01', 'yyyy-MM-dd') AS VARCHAR), parse_datetime('2024-03-01', 'yyyy-MM-dd') < TIMESTAMP '2024-03-01 00:00:01', format_datetime(parse_datetime('2024-03-01 10:20', 'yyyy-MM-dd HH:mm'), 'HH:mm')
----
timestamp(3) with time zone | 2024-03-01 00:00:00.000 UTC | true | 10:20

# Literals with an exponent are doubles, as in Trino.
SELECT 1e10, 2.5E-4, typeof(1e10)
----
1.0E10 | 2.5E-4 | double

# timestamp with time zone prints its zone, as in Athena.
SELECT from_iso8601_timestamp('2023-11-14T22:13:20Z')
----
2023-11-14 22:13:20.000 UTC

# timestamp(9) with time zone keeps its nanoseconds: printed, cast to
# varchar, through to_unixtime (as far as a double does) and to_iso8601.
SELECT from_unixtime_nanos(1700000000123456789), typeof(from_unixtime_nanos(1700000000123456789)), to_unixtime(from_unixtime_nanos(1700000000123456789))
----
2023-11-14 22:13:20.123456789 UTC | timestamp(9) with time zone | 1.7000000001234567E9

SELECT from_iso8601_timestamp_nanos('2020-05-11T11:15:05.123456789+02:00'), from_iso8601_timestamp_nanos('2020-05-11T11:15:05.1Z'), from_iso8601_timestamp_nanos(NULL)
----
2020-05-11 11:15:05.123456789 +02:00 | 2020-05-11 11:15:05.100000000 UTC | NULL

SELECT CAST(from_iso8601_timestamp_nanos('2020-05-11T11:15:05.123456789-08:00') AS VARCHAR), to_iso8601(from_iso8601_timestamp_nanos('2020-05-11T11:15:05.123456789-08:00')), to_iso8601(from_unixtime_nanos(5))
----
2020-05-11 11:15:05.123456789 -08:00 | 2020-05-11T11:15:05.123456789-08:00 | 1970-01-01T00:00:00.000000005Z

SELECT day_of_week(DATE '2024-03-01'), day_of_year(DATE '2024-03-01'), last_day_of_month(DATE '2024-02-10')
----
5 | 61 | 2024-02-29

SELECT sequence(1, 5), slice(ARRAY[1, 2, 3, 4], 2, 2)
----
[1, 2, 3, 4, 5] | [2, 3]

SELECT codepoint('A'), url_extract_host('https://example.com/a?b=1'), url_extract_path('https://example.com/a/b?c=1')
----
65 | example.com | /a/b

SELECT date_trunc('month', DATE '2024-03-15'), year(DATE '2024-03-15'), month(DATE '2024-03-15')
----
2024-03-01 | 2024 | 3

SELECT count_if(x > 1), arbitrary(x) IS NOT NULL, bool_and(x >= 0), max_by(x, -x) FROM range(3) t(x)
----
1 | true | true | 0

WITH t(a, b) AS (VALUES (1, 'x'), (2, NULL)) SELECT a, b, coalesce(b, 'none') FROM t ORDER BY a
----
1 | x | x
2 | NULL | none

# SQL/JSON path functions beyond the documentation's examples.
SELECT json_query('{"z":1,"a":{"b":[1,2]}}', 'lax $')
----
{"z":1,"a":{"b":[1,2]}}

SELECT json_query('[1,[2,3]]', 'lax $[1]' WITH CONDITIONAL ARRAY WRAPPER)
----
[2,3]

SELECT json_query('[1,[2,3]]', 'lax $[0]' WITH CONDITIONAL ARRAY WRAPPER)
----
[1]

SELECT json_query('{"a":[1,2,3]}', 'lax $.a[1 to last]' WITH ARRAY WRAPPER)
----
[2,3]

SELECT json_query('{"a":[{"b":1},{"b":"x"}]}', 'lax $.a.b' WITH ARRAY WRAPPER)
----
[1,"x"]

SELECT json_value('{"a":[1,2]}', 'lax $.a.size()'), json_value('{"a":"x"}', 'lax $.a.type()'), json_value('{"a":2}', 'lax $.a * 10 + 1')
----
2 | string | 21

SELECT json_exists('{"a":"hello"}', 'lax $.a ? (@ starts with "he")'), json_exists('{"a":"hello"}', 'lax $ ? (@.a like_regex "^h.*o$")'), json_exists('{"a":[1,2]}', 'strict $.a[5]')
----
true | true | false

SELECT json_value('{"a":2}', 'strict $.b'), json_value(NULL, 'lax $.a'), json_value('{"a":300}', 'lax $.a' RETURNING tinyint), json_value('{"a":"x"}', 'lax $.b' DEFAULT 0 ON EMPTY)
----
NULL | NULL | NULL | 0

SELECT json_value('{"a":"x"}', 'lax $.b' DEFAULT 1.5 ON EMPTY), json_value('{"a":"x"}', 'lax $.b' DEFAULT 'a' || 'b' ON EMPTY), json_value('{"a":"12"}', 'lax $.a' RETURNING integer), json_value('{"a":1.5}', 'lax $.a' RETURNING integer)
----
1.5 | ab | 12 | 2

SELECT json_value(json_query('{"a":{"b":7}}' FORMAT JSON, 'lax $.a'), 'lax $.b' RETURNING bigint), json_exists('[{"a":1},{"b":2}]', 'lax $[*]?(!exists(@.a))'), json_value('{"d":"oops"}', 'lax $.d' RETURNING date DEFAULT DATE '2000-01-01' ON ERROR)
----
7 | true | 2000-01-01

SELECT json_exists('{"a":[1,5,9]}', 'lax $.a[*]?(@ > $lo && @ < $hi)' PASSING 4 AS lo, 6 AS "hi"), json_value('{"a":{"k":"v"}}', 'lax $.a ? (@.k == $want).k' PASSING 'v' AS want), json_query('{"a":[1,2]}', 'lax $.a[$i]' PASSING 1 AS i)
----
true | v | 2

# typeof spells types as Trino does.
SELECT typeof(CAST(ROW(1, 2.5) AS ROW(a INTEGER, "b c" DECIMAL(3,1)))), typeof(ARRAY[ARRAY[1E0]])
----
row(a integer, "b c" decimal(3,1)) | array(array(double))

SELECT typeof(CAST(NULL AS JSON)), typeof(NULL), typeof(REAL '1.5'), typeof(X'00'), typeof(current_date), typeof(INTERVAL '1' DAY), typeof(TIMESTAMP '2020-01-01 00:00:00')
----
json | unknown | real | varbinary | date | interval day to second | timestamp(0)

# format_number: three significant digits, rounded half up; a double is cut to an integer first.
SELECT format_number(-1234), format_number(999), format_number(12345.6E0), format_number(1999999), format_number(9223372036854775807)
----
-1.23K | 999 | 12.3K | 2M | 9223Q

SELECT combinations(ARRAY[1, 2, 3, 4], 3), combinations(ARRAY[1, 2], 3), combinations(ARRAY['a'], 1)
----
[[1, 2, 3], [1, 2, 4], [1, 3, 4], [2, 3, 4]] | [] | [[a]]

SELECT from_iso8601_date('2020'), from_iso8601_date('2020-05'), from_iso8601_date('2020-W53-7'), from_iso8601_date('2021-W01-1'), from_iso8601_date('2020-366')
----
2020-01-01 | 2020-05-01 | 2021-01-03 | 2021-01-04 | 2020-12-31

SELECT soundex('Robert'), soundex('Rupert'), soundex('Tymczak'), soundex('Pfister'), soundex('Ashcraft'), soundex('O''Hara')
----
R163 | R163 | T522 | P236 | A261 | O600

SELECT ARRAY['a'] || 'b', parse_duration('1.5h'), regexp_position('äöü 12 34', '\d+', 1, 2), regexp_position('äöü 12 34', '\d+', 6, 1)
----
[a, b] | 0 01:30:00.000 | 8 | 6

# json_array and json_object, nested, over rows, with duplicate keys kept in order (WITHOUT UNIQUE KEYS).
SELECT json_object('a' : json_array(1, json_object(KEY 'b' VALUE NULL ABSENT ON NULL)), 'a' : 'x''y' WITHOUT UNIQUE KEYS)
----
{"a":[1,{}],"a":"x'y"}

SELECT json_object(k : v), json_array(v, NULL, 2 NULL ON NULL RETURNING VARCHAR) FROM (VALUES ('p', 1), ('q', NULL)) t(k, v) ORDER BY k
----
{"p":1} | [1,null,2]
{"q":null} | [null,null,2]

SELECT json_array('{"a" : [1,  2]}' FORMAT JSON, '{"a" : [1,  2]}', json_query('[3]', 'lax $[0]'))
----
[{"a":[1,2]},"{\"a\" : [1,  2]}",3]

# array_sort with a comparator (stable), map_zip_with, reduce_agg (NULLs skipped), format with %s of any type, rows of unnamed fields.
SELECT array_sort(ARRAY[3, 2, 5, 1, 2], (x, y) -> IF(x < y, 1, IF(x = y, 0, -1)))
----
[5, 3, 2, 2, 1]

SELECT array_sort(ARRAY['a', 'abcd', 'abc'], (x, y) -> IF(length(x) < length(y), -1, IF(length(x) = length(y), 0, 1)))
----
[a, abc, abcd]

SELECT map_zip_with(MAP(ARRAY[1, 2, 3], ARRAY['a', 'b', 'c']), MAP(ARRAY[1, 2, 3], ARRAY['d', 'e', 'f']), (k, v1, v2) -> concat(v1, v2))
----
{1=ad, 2=be, 3=cf}

SELECT reduce_agg(value, 0, (a, b) -> a + b, (a, b) -> a + b) sum_values FROM (VALUES (1), (2), (3), (4), (5), (NULL)) AS t(value)
----
15

SELECT format('%s%%', 123), format('%2$s %3$s %1$s', 'a', 2, 3.5E0), format('%d-%s', 5, DATE '2020-01-02')
----
123% | 2 3.5 a | 5-2020-01-02

SELECT COALESCE(CAST(ROW(1, NULL) AS ROW(integer, integer)), ROW(1, 2)), CAST(ROW(1, 'a') AS ROW(integer, x varchar))
----
{field0=1, field1=null} | {field0=1, x=a}

SELECT array_sort(ARRAY[ROW(2, 'b'), ROW(1, 'z'), ROW(2, 'a')], (p, q) -> IF(p.field0 < q.field0, -1, IF(p.field0 = q.field0, 0, 1))), array_sort(ARRAY[]::INTEGER[], (x, y) -> 0), array_sort(NULL::INTEGER[], (x, y) -> 0)
----
[{field0=1, field1=z}, {field0=2, field1=b}, {field0=2, field1=a}] | [] | NULL

# Timestamps with a time zone: inside a query, wall-clock time in the zone; in the result, with the zone.
SELECT TIMESTAMP '2012-10-31 01:00:00' AT TIME ZONE 'America/Los_Angeles'
----
2012-10-30 18:00:00.000 America/Los_Angeles

SELECT hour(TIMESTAMP '2012-10-31 01:00:00' AT TIME ZONE 'America/Los_Angeles')
----
18

SELECT from_iso8601_timestamp('2020-05-11T11:15:05.055+01:00') AT TIME ZONE 'UTC'
----
2020-05-11 10:15:05.055 UTC

SELECT date_format(TIMESTAMP '2012-10-31 01:00:00' AT TIME ZONE 'America/Los_Angeles', '%Y-%m-%d %H:%i')
----
2012-10-30 18:00

SELECT CAST(TIMESTAMP '2012-10-31 01:00:00' AT TIME ZONE 'America/Los_Angeles' AS TIMESTAMP)
----
2012-10-30 18:00:00.000

SELECT current_timezone()
----
UTC

SELECT t AT TIME ZONE 'Asia/Tokyo' AS tokyo, count(*) FROM (VALUES TIMESTAMP '2020-01-01 20:00:00', TIMESTAMP '2020-01-01 20:00:00', NULL) v(t) GROUP BY 1 ORDER BY 1
----
2020-01-02 05:00:00.000 Asia/Tokyo | 2
NULL | 1

SELECT with_timezone(TIMESTAMP '2022-11-01 09:08:07.321', 'America/Los_Angeles'), at_timezone(TIMESTAMP '2022-11-01 09:08:07.321', '+05:30'), to_unixtime(TIMESTAMP '1970-01-01 01:00:00' AT TIME ZONE 'Europe/Paris')
----
2022-11-01 09:08:07.321 America/Los_Angeles | 2022-11-01 14:38:07.321 +05:30 | 3600.0

SELECT day(t AT TIME ZONE 'Pacific/Kiritimati'), CAST(t AT TIME ZONE 'America/New_York' AS date) FROM (VALUES TIMESTAMP '2020-01-01 20:00:00') v(t)
----
2 | 2020-01-01

SELECT * FROM (SELECT TIMESTAMP '2020-01-01 20:00:00' AT TIME ZONE 'Asia/Tokyo' AS t)
----
2020-01-02 05:00:00.000

SELECT TIME '12:00:00+09:00', TIME '01:02:03.456 -05:30', typeof(TIME '12:00:00+09:00')
----
12:00:00.000+09:00 | 01:02:03.456-05:30 | time(3) with time zone

# Zoned values in grouped and DISTINCT queries, to_unixtime of with_timezone, zero offsets named UTC, dates with a zone.
SELECT ts AT TIME ZONE tz, count(*) FROM (VALUES (TIMESTAMP '2020-01-01 20:00:00', 'Asia/Tokyo')) t(ts, tz) GROUP BY ts AT TIME ZONE tz
----
2020-01-02 05:00:00.000 | 1

SELECT from_iso8601_timestamp(s), count(*) FROM (VALUES '2020-05-11T11:15:05.055+01:00') t(s) GROUP BY from_iso8601_timestamp(s)
----
2020-05-11 10:15:05.055 UTC | 1

SELECT DISTINCT ts AT TIME ZONE 'Asia/Tokyo' FROM (VALUES TIMESTAMP '2020-01-01 20:00:00') t(ts) ORDER BY ts AT TIME ZONE 'Asia/Tokyo'
----
2020-01-02 05:00:00.000

SELECT ts AT TIME ZONE 'Asia/Tokyo', count(*) FROM (VALUES TIMESTAMP '2020-01-01 20:00:00') t(ts) GROUP BY ts AT TIME ZONE 'Asia/Tokyo'
----
2020-01-02 05:00:00.000 Asia/Tokyo | 1

SELECT to_unixtime(with_timezone(TIMESTAMP '2020-01-01 00:00:00', 'America/New_York')), to_unixtime(with_timezone(TIMESTAMP '2020-01-01 00:00:00', '+05:30')), sign(2.5), timezone(TIMESTAMP '2020-01-01 00:00:00' AT TIME ZONE '+00:00')
----
1.5778548E9 | 1.577817E9 | 1 | UTC

SELECT TIMESTAMP '2020-01-01 Europe/Paris', from_iso8601_timestamp('2020-05-11T11:15:05+00:00'), map_zip_with(NULL, MAP(ARRAY[1], ARRAY[2]), (k, a, b) -> b)
----
2020-01-01 00:00:00.000 Europe/Paris | 2020-05-11 11:15:05.000 UTC | NULL

SELECT typeof(CAST(ROW(1) AS ROW(DECIMAL(3,1))))
----
row(decimal(3,1))

# An anonymous row names no fields; fields named out of order are named.
SELECT typeof(ROW(1, 2.0)), typeof(CAST(ROW(1, 2) AS ROW(x BIGINT, y INTEGER))), typeof(ARRAY[ROW(1, 'a')]), typeof(CAST(ROW(1, 2) AS ROW(field1 INTEGER, field0 INTEGER)))
----
row(integer, decimal(2,1)) | row(x bigint, y integer) | array(row(integer, varchar)) | row(field1 integer, field0 integer)

# regexp_replace with a function of each match's groups.
SELECT regexp_replace('new york', '(\w)(\w*)', x -> upper(x[1]) || lower(x[2]))
----
New York

SELECT regexp_replace('once upon a time ...', '^(\w)(\w*)(\s+.*)$', x -> upper(x[1]) || x[2] || x[3])
----
Once upon a time ...

SELECT regexp_replace('a1b22c', '\d+', x -> '#'), regexp_replace('abc', 'z', x -> 'y'), regexp_replace(NULL, 'z', x -> 'y'), regexp_replace('a-b', '(?:-)(x)?', x -> coalesce(x[1], '+'))
----
a#b#c | abc | NULL | a+b

# A zero offset is the zone UTC, however the zone was given.
SELECT TIMESTAMP '2020-01-01 00:00:00' AT TIME ZONE '+00:00', timezone(TIMESTAMP '2020-01-01 00:00:00 -00:00'), TIMESTAMP '2020-01-01 01:00:00 +00:00'
----
2020-01-01 00:00:00.000 UTC | UTC | 2020-01-01 01:00:00.000 UTC

# Trino's varbinary functions, with the vectors of Trino's own tests
# (TestVarbinaryFunctions); Trino's concat is its || operator.
SELECT to_hex(murmur3(CAST('hashme' AS VARBINARY))), to_hex(murmur3(CAST('' AS VARBINARY)))
----
93192FE805BE23041C8318F67EC4F2BC | 00000000000000000000000000000000

SELECT to_hex(xxhash64(CAST('hashme' AS VARBINARY))), to_hex(xxhash64(CAST('' AS VARBINARY)))
----
F9D96E0E1165E892 | EF46DB3751D8E999

SELECT to_hex(spooky_hash_v2_32(CAST('hello' AS VARBINARY))), to_hex(spooky_hash_v2_64(CAST('hello' AS VARBINARY)))
----
D382E6CA | 3768826AD382E6CA

SELECT crc32(to_utf8('CRC me!')), crc32(to_utf8('ABCDEFGHIJKLM'))
----
38028046 | 4223167559

SELECT to_hex(hmac_sha256(CAST('hashme' AS VARBINARY), CAST('key' AS VARBINARY)))
----
D3D72F9FACDE059DA3A4EB43A9ABDD4B35118E0FEF00E6D16FB04BB332AF0484

SELECT to_hex(hmac_md5(CAST('hashme' AS VARBINARY), CAST('key' AS VARBINARY))), to_hex(hmac_sha1(CAST('hashme' AS VARBINARY), CAST('key' AS VARBINARY)))
----
0A26EBEB0E7B65F528D96F7BC631BC8F | 2E7C4C6AEFA7E69F106EEE3CE21944D0046D2F3D

SELECT to_base64url(CAST('hello world' AS VARBINARY)), from_utf8(from_base64url('aGVsbG8gd29ybGQ='))
----
aGVsbG8gd29ybGQ= | hello world

SELECT to_hex(to_big_endian_64(-9223372036854775807)), from_big_endian_64(from_hex('8000000000000001'))
----
8000000000000001 | -9223372036854775807

SELECT to_hex(to_big_endian_32(-2147483647)), from_big_endian_32(from_hex('80000001'))
----
80000001 | -2147483647

SELECT to_hex(to_ieee754_64(3.1415926)), from_ieee754_64(from_hex('3FF0000000000000'))
----
400921FB4D12D84A | 1.0

SELECT to_hex(to_ieee754_32(CAST(3.14 AS REAL))), from_ieee754_32(from_hex('3F800000'))
----
4048F5C3 | 1.0

SELECT to_hex(X'58' || X'F7'), to_hex(CONCAT(X'CAFFEE', X'F7', X'DE58'))
----
58F7 | CAFFEEF7DE58

SELECT murmur3(X''), from_big_endian_64(to_big_endian_64(NULL)), typeof(xxhash64(X'00')), typeof(crc32(X'00')), typeof(from_ieee754_32(X'3F800000'))
----
00000000000000000000000000000000 | NULL | varbinary | bigint | real

SELECT to_hex(from_hex('617a6F')), to_base64(CAST('hello world' AS VARBINARY)), from_utf8(from_base64('aGVsbG8gd29ybGQ='))
----
617A6F | aGVsbG8gd29ybGQ= | hello world

SELECT to_hex(sha512(CAST('hashme' AS VARBINARY)))
----
8A4B59FB9188D09B989FF596AC9CEFBF2ED91DED8DCD9498E8BF2236814A92B23BE6867E7FC340880E514F8FDF97E1F147EA4B0FD6C2DA3557D0CF1C0B58A204

SELECT to_hex(md5(CAST('hashme' AS VARBINARY))), to_hex(sha1(CAST('' AS VARBINARY)))
----
533F6357E0210E67D91F651BC49E1278 | DA39A3EE5E6B4B0D3255BFEF95601890AFD80709

SELECT concat('a', NULL), concat(ARRAY[1], ARRAY[2]), 'a' || NULL, concat('a', 'b', 'c')
----
NULL | [1, 2] | NULL | abc

# reduce with a state of another type than the elements (a fold over {s, x} pairs),
# an output function, a NULL array, a column as the initial state, nesting.
SELECT reduce(ARRAY[2147483647, 1], BIGINT '0', (s, x) -> s + x, s -> s)
----
2147483648

SELECT reduce(ARRAY[5, 20, 50], 0, (s, x) -> s + x, s -> s * 2)
----
150

SELECT reduce(ARRAY['a', 'bb'], 0, (s, x) -> s + length(x), s -> s)
----
3

SELECT reduce(CAST(NULL AS ARRAY(INTEGER)), 0, (s, x) -> s + x, s -> s)
----
NULL

SELECT reduce(ARRAY[1, 2], 0.5E0, (s, x) -> s * x, s -> CAST(s AS VARCHAR))
----
1.0

SELECT reduce(ARRAY[1, 2, 3], CAST(ARRAY[] AS ARRAY(INTEGER)), (s, x) -> concat(ARRAY[x], s), s -> s)
----
[3, 2, 1]

SELECT reduce(ARRAY[], CAST(ROW(0.0, 0) AS ROW(sum DOUBLE, count INTEGER)), (s, x) -> s, s -> s.count)
----
0

SELECT k, reduce(v, k, (s, x) -> s * 10 + x, s -> s) FROM (VALUES (1, ARRAY[2, 3]), (4, NULL), (5, ARRAY[])) AS t(k, v) ORDER BY k
----
1 | 123
4 | NULL
5 | 5

SELECT reduce(ARRAY[ARRAY[1, 2], ARRAY[3]], 0, (s, x) -> s + reduce(x, 0, (a, b) -> a + b, a -> a), s -> s)
----
6

SELECT reduce(ARRAY['x', 'yy'], '', (s, x) -> s || upper(x), s -> length(s))
----
3

# reduce nested in another reduce's lambdas or in a map function's (each rewrite names its own
# lambda parameters), a state widened to what the step makes of it, a subquery as the initial state.
SELECT reduce(ARRAY[1, 2], 0, (s, x) -> s + reduce(ARRAY[10, 20], 0, (a, b) -> a + x, a -> a), s -> s)
----
6

SELECT reduce(ARRAY[1, 2], 100, (s, x) -> reduce(ARRAY[7], 0, (a, b) -> s, a -> a) + x, s -> s)
----
103

SELECT reduce(ARRAY[1], 0, (s, x) -> s + x, s -> reduce(ARRAY[5], 0, (a, b) -> a + b, a -> a + s))
----
6

SELECT reduce(ARRAY[1, 2], 0, (s, x) -> s + reduce(ARRAY[10], x, (a, b) -> a + b, a -> a), s -> s)
----
23

SELECT transform_values(MAP(ARRAY['a'], ARRAY[1]), (k, v) -> reduce(ARRAY[10, 20], v, (s, x) -> s + x, s -> s))
----
{a=31}

SELECT zip_with(ARRAY[1, 2], ARRAY[3, 4], (p, q) -> reduce(ARRAY[10], 0, (s, x) -> s + x + p, s -> s))
----
[11, 12]

SELECT map_filter(MAP(ARRAY['a', 'b'], ARRAY[1, 5]), (k, v) -> reduce(ARRAY[1, 2], 0, (s, x) -> s + x, s -> s) > v)
----
{a=1}

SELECT reduce(ARRAY[0.4, 0.4], 0, (s, x) -> s + x, s -> s), reduce(ARRAY[1.4E0, 1.4E0], 0, (s, x) -> s + x, s -> s)
----
0.8 | 2.8

SELECT reduce(ARRAY [123456789012345, NULL, 54321], 0, (s, x) -> s + coalesce(x, 0), s -> s)
----
123456789066666

SELECT reduce(ARRAY[1, 2], (SELECT 10), (s, x) -> s + x, s -> s)
----
13

# A JSON column of a subquery or CTE casts to VARCHAR and to rows as Trino casts JSON; a column of
# another type casts as it always did (the engine keeps one of the two casts when it binds).
SELECT CAST(j AS ROW(a INTEGER)), json_format(j), CAST(s AS VARCHAR), CAST(n AS VARCHAR) FROM (SELECT json_parse('{"A": 1, "b": 2}') AS j, json_parse('"abc"') AS s, 5 AS n)
----
{a=1} | {"A":1,"b":2} | abc | 5

WITH e AS (SELECT id, json_parse(p) AS payload FROM (VALUES (1, '{"items": [{"SKU": "a", "extra": 1}]}'), (2, '{"items": [["b"]]}')) AS t(id, p))
SELECT id, item.sku FROM e CROSS JOIN UNNEST(CAST(json_extract(payload, '$.items') AS ARRAY(ROW(sku VARCHAR)))) AS u(item) ORDER BY id
----
1 | a
2 | b

SELECT TRY_CAST(j AS ROW(a INTEGER)) AS r FROM (SELECT json_parse('[1, 2]') AS j)
----
NULL

SELECT CAST(r AS ROW(x BIGINT)) AS c, CAST(d AS VARCHAR) AS v FROM (SELECT CAST(ROW(1) AS ROW(x INTEGER)) AS r, DATE '2020-01-02' AS d)
----
{x=1} | 2020-01-02

# json_parse and JSON '...' write the document in Trino's canonical form: keys sorted (the last of a
# duplicate key), numbers with a fraction or an exponent as Java doubles, integers as written.
SELECT json_parse('{"b": 1, "a": {"d": 1.10, "c": [1e2, -0, 1e10, "x\ty"]}}')
----
{"a":{"c":[100.0,0,1.0E10,"x\ty"],"d":1.1},"b":1}

SELECT json_parse('{"a": 1, "b": 2}') = json_parse('{"b": 2, "a": 1}'), JSON '{"z": 1, "a": 2}', json_parse('{"a": 1, "a": 2}')
----
true | {"a":2,"z":1} | {"a":2}

SELECT json_parse('null'), json_parse('"abc"'), json_parse('123456789012345678901234567890'), json_parse(NULL)
----
null | "abc" | 123456789012345678901234567890 | NULL

SELECT CAST(json_parse('{"B": 1, "a": 2}') AS ROW(a INTEGER, b INTEGER)), json_extract(json_parse('{"b": [1, 2], "a": 0}'), '$.b[1]')
----
{a=2, b=1} | 2

# format's date and time conversions (%tX, upper case with %TX, %<tX for the last argument again),
# with Java's argument indexing: an ordinary index counts on past explicit ones.
SELECT format('%s at %tR on %<tF (%<Ta %<tp)', 'launch', TIMESTAMP '2020-03-05 14:07:09.123'), format('%tL|%<tH|%<tk|%<tI|%<tl|%<tj|%<tm|%<ty|%<tb|%<Tb', TIMESTAMP '2020-03-05 04:07:09.123')
----
launch at 14:07 on 2020-03-05 (THU pm) | 123|04|4|04|4|065|03|20|Mar|MAR

SELECT format('%-12tA|%2$s|%s', DATE '2020-01-01', 'x'), format('%tD %<tT %<tr', TIMESTAMP '2021-12-31 23:59:58')
----
Wednesday   |x|x | 12/31/21 23:59:58 11:59:58 PM

# A subquery's or CTE's column that is a value moved into a constant zone: the filters over it compare
# instants, and the outermost select prints it with its zone (qualified names where a source is a table).
WITH e AS (SELECT id, ts AT TIME ZONE 'America/New_York' AS lt FROM (VALUES (1, TIMESTAMP '2020-01-01 04:00:00'), (2, TIMESTAMP '2020-01-01 06:00:00')) AS t(id, ts))
SELECT id, lt FROM e WHERE lt > TIMESTAMP '2020-01-01 05:00:00 UTC' ORDER BY id
----
2 | 2020-01-01 01:00:00.000 America/New_York

SELECT x.id, x.lt AS local_time FROM (SELECT id, with_timezone(ts, '+02:00') AS lt FROM (VALUES (1, TIMESTAMP '2020-01-01 04:00:00')) AS t(id, ts)) AS x WHERE x.lt = TIMESTAMP '2020-01-01 02:00:00 UTC'
----
1 | 2020-01-01 04:00:00.000 +02:00

WITH a AS (SELECT ts AT TIME ZONE 'Asia/Tokyo' AS lt FROM (VALUES TIMESTAMP '2020-01-01 00:00:00') AS t(ts)), b AS (SELECT lt FROM a)
SELECT lt, hour(lt) FROM b WHERE lt BETWEEN TIMESTAMP '2019-12-31 23:00:00 UTC' AND TIMESTAMP '2020-01-01 01:00:00 UTC'
----
2020-01-01 09:00:00.000 Asia/Tokyo | 9

WITH e AS (SELECT ts AT TIME ZONE 'America/New_York' AS lt FROM (VALUES TIMESTAMP '2020-01-01 04:00:00') AS t(ts))
SELECT count(*) FROM e JOIN (VALUES 1) AS v(k) ON e.lt < TIMESTAMP '2020-01-01 04:30:00 UTC'
----
1

SELECT e.lt FROM (SELECT ts AT TIME ZONE 'America/New_York' AS lt FROM (VALUES TIMESTAMP '2020-01-01 04:00:00') AS t(ts)) AS e, (SELECT TIMESTAMP '2020-01-01 00:00:00' AS lt) AS f WHERE e.lt < TIMESTAMP '2020-01-01 04:30:00 UTC'
----
2019-12-31 23:00:00.000 America/New_York

WITH e(k, loc) AS (SELECT id, ts AT TIME ZONE 'Europe/Paris' FROM (VALUES (1, TIMESTAMP '2020-06-01 10:00:00'), (2, TIMESTAMP '2020-06-01 10:00:00')) AS t(id, ts))
SELECT loc, count(*) AS n FROM e WHERE loc = TIMESTAMP '2020-06-01 10:00:00 UTC' GROUP BY loc
----
2020-06-01 12:00:00.000 Europe/Paris | 2

# The same reduce in the select list, GROUP BY and HAVING is one expression; JSON to VARCHAR is a scalar's
# value, NULL for JSON null, and for an object or array an error (TRY_CAST: NULL).
SELECT reduce(a, 0, (s, x) -> s + x, s -> s) AS r, count(*) FROM (VALUES (ARRAY[1,2]), (ARRAY[3])) t(a) GROUP BY reduce(a, 0, (s, x) -> s + x, s -> s) HAVING reduce(a, 0, (s, x) -> s + x, s -> s) > 0
----
3 | 2

SELECT CAST(s AS VARCHAR), TRY_CAST(j AS VARCHAR), CAST(json_parse('1.5') AS VARCHAR), CAST(json_parse('null') AS VARCHAR), TRY_CAST(json_parse('[1]') AS VARCHAR) FROM (SELECT json_parse('{"A": 1}') AS j, json_parse('"x"') AS s)
----
x | NULL | 1.5 | NULL | NULL

# Zones are not followed through a * renamed by column aliases nor through a CTE name a nested WITH
# reuses; format's %T upper-cases, an argument may serve %s and %t, a zoned value formats in its zone.
WITH a AS (SELECT ts AT TIME ZONE 'America/New_York' AS lt, ts FROM (VALUES TIMESTAMP '2020-01-01 04:00:00') t(ts)), b(p,q,r) AS (SELECT *, lt FROM a) SELECT q, count(*) FROM b WHERE q = TIMESTAMP '2020-01-01 04:00:00' GROUP BY q
----
2020-01-01 04:00:00.000 | 1

WITH e AS (SELECT TIMESTAMP '2020-01-01 04:00:00' AT TIME ZONE 'Asia/Tokyo' AS lt) SELECT (WITH e AS (SELECT TIMESTAMP '2020-01-01 04:00:00' AS lt) SELECT count(*) FROM e WHERE lt = TIMESTAMP '2020-01-01 04:00:00')
----
1

SELECT format('%tI %<Tp', TIMESTAMP '2020-01-01 15:00:00'), format('%tY %<s', DATE '2020-01-01'), format('%1$s|%1$tY', DATE '2020-01-01')
----
03 PM | 2020 2020-01-01 | 2020-01-01|2020

SELECT format('%tH', TIMESTAMP '2020-01-01 10:00:00 America/New_York'), format('%tH:%<tM', from_iso8601_timestamp('2020-01-01T10:00:00-05:00')), format('%tH', TIMESTAMP '2020-01-01 10:00:00' AT TIME ZONE 'Asia/Tokyo')
----
10 | 10:00 | 19

# A column that is an array of JSON casts to an array of rows as Trino casts JSON.
SELECT CAST(j AS ARRAY(ROW(a INTEGER))), CAST(k AS ARRAY(ROW(a DOUBLE))) FROM (SELECT CAST(json_parse('[{"A":1}, null]') AS ARRAY(JSON)) AS j, json_parse('[{"a": 1e10}]') AS k)
----
[{a=1}, null] | [{a=1.0E10}]

# format prints a NULL argument of %s as null, as Java does, and mixes ordinary and explicit indexes.
SELECT format('%s|%s|%1$s', NULL, 'x'), format('%s and %tY', CAST(NULL AS VARCHAR), DATE '2020-01-01')
----
null|x|null | null and 2020
