package athena

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// Athena speaks Trino's SQL; the engine is DuckDB. Most of the two
// dialects agree; the functions that differ are renamed in the syntax
// tree, rewritten (date formats, which Trino writes MySQL- and Joda-style),
// or defined as macros in the engine (macros prefixed lakebox_ stand in
// where a DuckDB name already means something else).

// macros are created once per engine.
var macros = []string{
	"CREATE OR REPLACE MACRO lakebox_element_at(c, k) AS c[k]",
	// Trino's subscript fails where the engine's is NULL: an array's index
	// out of its bounds (the engine counts a negative one from the end), a
	// map's key it lacks. c is written once on the common path (the
	// engine does not share an expression between a CASE's branches, and
	// nested subscripts multiply its copies); only a NULL element, or a
	// negative index, is looked into, through the collection's JSON, which
	// the engine makes of an array and a map alike (it binds every branch
	// whatever the type).
	"CREATE OR REPLACE MACRO lakebox_subscript(c, k) AS coalesce(" +
		"CASE WHEN NOT starts_with(CAST(k AS VARCHAR), '-') THEN c[k] END, " +
		"CASE WHEN lakebox_subscript_ok(CAST(to_json(c) AS VARCHAR), CAST(k AS VARCHAR)) THEN c[k] END)",
	"CREATE OR REPLACE MACRO lakebox_date_add(unit, n, x) AS x + (CAST(n AS VARCHAR) || ' ' || unit)::INTERVAL",
	"CREATE OR REPLACE MACRO lakebox_slice(a, start, n) AS list_slice(a, start, start + n - 1)",
	"CREATE OR REPLACE MACRO map_agg(k, v) AS map(list(k), list(v))",
	// The zone of an offset of hours and minutes, as Trino's
	// from_unixtime(x, hours, minutes) makes it: +hh:mm of the total.
	"CREATE OR REPLACE MACRO lakebox_offset_zone(h, m) AS CASE WHEN h * 60 + m < 0 THEN '-' ELSE '+' END || " +
		"printf('%02d:%02d', abs(h * 60 + m) // 60, abs(h * 60 + m) % 60)",
	// An instant (timestamp with time zone), printed in the session's zone, UTC.
	"CREATE OR REPLACE MACRO from_unixtime(x) AS to_timestamp(x)",
	"CREATE OR REPLACE MACRO to_unixtime(x) AS epoch(x)",
	// to_unixtime of a nanosecond function's value keeps its nanoseconds,
	// as far as a double does.
	"CREATE OR REPLACE MACRO lakebox_unixtime_ns(x) AS epoch_ns(x) / 1e9",
	"CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)",
	// A timestamp rounded to the millisecond, half up, as Trino reads a
	// finer one into timestamp(3) (date_trunc floors, before 1970 too).
	"CREATE OR REPLACE MACRO lakebox_millis(t) AS date_trunc('millisecond', t + INTERVAL 500 MICROSECOND)",
	// Trino's timestamp(9) with time zone: the instant as a TIMESTAMP_NS in
	// UTC, the engine's TIMESTAMPTZ keeping microseconds only; the select
	// list pairs it with its zone (zonedColumns).
	"CREATE OR REPLACE MACRO from_unixtime_nanos(x) AS make_timestamp_ns(CAST(x AS BIGINT))",
	"CREATE OR REPLACE MACRO from_iso8601_timestamp_nanos(s) AS CAST(s AS TIMESTAMP_NS)",
	// The wall-clock time in zone z (an offset or UTC, as ISO 8601 strings
	// give) of instant t, to the nanosecond.
	"CREATE OR REPLACE MACRO lakebox_at_offset_ns(z, t) AS make_timestamp_ns(epoch_ns(t) + coalesce(CAST(epoch(lakebox_offset(z)) AS BIGINT), 0) * 1000000000)",
	"CREATE OR REPLACE MACRO from_iso8601_date(s) AS CAST(lakebox_iso8601_date(s) AS DATE)",
	"CREATE OR REPLACE MACRO to_utf8(s) AS encode(s)",
	"CREATE OR REPLACE MACRO from_utf8(b) AS decode(b)",
	"CREATE OR REPLACE MACRO url_extract_host(u) AS regexp_extract(u, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/:?#]+)', 1)",
	"CREATE OR REPLACE MACRO url_extract_path(u) AS regexp_extract(u, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*([^?#]*)', 1)",
	"CREATE OR REPLACE MACRO url_extract_protocol(u) AS nullif(regexp_extract(u, '^([a-zA-Z][a-zA-Z0-9+.-]*):', 1), '')",
	"CREATE OR REPLACE MACRO url_extract_port(u) AS TRY_CAST(nullif(regexp_extract(u, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*:([0-9]+)', 1), '') AS BIGINT)",
	"CREATE OR REPLACE MACRO url_extract_query(u) AS CASE WHEN strpos(u, '?') > 0 THEN regexp_extract(u, '[?]([^#]*)', 1) END",
	"CREATE OR REPLACE MACRO url_extract_fragment(u) AS CASE WHEN strpos(u, '#') > 0 THEN regexp_extract(u, '#(.*)$', 1) END",
	"CREATE OR REPLACE MACRO url_extract_parameter(u, name) AS CASE WHEN regexp_matches(u, '[?&]' || name || '(=|&|#|$)') THEN regexp_extract(u, '[?&]' || name || '=([^&#]*)', 1) END",
	// Java's URLEncoder: space as +, '*' kept, '~' escaped.
	"CREATE OR REPLACE MACRO lakebox_url_encode(s) AS replace(replace(replace(url_encode(s), '%20', '+'), '%2A', '*'), '~', '%7E')",
	"CREATE OR REPLACE MACRO lakebox_array_distinct(a) AS list_filter(a, (e, i) -> list_position(a, e) = i)",
	"CREATE OR REPLACE MACRO lakebox_array_remove(a, v) AS list_filter(a, e -> e IS DISTINCT FROM v)",
	"CREATE OR REPLACE MACRO lakebox_json_format(j) AS CAST(j AS VARCHAR)",
	"CREATE OR REPLACE MACRO lakebox_json_size(j, p) AS CASE json_type(j, p) WHEN 'ARRAY' THEN json_array_length(j, p) WHEN 'OBJECT' THEN len(json_keys(j, p)) ELSE 0 END",
	"CREATE OR REPLACE MACRO lakebox_json_array_get(j, i) AS json_extract(j, CASE WHEN i >= 0 THEN '$[' || i || ']' ELSE '$[#' || i || ']' END)",
	"CREATE OR REPLACE MACRO lakebox_bitwise_and(a, b) AS a & b",
	"CREATE OR REPLACE MACRO lakebox_bitwise_or(a, b) AS a | b",
	"CREATE OR REPLACE MACRO lakebox_bitwise_xor(a, b) AS xor(a, b)",
	"CREATE OR REPLACE MACRO lakebox_bitwise_not(a) AS ~a",
	"CREATE OR REPLACE MACRO lakebox_infinity() AS CAST('Infinity' AS DOUBLE)",
	"CREATE OR REPLACE MACRO lakebox_nan() AS CAST('NaN' AS DOUBLE)",
	"CREATE OR REPLACE MACRO regexp_count(s, p) AS len(regexp_extract_all(s, p))",
	// Luhn's check digit: from the right, every second digit doubled (its
	// digits summed), the whole a multiple of 10.
	"CREATE OR REPLACE MACRO luhn_check(s) AS list_sum(list_transform(list_transform(string_split(reverse(s), ''), c -> CAST(c AS INTEGER)), (d, i) -> CASE WHEN i % 2 = 0 THEN (d * 2) // 10 + (d * 2) % 10 ELSE d END)) % 10 = 0",
	"CREATE OR REPLACE MACRO human_readable_seconds(x) AS CASE WHEN x IS NOT NULL THEN coalesce(nullif(array_to_string(list_transform(list_filter([" +
		"{'n': CAST(floor(x / 604800) AS BIGINT), 'u': 'week'}, {'n': CAST(floor(x % 604800 / 86400) AS BIGINT), 'u': 'day'}, " +
		"{'n': CAST(floor(x % 86400 / 3600) AS BIGINT), 'u': 'hour'}, {'n': CAST(floor(x % 3600 / 60) AS BIGINT), 'u': 'minute'}, " +
		"{'n': CAST(floor(x % 60) AS BIGINT), 'u': 'second'}], e -> e.n > 0), e -> e.n || ' ' || e.u || CASE WHEN e.n = 1 THEN '' ELSE 's' END), ', '), ''), '0 seconds') END",
	// A size with a unit (B, kB, MB ... YB, powers of 1024), in bytes.
	"CREATE OR REPLACE MACRO parse_data_size(s) AS CAST(floor(CAST(regexp_extract(s, '^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kMGTPEZY]?B)\\s*$', 1) AS DECIMAL(38, 10)) * " +
		"pow(1024, list_position(['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'], regexp_extract(s, '^\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kMGTPEZY]?B)\\s*$', 2)) - 1)) AS DECIMAL(38, 0))",
	"CREATE OR REPLACE MACRO array_histogram(a) AS map_from_entries(list_transform(lakebox_array_distinct(list_filter(a, x -> x IS NOT NULL)), v -> {'k': v, 'v': CAST(len(list_filter(a, x -> x = v)) AS BIGINT)}))",
	"CREATE OR REPLACE MACRO euclidean_distance(a, b) AS list_distance(CAST(a AS DOUBLE[]), CAST(b AS DOUBLE[]))",
	"CREATE OR REPLACE MACRO dot_product(a, b) AS list_dot_product(CAST(a AS DOUBLE[]), CAST(b AS DOUBLE[]))",
	// length of varbinary counts bytes, of varchar characters; Trino has
	// no other (the engine would count a number's digits). Not overloads by
	// type: a macro's overload is chosen before a correlated column or an
	// output alias has a type. typeof folds to a constant, so one branch runs.
	"CREATE OR REPLACE MACRO lakebox_length(x) AS CASE WHEN typeof(x) = 'BLOB' THEN octet_length(CAST(x AS BLOB)) " +
		"WHEN typeof(x) IN ('VARCHAR', '\"NULL\"', 'JSON', 'UUID') THEN length(CAST(x AS VARCHAR)) " + // JSON, UUID: a struct field declared string that a file types so
		"ELSE CAST(error('FUNCTION_NOT_FOUND: Unexpected parameters (' || lakebox_typeof(typeof(x)) || ') for function length. " +
		"Expected: length(char(x)), length(varchar(x)), length(varbinary)') AS BIGINT) END",
	// Of arrays (dense vectors); of maps (sparse ones, Athena's documented
	// form) the translation calls lakebox_map_cosine when an argument is
	// visibly a map. A map with a NULL value has no norm (NULL), as in Trino.
	"CREATE OR REPLACE MACRO lakebox_map_norm(m) AS CASE WHEN len(list_filter(map_values(m), v -> v IS NULL)) = 0 " +
		"THEN sqrt(coalesce(list_sum(list_transform(map_values(m), v -> v * v)), 0)) END",
	// An empty map's norm is 0: 0 / 0 is NaN in Trino, NULL in the engine.
	"CREATE OR REPLACE MACRO lakebox_map_cosine(a, b) AS CASE WHEN lakebox_map_norm(a) * lakebox_map_norm(b) = 0 THEN CAST('NaN' AS DOUBLE) " +
		"ELSE coalesce(list_sum(list_transform(map_keys(a), k -> a[k] * coalesce(b[k], 0))), 0) / (lakebox_map_norm(a) * lakebox_map_norm(b)) END",
	"CREATE OR REPLACE MACRO cosine_similarity(a, b) AS list_cosine_similarity(CAST(a AS DOUBLE[]), CAST(b AS DOUBLE[]))",
	"CREATE OR REPLACE MACRO cosine_distance(a, b) AS 1 - list_cosine_similarity(CAST(a AS DOUBLE[]), CAST(b AS DOUBLE[]))",
	"CREATE OR REPLACE MACRO is_json_scalar(j) AS json_type(json(j)) NOT IN ('OBJECT', 'ARRAY')",
	"CREATE OR REPLACE MACRO json_array_contains(j, v) AS list_contains(list_transform(CAST(json(j) AS JSON[]), e -> json_extract_string(e, '$')), CAST(v AS VARCHAR))",
	"CREATE OR REPLACE MACRO lakebox_any_match(a, r) AS CASE WHEN a IS NULL THEN NULL WHEN list_contains(r, true) THEN true WHEN list_count(r) < len(r) THEN NULL ELSE false END",
	"CREATE OR REPLACE MACRO lakebox_all_match(a, r) AS CASE WHEN a IS NULL THEN NULL WHEN list_contains(r, false) THEN false WHEN list_count(r) < len(r) THEN NULL ELSE true END",
	"CREATE OR REPLACE MACRO lakebox_none_match(a, r) AS CASE WHEN a IS NULL THEN NULL WHEN list_contains(r, true) THEN false WHEN list_count(r) < len(r) THEN NULL ELSE true END",
	// zip_with's positions: NULL when either array is.
	"CREATE OR REPLACE MACRO lakebox_zip_length(a, b) AS CASE WHEN a IS NOT NULL AND b IS NOT NULL THEN greatest(len(a), len(b)) END",
	"CREATE OR REPLACE MACRO lakebox_bitwise_left_shift(a, n) AS a << n",
	"CREATE OR REPLACE MACRO lakebox_bitwise_right_shift(a, n) AS a >> n",
	// Trino's greatest and least are NULL when any argument is.
	"CREATE OR REPLACE MACRO lakebox_greatest(l) AS CASE WHEN len(l) = list_count(l) THEN list_max(l) END",
	"CREATE OR REPLACE MACRO lakebox_least(l) AS CASE WHEN len(l) = list_count(l) THEN list_min(l) END",
	// Past the last field Trino's split_part is NULL, not ''.
	"CREATE OR REPLACE MACRO lakebox_split_part(s, d, i) AS CASE WHEN i <= len(string_split(s, d)) THEN split_part(s, d, i) END",
	// Trino's array_position is 0 for an element not there.
	"CREATE OR REPLACE MACRO lakebox_array_position(a, v) AS CASE WHEN a IS NOT NULL THEN coalesce(list_position(a, v), 0) END",
	"CREATE OR REPLACE MACRO lakebox_trim_array(a, n) AS list_slice(a, 1, len(a) - n)",
	"CREATE OR REPLACE MACRO lakebox_ngrams(a, n) AS CASE WHEN len(a) <= n THEN [a] ELSE list_transform(generate_series(1, len(a) - n + 1), i -> list_slice(a, i, i + n - 1)) END",
	// Trino's sign keeps its argument's type (a double's is -1.0); the
	// branch never taken types the CASE.
	"CREATE OR REPLACE MACRO lakebox_sign(x) AS CASE WHEN false THEN x ELSE sign(x) END",
	// NULL, not false, when nothing matches and either array has a NULL.
	"CREATE OR REPLACE MACRO lakebox_arrays_overlap(a, b) AS CASE WHEN a IS NULL OR b IS NULL THEN NULL WHEN list_has_any(a, b) THEN true WHEN list_count(a) < len(a) OR list_count(b) < len(b) THEN NULL ELSE false END",
	"CREATE OR REPLACE MACRO lakebox_bitwise_right_shift_arithmetic(a, n) AS CASE WHEN n >= 64 THEN CASE WHEN a < 0 THEN -1 ELSE 0 END ELSE CAST(a AS BIGINT) >> n END",
	// The set bits of x as a bits-wide two's complement integer: a
	// negative x has 64 - bits more in 64 bits.
	"CREATE OR REPLACE MACRO lakebox_bit_count(x, bits) AS CASE WHEN bits < 2 OR bits > 64 THEN error('Bits specified in bit_count must be between 2 and 64, got ' || bits) " +
		"WHEN x < -pow(2, bits - 1) OR x >= pow(2, bits - 1) THEN error('Number must be representable with the bits specified. ' || x || ' cannot be represented with ' || bits || ' bits') " +
		"ELSE CAST(bit_count(CAST(x AS BIGINT)) - CASE WHEN x < 0 THEN 64 - bits ELSE 0 END AS BIGINT) END",
	"CREATE OR REPLACE MACRO lakebox_overlay(s, r, f, n) AS substring(s, 1, f - 1) || r || substring(s, f + n)",
	// A key's values in the order of the entries.
	"CREATE OR REPLACE MACRO multimap_from_entries(a) AS map_from_entries(list_transform(lakebox_array_distinct(list_transform(a, e -> struct_extract_at(e, 1))), " +
		"k -> {'key': k, 'value': list_transform(list_filter(a, e -> struct_extract_at(e, 1) IS NOT DISTINCT FROM k), e -> struct_extract_at(e, 2))}))",
	"CREATE OR REPLACE MACRO lakebox_combinations1(a) AS list_transform(a, x -> [x])",
	"CREATE OR REPLACE MACRO lakebox_if_both(a, b, r) AS CASE WHEN a IS NOT NULL AND b IS NOT NULL THEN r END",
	"CREATE OR REPLACE MACRO lakebox_if_present(a, r) AS CASE WHEN a IS NOT NULL THEN r END",
	"CREATE OR REPLACE MACRO lakebox_json_varchar(j) AS CASE WHEN json_type(j) IN ('OBJECT', 'ARRAY') " +
		"THEN error('Cannot cast ''' || CAST(j AS VARCHAR) || ''' to varchar') ELSE json_extract_string(j, '$') END",
	"CREATE OR REPLACE MACRO lakebox_json_try_varchar(j) AS CASE WHEN json_type(j) NOT IN ('OBJECT', 'ARRAY') THEN json_extract_string(j, '$') END",
	// j if v is JSON, else other: typeof is known when binding, so the engine keeps one of the two.
	"CREATE OR REPLACE MACRO lakebox_if_json(v, j, other) AS CASE WHEN typeof(v) = 'JSON' THEN j ELSE other END",
	// CAST(v AS varchar) as Trino writes it: a timestamp of any precision
	// (Trino's timestamp(3), as Athena reads every file's, nanoseconds too)
	// with milliseconds, an instant (timestamp with time zone, in the
	// session's zone) with milliseconds and UTC. The detour through text
	// lets every branch bind whatever v's type. (The nanosecond functions'
	// values are cast in translateCast.)
	"CREATE OR REPLACE MACRO lakebox_varchar(v) AS CASE " +
		"WHEN typeof(v) IN ('TIMESTAMP', 'TIMESTAMP_MS', 'TIMESTAMP_S', 'TIMESTAMP_NS') THEN strftime(CAST(CAST(v AS VARCHAR) AS TIMESTAMP), '" + trinoTimestampText + "') " +
		"WHEN typeof(v) = 'TIMESTAMP WITH TIME ZONE' THEN strftime(CAST(CAST(v AS VARCHAR) AS TIMESTAMPTZ), '" + trinoTimestampText + "') || ' UTC' " +
		"ELSE CAST(v AS VARCHAR) END",
	"CREATE OR REPLACE MACRO lakebox_if_json_or_array(v, j, other) AS CASE WHEN typeof(v) IN ('JSON', 'JSON[]') THEN j ELSE other END",
	"CREATE OR REPLACE MACRO lakebox_widened(t, v) AS CASE WHEN false THEN t ELSE v END", // v, of the type it shares with t
	// Piece i of regexp_replace with a function, and the replacement of the
	// match after it (none after the last piece).
	"CREATE OR REPLACE MACRO lakebox_piece(pieces, i, repl) AS pieces[i] || CASE WHEN i < len(pieces) THEN coalesce(repl, '') ELSE '' END",
	"CREATE OR REPLACE MACRO current_timezone() AS 'UTC'", // sessions run in UTC, as Athena's do
	// The zone of an instant: the session's; a time with time zone keeps
	// its offset (the engine prints +09 or +05:30).
	"CREATE OR REPLACE MACRO lakebox_session_zone(t) AS CASE WHEN typeof(t) = 'TIME WITH TIME ZONE' THEN " +
		"rpad(regexp_extract(CAST(t AS VARCHAR), '([+-][0-9:]+)$', 1), 6, ':00') WHEN t IS NOT NULL THEN 'UTC' END",
	// The wall-clock time of instant t in zone z, a name or, as Trino also
	// takes, an offset (+05:30), which the engine's zones do not include.
	"CREATE OR REPLACE MACRO lakebox_offset(z) AS CASE WHEN regexp_full_match(z, '[+-][0-9]{2}:[0-9]{2}') " +
		"THEN to_minutes(CAST(CASE WHEN z[1] = '-' THEN -1 ELSE 1 END * (CAST(z[2:3] AS INTEGER) * 60 + CAST(z[5:6] AS INTEGER)) AS BIGINT)) END",
	"CREATE OR REPLACE MACRO lakebox_at_zone(z, t) AS CASE WHEN lakebox_offset(z) IS NOT NULL THEN timezone('UTC', t) + lakebox_offset(z) " +
		"ELSE timezone(CASE WHEN lakebox_offset(z) IS NOT NULL THEN 'UTC' ELSE z END, t) END",
	// The instant whose wall-clock time in zone z is ts.
	"CREATE OR REPLACE MACRO lakebox_from_zone(z, ts) AS CASE WHEN lakebox_offset(z) IS NOT NULL THEN CAST(ts - lakebox_offset(z) AS TIMESTAMPTZ) " +
		"ELSE timezone(CASE WHEN lakebox_offset(z) IS NOT NULL THEN 'UTC' ELSE z END, CAST(ts AS TIMESTAMP)) END",
	// The name Trino gives a zone: UTC for a zero offset.
	// The zone Trino names UTC: an offset of zero and UTC's other names.
	"CREATE OR REPLACE MACRO lakebox_zone_name(z) AS CASE WHEN upper(z) IN ('+00:00', '-00:00', 'UTC', 'Z', 'UT', 'UCT', 'GMT', 'GMT0', " +
		"'GMT+0', 'GMT-0', 'GREENWICH', 'UNIVERSAL', 'ZULU', 'ETC/UTC', 'ETC/UT', 'ETC/UCT', 'ETC/GMT', 'ETC/GMT0', 'ETC/GMT+0', 'ETC/GMT-0', " +
		"'ETC/GREENWICH', 'ETC/UNIVERSAL', 'ETC/ZULU') THEN 'UTC' ELSE z END",
	// with_timezone(ts, z): ts is the wall-clock time in z already (see
	// zonedColumns); timezone() only checks that z is a zone.
	"CREATE OR REPLACE MACRO lakebox_with_timezone(ts, z) AS CASE WHEN lakebox_at_zone(z, TIMESTAMPTZ '2000-01-01 00:00:00+00') IS NOT NULL THEN CAST(ts AS TIMESTAMP) END",
	// to_iso8601 of a value without a zone of its own.
	"CREATE OR REPLACE MACRO lakebox_to_iso8601(x) AS CASE typeof(x) WHEN 'DATE' THEN strftime(x, '%Y-%m-%d') " +
		"WHEN 'TIMESTAMP WITH TIME ZONE' THEN strftime(x, '%Y-%m-%dT%H:%M:%S.%g') || 'Z' ELSE strftime(x, '%Y-%m-%dT%H:%M:%S.%g') END",
	// to_iso8601 of a zoned value: wall-clock time local of instant, and
	// the offset between them (Z for none).
	"CREATE OR REPLACE MACRO lakebox_iso8601_zoned(local, instant) AS " +
		"CASE WHEN typeof(local) = 'TIMESTAMP_NS' THEN strftime(local, '%Y-%m-%dT%H:%M:%S.%n') ELSE strftime(local, '%Y-%m-%dT%H:%M:%S.%g') END || " +
		"lakebox_offset_text(CAST(round(epoch(local) - epoch(instant)) AS BIGINT))",
	"CREATE OR REPLACE MACRO lakebox_offset_text(d) AS CASE WHEN d = 0 THEN 'Z' ELSE CASE WHEN d < 0 THEN '-' ELSE '+' END || " +
		"lpad(CAST(abs(d) // 3600 AS VARCHAR), 2, '0') || ':' || lpad(CAST(abs(d) % 3600 // 60 AS VARCHAR), 2, '0') END",
	"CREATE OR REPLACE MACRO lakebox_comparator(c) AS CASE WHEN c IN (-1, 0, 1) THEN c ELSE error('Lambda comparator must return either -1, 0, or 1') END",
	combinations(2), combinations(3), combinations(4), combinations(5),
}

// renames maps Trino function names to the engine's.
var renames = map[string]string{
	"approx_distinct":                "approx_count_distinct",
	"approx_percentile":              "approx_quantile",
	"element_at":                     "lakebox_element_at",
	"length":                         "lakebox_length",
	"transform":                      "list_transform",
	"array_join":                     "array_to_string",
	"regexp_like":                    "regexp_matches",
	"json_extract_scalar":            "json_extract_string",
	"day_of_week":                    "isodow",
	"dow":                            "isodow",
	"day_of_year":                    "dayofyear",
	"doy":                            "dayofyear",
	"day_of_month":                   "dayofmonth",
	"last_day_of_month":              "last_day",
	"sequence":                       "generate_series",
	"slice":                          "lakebox_slice",
	"codepoint":                      "unicode",
	"rand":                           "random",
	"array_max":                      "list_max",
	"array_min":                      "list_min",
	"array_sum":                      "list_sum",
	"array_average":                  "list_avg",
	"arrays_overlap":                 "lakebox_arrays_overlap",
	"array_intersect":                "list_intersect",
	"array_union":                    "list_union", // DuckDB 1.5 name for distinct concatenation
	"array_except":                   "list_except",
	"cardinality":                    "len",
	"index":                          "strpos",
	"stddev":                         "stddev_samp",
	"regexp_split":                   "regexp_split_to_array",
	"truncate":                       "trunc",
	"levenshtein_distance":           "levenshtein",
	"hamming_distance":               "hamming",
	"format":                         "printf", // Java's format strings, which printf's are close to
	"is_nan":                         "isnan",
	"is_finite":                      "isfinite",
	"is_infinite":                    "isinf",
	"json_format":                    "lakebox_json_format",
	"json_size":                      "lakebox_json_size",
	"json_array_get":                 "lakebox_json_array_get",
	"bitwise_and":                    "lakebox_bitwise_and",
	"bitwise_or":                     "lakebox_bitwise_or",
	"bitwise_xor":                    "lakebox_bitwise_xor",
	"bitwise_not":                    "lakebox_bitwise_not",
	"array_remove":                   "lakebox_array_remove",
	"array_distinct":                 "lakebox_array_distinct", // in first-seen order, as Trino keeps it
	"url_encode":                     "lakebox_url_encode",
	"infinity":                       "lakebox_infinity",
	"nan":                            "lakebox_nan",
	"to_hex":                         "hex",
	"from_hex":                       "unhex",
	"bitwise_left_shift":             "lakebox_bitwise_left_shift",
	"bitwise_right_shift":            "lakebox_bitwise_right_shift",
	"bitwise_right_shift_arithmetic": "lakebox_bitwise_right_shift_arithmetic",
	"sign":                           "lakebox_sign",
	"split_part":                     "lakebox_split_part",
	"array_position":                 "lakebox_array_position",
	"trim_array":                     "lakebox_trim_array",
	"ngrams":                         "lakebox_ngrams",
}

// prepared creates the macros in an engine once.
type prepared struct {
	once sync.Once
	err  error
}

// prepare creates the macros in the engine once.
func (s *Service) prepare(ctx context.Context) error {
	// Not the query's context: a query stopped while the macros are made
	// must not leave the engine without them.
	ctx = context.WithoutCancel(ctx)
	s.macros.once.Do(func() {
		sess, err := s.engine.Session(ctx)
		if err != nil {
			s.macros.err = err
			return
		}
		defer sess.Close()
		if s.macros.err = s.udfs.register(sess); s.macros.err != nil {
			return
		}
		for _, m := range macros {
			if err := sess.Exec(ctx, m); err != nil {
				s.macros.err = err
				return
			}
		}
		s.macros.err = s.sqljson.register(sess)
	})
	return s.macros.err
}

// translateCast rewrites CAST(x AS JSON), which in Trino makes JSON of a
// value (a varchar becomes a JSON string), where the engine would parse
// a varchar.
func translateCast(n map[string]any, grouped bool) {
	t, _ := n["cast_type"].(map[string]any)
	if child, _ := n["child"].(map[string]any); t != nil && t["id"] == "VARCHAR" {
		if text, literal := timestampLiteralText(child); literal {
			if text != nil {
				replaceNode(n, text)
			}
			return
		}
		if local, zone := zonedText(child, grouped); local != nil {
			// A timestamp with time zone as text, as Trino writes one: its
			// wall-clock time there, with milliseconds (a literal's own
			// digits), and the zone's name.
			loc := n["query_location"]
			digits := 3
			if d, ok := literalDigits(child); ok {
				digits = d
			} else if zoneOfMoved(child) != nil {
				for _, a := range childrenOf(child) { // a literal moved into a zone keeps its precision
					if d, ok := literalDigits(a); ok {
						digits = d
					}
				}
			}
			var wall map[string]any
			if nanosZoned(child) {
				wall = call("strftime", loc, local, stringConstant("%Y-%m-%d %H:%M:%S.%n"))
			} else {
				wall = timestampText(loc, local, min(digits, 6)) // the engine keeps microseconds
			}
			// The operator: NULL of NULL, as concat is not.
			replaceNode(n, operator("||", loc, operator("||", loc, wall, stringConstant(" ")), zone))
			return
		}
	}
	if t != nil && t["id"] == "VARCHAR" {
		// JSON to varchar is the scalar's value in Trino ("abc", not
		// "\"abc\""; null is NULL), not the JSON text. A column may be
		// JSON or not: the engine keeps one of the two when it binds.
		// An object or an array does not cast (TRY_CAST: NULL).
		loc, child := n["query_location"], n["child"]
		scalar := "lakebox_json_varchar"
		if n["try_cast"] == true {
			scalar = "lakebox_json_try_varchar"
		}
		switch {
		case isJSON(child):
			replaceNode(n, call(scalar, loc, child))
			return
		case isColumn(child):
			asJSON := call(scalar, loc, castTo(deepCopy(child), "VARCHAR"))
			replaceNode(n, call("lakebox_if_json", loc, deepCopy(child), asJSON, call("lakebox_varchar", loc, deepCopy(child))))
			return
		case isFunctionOrCast(child):
			// Of a type known only once the engine binds it: a timestamp
			// is written with Trino's milliseconds.
			replaceNode(n, call("lakebox_varchar", loc, child))
			return
		}
	}
	if jsonRowsCast(n) {
		return
	}
	if !isJSONCast(n) || n["try_cast"] == true {
		return
	}
	child := n["child"]
	if isJSON(child) {
		return // JSON already
	}
	replaceNode(n, call("to_json", n["query_location"], child))
}

// trinoTimestampText is the strftime pattern of a timestamp(3) as text in
// Trino (CAST(x AS varchar)): milliseconds always, where the engine writes
// the fraction's digits up to the last that is not zero.
const trinoTimestampText = "%Y-%m-%d %H:%M:%S.%g"

// timestampLiteralText reports whether v is a TIMESTAMP literal and
// returns it as text with as many digits of a second as it has (Trino's
// timestamp(p)); nil for a precision the engine's strftime cannot write,
// whose cast the engine writes (the digits up to the last that is not zero).
func timestampLiteralText(v map[string]any) (text map[string]any, literal bool) {
	s, ok := timestampLiteral(v)
	if !ok {
		return nil, false
	}
	return timestampText(v["query_location"], v, fractionDigits(s)), true
}

// timestampLiteral returns the text of a TIMESTAMP literal: a cast of a
// string constant to TIMESTAMP, as the engine parses one.
func timestampLiteral(v any) (string, bool) {
	c, _ := v.(map[string]any)
	t, _ := c["cast_type"].(map[string]any)
	val, typ, ok := constantValue(c["child"])
	s, isString := val.(string)
	return s, c["class"] == "CAST" && t != nil && t["id"] == "TIMESTAMP" && ok && typ == "VARCHAR" && isString
}

// literalDigits returns the digits of a second of a timestamp literal
// (with a zone or not); ok is false for anything else.
func literalDigits(v any) (digits int, ok bool) {
	c, _ := v.(map[string]any)
	t, _ := c["cast_type"].(map[string]any)
	if c["class"] != "CAST" || t == nil || (t["id"] != "TIMESTAMP" && t["id"] != "TIMESTAMP WITH TIME ZONE") {
		return 0, false
	}
	val, typ, isConst := constantValue(c["child"])
	if !isConst {
		return literalDigits(c["child"]) // a literal the translation cast again
	}
	text, _ := val.(string)
	if typ != "VARCHAR" {
		return 0, false
	}
	return fractionDigits(text), true
}

// fractionDigits counts the digits of a second a timestamp literal has.
func fractionDigits(s string) int {
	digits := 0
	if i := strings.LastIndexByte(s, '.'); i >= 0 {
		for _, r := range s[i+1:] {
			if r < '0' || r > '9' {
				break
			}
			digits++
		}
	}
	return digits
}

// timestampText writes a timestamp with digits digits of a second, as
// Trino writes a timestamp(digits); nil beyond microseconds, which the
// engine's timestamps do not hold.
func timestampText(loc, ts any, digits int) map[string]any {
	switch {
	case digits == 0:
		return call("strftime", loc, ts, stringConstant("%Y-%m-%d %H:%M:%S"))
	case digits == 3:
		return call("strftime", loc, ts, stringConstant(trinoTimestampText))
	case digits <= 6: // "YYYY-MM-DD HH:MM:SS." and the digits
		return call("left", loc, call("strftime", loc, ts, stringConstant("%Y-%m-%d %H:%M:%S.%f")), constant("INTEGER", 20+digits))
	}
	return nil
}

// zonedText returns, for an expression that is visibly a timestamp with
// time zone, its wall-clock time in its zone and the zone's name as Trino
// writes it after the time (+00:00 is UTC); nil, nil for anything else. In
// a grouped select a zone that is not a constant is left out, as the
// printing of results leaves it (bind.go): read from the call's argument,
// it would make a query grouped by the call read an ungrouped column.
func zonedText(v map[string]any, grouped bool) (local, zone any) {
	local, _, zone = zonedParts(v)
	if _, _, constant := constantValue(zone); zone == nil || grouped && !constant {
		return nil, nil
	}
	return local, call("lakebox_zone_name", noLocation, zone)
}

// zonedParts returns, for an expression that is visibly a timestamp with
// time zone, its wall-clock time in its zone, its instant (nil when not
// known), and its zone before lakebox_zone_name: a literal's, an ISO 8601
// string's own offset (a constant when the string is), the zone a value
// was moved into, the session's for from_unixtime(x). nil for anything
// else.
func zonedParts(v map[string]any) (local, instant, zone any) {
	args := childrenOf(v)
	switch fn := stringOf(v["function_name"]); {
	case v["class"] == "FUNCTION" && (strings.EqualFold(fn, "from_unixtime") || fn == "from_unixtime_nanos") && len(args) == 1:
		return v, v, stringConstant("UTC")
	case v["class"] == "CAST" && literalZone(v) != "":
		zone = stringConstant(literalZone(v))
	case v["class"] == "FUNCTION" && (fn == "from_iso8601_timestamp" || fn == "from_iso8601_timestamp_nanos") && len(args) == 1:
		zone = call("lakebox_iso8601_zone", noLocation, deepCopy(args[0]))
		if val, typ, ok := constantValue(args[0]); ok && typ == "VARCHAR" {
			text, _ := val.(string)
			if z, err := iso8601Zone(text); err == nil {
				name, _ := z.(string)
				zone = stringConstant(name)
			}
		}
	default:
		if zone = zoneOfMoved(v); zone == nil {
			return nil, nil, nil
		}
		zone = deepCopy(zone)
	}
	if local, instant = zonedValue(v); local == nil {
		local = v // a moved value: its own wall-clock time
	}
	return local, instant, zone
}

// isFunctionOrCast reports whether an expression is a function call, an
// operator or a cast: something whose type the engine decides.
func isFunctionOrCast(v any) bool {
	c, _ := v.(map[string]any)
	switch c["class"] {
	case "FUNCTION", "CAST", "OPERATOR", "CASE", "SUBQUERY":
		return true
	}
	return false
}

// isJSONCast reports whether a cast node casts to JSON.
func isJSONCast(c map[string]any) bool {
	t, _ := c["cast_type"].(map[string]any)
	info, _ := t["type_info"].(map[string]any)
	return t["id"] == "UNBOUND" && strings.EqualFold(stringOf(info["name"]), "JSON")
}

// isJSON reports whether an expression is visibly of type JSON: a cast to
// it, or a call of a function that returns it.
func isJSON(v any) bool {
	c, ok := v.(map[string]any)
	if ok && c["class"] == "CAST" {
		return isJSONCast(c)
	}
	if !ok || c["class"] != "FUNCTION" {
		return false
	}
	switch stringOf(c["function_name"]) {
	case "json", "to_json", "json_extract", "lakebox_json_array_get":
		return true
	}
	return false
}

// translate rewrites Trino functions in a syntax tree for the engine,
// arguments first, so what a rewrite puts in place is not rewritten again.
func translate(root any) {
	ctes := cteQueries(root)
	// grouped tells whether the nearest enclosing select groups its rows:
	// there a cast may not read a column its grouping does not.
	var walk func(v any, grouped bool)
	walk = func(v any, grouped bool) {
		switch n := v.(type) {
		case map[string]any:
			if n["type"] == "SELECT_NODE" {
				groups, _ := n["group_expressions"].([]any)
				grouped = len(groups) > 0 || n["aggregate_handling"] == "FORCE_AGGREGATES"
			}
			for _, c := range n {
				walk(c, grouped)
			}
			switch n["class"] {
			case "FUNCTION":
				translateFunction(n)
			case "CAST":
				translateCast(n, grouped)
			case "OPERATOR":
				if args, _ := n["children"].([]any); n["type"] == "ARRAY_EXTRACT" && len(args) == 2 {
					replaceNode(n, call("lakebox_subscript", n["query_location"], args...))
				}
			}
			if n["type"] == "SELECT_NODE" {
				instantsInSelect(n, sourceZones(n, ctes))
			}
		case []any:
			for _, c := range n {
				walk(c, grouped)
			}
		}
	}
	walk(root, false)
}

func translateFunction(n map[string]any) {
	name, _ := n["function_name"].(string)
	args, _ := n["children"].([]any)
	switch strings.ToLower(name) {
	case "date_parse":
		if len(args) == 2 && convertFormat(args[1], mysqlFormat) {
			n["function_name"] = "strptime"
		}
		return
	case "date_format":
		if len(args) == 2 && convertFormat(args[1], mysqlFormat) {
			n["function_name"] = "strftime"
		}
		return
	case "parse_datetime":
		if len(args) == 2 && convertFormat(args[1], jodaFormat) {
			n["function_name"] = "strptime"
			// Trino's answer is a timestamp with time zone: without a zone
			// in the text, the session's, UTC. (With one, the engine keeps
			// the instant, in UTC, where Trino keeps the text's zone.)
			f, _, _ := constantValue(args[1])
			if format := fmt.Sprint(f); !strings.Contains(format, "%z") && !strings.Contains(format, "%Z") {
				inner, _ := deepCopy(n).(map[string]any)
				inner["alias"] = ""
				replaceNode(n, castTo(inner, "TIMESTAMP WITH TIME ZONE"))
			}
		}
		return
	case "format_datetime":
		if len(args) == 2 && convertFormat(args[1], jodaFormat) {
			n["function_name"] = "strftime"
		}
		return
	case "date_add":
		if len(args) == 3 {
			n["function_name"] = "lakebox_date_add"
			if isDate(args[2]) {
				asDate(n)
			}
		}
		return
	case "date_trunc":
		// On a date Trino returns a date; the engine, a timestamp.
		if len(args) == 2 && isDate(args[1]) {
			asDate(n)
		}
		return
	case "reduce":
		if len(args) == 4 {
			reduceWith(n, args[0], args[1], args[2], args[3])
		}
		return
	case "regexp_replace":
		// Trino replaces every match, refers to groups as $1, and may
		// leave the replacement out; the engine replaces every match only
		// with the 'g' option and refers to groups as \1.
		switch {
		case len(args) == 2:
			n["children"] = append(args, stringConstant(""), stringConstant("g"))
		case len(args) == 3 && !isLambda(args[2]):
			convertFormat(args[2], javaReplacement)
			n["children"] = append(args, stringConstant("g"))
		case len(args) == 3 && len(lambdaParams(args[2])) == 1:
			regexpReplaceWith(n, args[0], args[1], args[2])
		}
		return
	case "replace":
		if len(args) == 2 {
			n["children"] = append(args, stringConstant(""))
		}
		return
	case "md5", "sha1", "sha256":
		// Trino's hashes are varbinary; the engine's are hex text.
		if len(args) == 1 {
			inner := call(strings.ToLower(name), n["query_location"], args...)
			replaceNode(n, call("unhex", n["query_location"], inner))
		}
		return
	case "any_match", "all_match", "none_match":
		// (array, predicate): decided over the predicate's results, with
		// Trino's NULLs (a NULL array, or no deciding result and a NULL).
		if len(args) != 2 || !isLambda(args[1]) {
			return
		}
		loc := n["query_location"]
		results := call("list_transform", loc, args...)
		replaceNode(n, call("lakebox_"+strings.ToLower(name), loc, deepCopy(args[0]), results))
		return
	case "if":
		if len(args) == 2 { // Trino's IF without an else is NULL
			n["children"] = append(args, null())
		}
		return
	case "greatest", "least":
		if len(args) > 1 {
			n["function_name"] = "lakebox_" + strings.ToLower(name)
			n["children"] = []any{call("list_value", n["query_location"], args...)}
		}
		return
	case "to_iso8601":
		// A zoned value prints its wall-clock time and its offset in its
		// zone; an instant is in the session's zone, UTC (Z).
		if len(args) == 1 {
			switch local, instant := zonedValue(args[0]); {
			case local != nil:
				n["function_name"], n["schema"] = "lakebox_iso8601_zoned", ""
				n["children"] = []any{local, instant}
			default:
				n["function_name"], n["schema"] = "lakebox_to_iso8601", ""
			}
		}
		return
	case "regexp_position":
		// regexp_position(s, pattern [, start [, occurrence]]), in Go.
		if len(args) >= 2 && len(args) <= 4 {
			loc := n["query_location"]
			start, occurrence := any(stringConstant("1")), any(stringConstant("1"))
			if len(args) >= 3 {
				start = castTo(args[2], "VARCHAR")
			}
			if len(args) == 4 {
				occurrence = castTo(args[3], "VARCHAR")
			}
			replaceNode(n, castTo(call("lakebox_regexp_position", loc, args[0], args[1], start, occurrence), "INTEGER"))
		}
		return
	case "typeof":
		if len(args) == 1 {
			replaceNode(n, typeOf(args[0], n["query_location"]))
		}
		return
	case "format_number":
		if len(args) == 1 {
			n["function_name"] = "lakebox_format_number"
			n["children"] = []any{castTo(args[0], "VARCHAR")}
		}
		return
	case "parse_duration":
		if len(args) == 1 {
			loc := n["query_location"]
			replaceNode(n, call("to_milliseconds", loc, castTo(call("lakebox_parse_duration", loc, args[0]), "BIGINT")))
		}
		return
	case "combinations":
		if len(args) == 2 {
			size, ok := integerConstant(args[1])
			switch {
			case ok && size >= 1 && size <= 5:
				n["function_name"] = fmt.Sprintf("lakebox_combinations%d", size)
				n["children"] = args[:1]
			case ok && size > 5:
				replaceNode(n, call("error", n["query_location"], stringConstant("combination size must not exceed 5")))
			default:
				replaceNode(n, call("error", n["query_location"], stringConstant("NOT_SUPPORTED: combinations of a size other than a constant from 1 to 5")))
			}
		}
		return
	case "overlay": // overlay(s PLACING r FROM f [FOR n])
		switch len(args) {
		case 3:
			n["function_name"] = "lakebox_overlay"
			n["children"] = append(args, call("length", n["query_location"], deepCopy(args[1])))
		case 4:
			n["function_name"] = "lakebox_overlay"
		}
		return
	case "bit_count":
		if len(args) == 2 {
			n["function_name"] = "lakebox_bit_count"
		}
		return
	case "||":
		// An array and an element, either way round: the engine
		// concatenates only arrays of one type. Known when both sides are
		// visibly arrays (or not) to a depth.
		if len(args) == 2 {
			l, r := arrayDepth(args[0]), arrayDepth(args[1])
			switch {
			case l >= 0 && r >= 0 && l == r+1:
				n["function_name"], n["is_operator"] = "list_append", false
			case l >= 0 && r >= 0 && r == l+1:
				n["function_name"], n["is_operator"] = "list_prepend", false
			}
		}
		return
	case "json_parse":
		// Trino's json_parse writes the document back in a canonical form
		// (keys sorted, doubles as Java prints them): jsonParse.
		if len(args) == 1 {
			replaceNode(n, castToJSON(call("lakebox_json_parse", n["query_location"], args[0])))
		}
		return
	case "concat":
		// Trino's concat is its || operator, argument after argument: NULL
		// when any argument is, and varbinary of varbinary. The engine's
		// passes over NULLs and makes text of bytes.
		if len(args) == 1 {
			replaceNode(n, call("error", n["query_location"], stringConstant("There must be two or more concatenation arguments")))
			return
		}
		if len(args) >= 2 && n["distinct"] != true {
			chain := args[0]
			for _, a := range args[1:] {
				op := operator("||", n["query_location"], chain, a)
				translateFunction(op)
				chain = op
			}
			replaceNode(n, chain.(map[string]any))
		}
		return
	case "+", "-":
		// A date plus or minus days, weeks, months or years stays a date.
		if len(args) == 2 && isDate(args[0]) && isDateInterval(args[1]) {
			asDate(n)
		}
		return
	case "transform_values", "transform_keys", "map_filter":
		if len(args) == 2 {
			mapLambda(n, strings.ToLower(name), args[0], args[1])
		}
		return
	case "timezone", "at_timezone":
		// x AT TIME ZONE z (timezone(z, x) in the tree) and at_timezone(x,
		// z): the instant x (a timestamp is one in the session's zone, UTC)
		// as wall-clock time in z — what hour(), date_format and casts of
		// Trino's zoned value read. The outermost select adds the zone
		// back (zonedColumns).
		if len(args) == 1 && strings.EqualFold(name, "timezone") {
			// Trino's timezone(ts): the zone of a timestamp with time zone.
			switch a, _ := args[0].(map[string]any); {
			case a != nil && a["class"] == "CAST" && literalZone(a) != "":
				replaceNode(n, call("lakebox_zone_name", n["query_location"], stringConstant(literalZone(a))))
			case a != nil && a["class"] == "FUNCTION" && stringOf(a["function_name"]) == "lakebox_at_zone" && len(childrenOf(a)) == 2:
				n["function_name"], n["schema"] = "lakebox_zone_name", ""
				n["children"] = []any{childrenOf(a)[0]}
			default: // an instant: the session's zone
				n["function_name"], n["schema"] = "lakebox_session_zone", ""
			}
			return
		}
		if len(args) == 2 {
			x, z := args[1], args[0]
			if strings.EqualFold(name, "at_timezone") {
				x, z = args[0], args[1]
			}
			n["function_name"], n["schema"] = "lakebox_at_zone", ""
			n["children"] = []any{z, castTo(x, "TIMESTAMP WITH TIME ZONE")}
		}
		return
	case "cosine_similarity", "cosine_distance":
		// Of maps when an argument visibly is one (the engine binds a
		// macro's body before it knows a column's type).
		if len(args) == 2 && (isMapExpr(args[0]) || isMapExpr(args[1])) {
			sim := call("lakebox_map_cosine", n["query_location"], args...)
			if strings.EqualFold(name, "cosine_distance") {
				sim = operator("-", n["query_location"], constant("INTEGER", 1), sim)
			}
			replaceNode(n, sim)
		}
		return
	case "reverse", "substr", "substring", "lpad", "rpad":
		// Of varbinary, in bytes, when the argument visibly is one.
		if len(args) == 0 || !isVarbinary(args[0]) {
			return
		}
		loc := n["query_location"]
		switch fn := strings.ToLower(name); {
		case fn == "reverse" && len(args) == 1:
			n["function_name"] = "lakebox_varbinary_reverse"
		case (fn == "substr" || fn == "substring") && len(args) == 2:
			n["function_name"] = "lakebox_varbinary_substr"
			n["children"] = append(args, call("octet_length", loc, deepCopy(args[0])))
		case (fn == "substr" || fn == "substring") && len(args) == 3:
			n["function_name"] = "lakebox_varbinary_substr"
		case (fn == "lpad" || fn == "rpad") && len(args) == 3:
			n["function_name"] = "lakebox_varbinary_pad"
			n["children"] = append(args, constant("BOOLEAN", fn == "lpad"))
		}
		return
	case "from_unixtime":
		// from_unixtime(x, zone) and from_unixtime(x, hours, minutes): the
		// instant moved into the zone, or the zone of that offset, as x AT
		// TIME ZONE z is.
		loc := n["query_location"]
		var zone any
		switch len(args) {
		case 2:
			zone = args[1]
		case 3:
			zone = offsetZone(args[1], args[2])
		default:
			return
		}
		n["function_name"], n["schema"] = "lakebox_at_zone", ""
		n["children"] = []any{zone, call("from_unixtime", loc, args[0])}
		return
	case "with_timezone":
		// with_timezone(ts, z): ts is the wall-clock time in z already.
		if len(args) == 2 {
			n["function_name"], n["schema"] = "lakebox_with_timezone", ""
		}
		return
	case "to_unixtime":
		// Of a nanosecond function's value: its nanoseconds too.
		if len(args) == 1 && nanosZoned(args[0]) {
			n["function_name"], n["schema"] = "lakebox_unixtime_ns", ""
			return
		}
		// Of a value moved into a zone: its instant, not its wall-clock
		// time.
		if len(args) == 1 {
			inner, _ := args[0].(map[string]any)
			switch c := childrenOf(inner); {
			case len(c) != 2 || inner["class"] != "FUNCTION":
			case stringOf(inner["function_name"]) == "lakebox_at_zone":
				n["children"] = []any{c[1]} // the instant it was moved from
			case stringOf(inner["function_name"]) == "lakebox_with_timezone":
				n["children"] = []any{call("lakebox_from_zone", n["query_location"], c[1], c[0])}
			}
		}
	case "sign":
		// lakebox_sign keeps a double a double; it would make a decimal's
		// sign a decimal of its scale, where Trino's is decimal(1,0).
		if len(args) == 1 {
			if _, typ, ok := constantValue(args[0]); ok && strings.HasPrefix(typ, "DECIMAL") {
				return
			}
		}
	case "array_sort":
		if len(args) == 2 && len(lambdaParams(args[1])) == 2 {
			arraySortWith(n, args[0], args[1])
		}
		return
	case "map_zip_with":
		if len(args) == 3 && len(lambdaParams(args[2])) == 3 {
			mapZipWith(n, args[0], args[1], args[2])
		}
		return
	case "reduce_agg":
		// reduce_agg(x, initial, (s, x) -> ..., combine): the input
		// function over the group's non-NULL values, in one pass (the
		// combine function merges partial states, which one pass has not).
		if len(args) == 4 && len(lambdaParams(args[2])) == 2 {
			loc := n["query_location"]
			values := call("list", loc, args[0])
			values["filter"] = map[string]any{"class": "OPERATOR", "type": "OPERATOR_IS_NOT_NULL", "alias": "", "query_location": noLocation,
				"children": []any{deepCopy(args[0])}}
			replaceNode(n, call("list_reduce", loc, values, args[2], args[1]))
		}
		return
	case "format":
		if len(args) > 1 {
			n["children"] = formatArgs(n["query_location"], args)
		}
	case "zip_with":
		if len(args) == 3 {
			zipWith(n, args[0], args[1], args[2])
		}
		return
	case "zip":
		if len(args) >= 2 {
			zip(n, args)
		}
		return
	case "cardinality":
		// len for arrays; the engine's own cardinality for maps. Which one
		// the argument is is known only when binding, so leave maps' name
		// alone when the argument is visibly a map.
		if len(args) == 1 {
			if a, ok := args[0].(map[string]any); ok && strings.EqualFold(stringOf(a["function_name"]), "map") {
				return
			}
		}
	}
	if to, ok := renames[strings.ToLower(name)]; ok {
		n["function_name"] = to
	}
}

func stringOf(v any) string { s, _ := v.(string); return s }

// childrenOf returns a node's children (nil for anything else).
func childrenOf(v any) []any {
	m, _ := v.(map[string]any)
	c, _ := m["children"].([]any)
	return c
}

// castToJSON is CAST(v AS JSON), which keeps v's text as it is (json(v)
// writes numbers anew: 1.0E10 as 10000000000.0).
func castToJSON(v any) map[string]any {
	c := castTo(v, "UNBOUND")
	c["cast_type"] = map[string]any{"id": "UNBOUND", "type_info": map[string]any{"type": "UNBOUND_TYPE_INFO", "alias": "",
		"extension_info": nil, "name": "JSON", "catalog": "", "schema": "", "user_type_modifiers": []any{}}}
	return c
}

// castTo is a cast of an expression to one of the engine's types.
func castTo(v any, typ string) map[string]any {
	return map[string]any{"class": "CAST", "type": "OPERATOR_CAST", "alias": "", "query_location": noLocation,
		"child": v, "cast_type": map[string]any{"id": typ, "type_info": nil}, "try_cast": false}
}

// constantValue returns a constant's value and type id.
func constantValue(v any) (val any, typ string, ok bool) {
	c, _ := v.(map[string]any)
	if c == nil || c["class"] != "CONSTANT" {
		return nil, "", false
	}
	cv, _ := c["value"].(map[string]any)
	t, _ := cv["type"].(map[string]any)
	if cv == nil || t == nil || cv["is_null"] == true {
		return nil, "", false
	}
	return cv["value"], stringOf(t["id"]), true
}

// isNullConstant reports whether an expression is the literal NULL.
func isNullConstant(v any) bool {
	c, _ := v.(map[string]any)
	cv, _ := c["value"].(map[string]any)
	return c["class"] == "CONSTANT" && cv["is_null"] == true
}

// integerConstant returns the value of an integer constant.
func integerConstant(v any) (int64, bool) {
	val, typ, ok := constantValue(v)
	if !ok {
		return 0, false
	}
	switch typ {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT":
	default:
		return 0, false
	}
	switch x := val.(type) {
	case json.Number:
		i, err := x.Int64()
		return i, err == nil
	case float64:
		return int64(x), x == float64(int64(x))
	}
	return 0, false
}

// arrayDepth is how deeply an expression is visibly an array: 0 for a
// constant that is not one, 1 + its first element's for an ARRAY[...]
// constructor, -1 when it cannot be told.
func arrayDepth(v any) int {
	if _, typ, ok := constantValue(v); ok {
		if typ == "LIST" || typ == "ARRAY" {
			return -1
		}
		return 0
	}
	m, _ := v.(map[string]any)
	if m == nil || m["type"] != "ARRAY_CONSTRUCTOR" && (m["class"] != "FUNCTION" || stringOf(m["function_name"]) != "list_value") {
		return -1
	}
	elems, _ := m["children"].([]any)
	if len(elems) == 0 {
		return -1
	}
	if d := arrayDepth(elems[0]); d >= 0 {
		return d + 1
	}
	return -1
}

// iso8601Local is the wall-clock time of fn, a call of
// from_iso8601_timestamp or from_iso8601_timestamp_nanos, in zone, its
// text's own offset: to the nanosecond for the second.
func iso8601Local(zone any, fn map[string]any) map[string]any {
	if nanosZoned(fn) {
		return call("lakebox_at_offset_ns", noLocation, zone, fn)
	}
	return call("lakebox_at_zone", noLocation, zone, fn)
}

// nanosZoned reports whether v is a call that makes Trino's timestamp(9)
// with time zone (a TIMESTAMP_NS instant to the engine).
func nanosZoned(v any) bool {
	m, _ := v.(map[string]any)
	fn := stringOf(m["function_name"])
	return m["class"] == "FUNCTION" && len(childrenOf(m)) == 1 && (fn == "from_unixtime_nanos" || fn == "from_iso8601_timestamp_nanos")
}

// typeOf is Trino's typeof: a string literal is a varchar of its length,
// a timestamp literal a timestamp of its fraction's digits; anything else
// is the engine's type spelled as Trino spells it.
func typeOf(arg any, loc any) map[string]any {
	if val, typ, ok := constantValue(arg); ok && typ == "VARCHAR" {
		if s, ok := val.(string); ok {
			return stringConstant(fmt.Sprintf("varchar(%d)", utf8.RuneCountInString(s)))
		}
	}
	if s, ok := timestampLiteral(arg); ok {
		return stringConstant(fmt.Sprintf("timestamp(%d)", fractionDigits(s)))
	}
	if nanosZoned(arg) {
		return stringConstant("timestamp(9) with time zone")
	}
	return call("lakebox_typeof", loc, call("typeof", loc, arg))
}

// combinations is the macro lakebox_combinations<n>: the n-element
// combinations of an array's positions in lexicographic order, as arrays
// of the elements — one nested transform a position.
func combinations(n int) string {
	elems := make([]string, n)
	for k := range elems {
		elems[k] = fmt.Sprintf("a[i%d]", k+1)
	}
	body := "[" + strings.Join(elems, ", ") + "]"
	for k := n; k >= 1; k-- {
		from := "1"
		if k > 1 {
			from = fmt.Sprintf("i%d + 1", k-1)
		}
		body = fmt.Sprintf("list_transform(range(%s, len(a) + 1), i%d -> %s)", from, k, body)
		if k < n {
			body = "flatten(" + body + ")"
		}
	}
	return fmt.Sprintf("CREATE OR REPLACE MACRO lakebox_combinations%d(a) AS %s", n, body)
}

// noLocation is the query location of a node the query did not spell.
var noLocation = json.Number("18446744073709551615")

// stringConstant is a VARCHAR constant node.
func stringConstant(s string) map[string]any {
	return constant("VARCHAR", s)
}

// null is the constant NULL.
func null() map[string]any {
	return map[string]any{"class": "CONSTANT", "type": "VALUE_CONSTANT", "alias": "", "query_location": noLocation,
		"value": map[string]any{"type": map[string]any{"id": "NULL", "type_info": nil}, "is_null": true}}
}

func constant(typ string, v any) map[string]any {
	return map[string]any{"class": "CONSTANT", "type": "VALUE_CONSTANT", "alias": "", "query_location": noLocation,
		"value": map[string]any{"type": map[string]any{"id": typ, "type_info": nil}, "is_null": false, "value": v}}
}

// operator is a call of an operator (||, -, //): written as one, with
// the operator's own rules (|| of a NULL is NULL).
func operator(name string, loc any, args ...any) map[string]any {
	n := call(name, loc, args...)
	n["is_operator"] = true
	return n
}

// call is a function call node.
func call(name string, loc any, args ...any) map[string]any {
	return map[string]any{"class": "FUNCTION", "type": "FUNCTION", "alias": "", "query_location": loc,
		"function_name": name, "schema": "", "catalog": "", "children": args, "filter": nil,
		"order_bys": map[string]any{"type": "ORDER_MODIFIER", "orders": []any{}},
		"distinct":  false, "is_operator": false, "export_state": false}
}

// replaceNode makes n the node repl, keeping n's alias.
func replaceNode(n, repl map[string]any) {
	alias := n["alias"]
	for k := range n {
		delete(n, k)
	}
	for k, v := range repl {
		n[k] = v
	}
	n["alias"] = alias
}

// instantsInSelect makes a query's comparisons and ORDER BY of values
// moved into zones (x AT TIME ZONE z) use their instants, as Trino
// compares and orders timestamps with time zone. The instant is the
// expression the value was moved from, so where the query groups or is
// DISTINCT, where an expression must be one the grouping has, only the
// rows' filters (WHERE, JOIN ... ON) are rewritten: the select list,
// HAVING and ORDER BY there compare wall-clock times.
//
// A column of a subquery or CTE that is a moved value with a constant zone
// (zones) is compared by its instant in the rows' filters too.
func instantsInSelect(n map[string]any, zones columnZones) {
	groups, _ := n["group_expressions"].([]any)
	grouped := len(groups) > 0 || n["aggregate_handling"] == "FORCE_AGGREGATES"
	mods, _ := n["modifiers"].([]any)
	for _, m := range mods {
		if m, _ := m.(map[string]any); m != nil && m["type"] == "DISTINCT_MODIFIER" {
			grouped = true
		}
	}
	rewrite := func(expr any, instant func(any) any) {
		visit(expr, func(c map[string]any) bool {
			switch c["class"] {
			case "COMPARISON":
				compareInstants(c, instant, "left", "right")
			case "BETWEEN":
				compareInstants(c, instant, "input", "lower", "upper")
			case "OPERATOR":
				if c["type"] == "COMPARE_IN" || c["type"] == "COMPARE_NOT_IN" {
					compareInstants(c, instant, "children")
				}
			}
			return c["type"] != "SELECT_NODE" // a subquery has its own
		})
	}
	// In the filters a column's name is the source's column, never an
	// output's alias: there a zoned column's instant can be read.
	filterInstant := func(v any) any {
		if i := movedInstant(v); i != nil {
			return i
		}
		ref, _ := v.(map[string]any)
		if zone := zones.of(ref); zone != "" {
			return call("lakebox_from_zone", noLocation, stringConstant(zone), deepCopy(ref))
		}
		return nil
	}
	rewrite(n["where_clause"], filterInstant)
	rewrite(n["from_table"], filterInstant)
	if grouped {
		return
	}
	rewrite(n["select_list"], movedInstant)
	rewrite(n["qualify"], movedInstant)
	for _, m := range mods {
		m, _ := m.(map[string]any)
		if m == nil || m["type"] != "ORDER_MODIFIER" {
			continue
		}
		orders, _ := m["orders"].([]any)
		for _, o := range orders {
			if o, _ := o.(map[string]any); o != nil {
				if instant := movedInstant(o["expression"]); instant != nil {
					o["expression"] = instant
				}
			}
		}
	}
}

// compareInstants makes a comparison of values moved into zones (x AT
// TIME ZONE z) compare their instants, as Trino compares timestamps with
// time zone, not their wall-clock times. keys name n's operands: single
// expressions, or a list of them.
func compareInstants(n map[string]any, instantOf func(any) any, keys ...string) {
	// Each operand is a slot: a key of n, or an element of a list there.
	type slot struct {
		list []any
		i    int
		key  string
	}
	get := func(s slot) any {
		if s.list != nil {
			return s.list[s.i]
		}
		return n[s.key]
	}
	var operands []slot
	moved := false
	for _, k := range keys {
		if list, ok := n[k].([]any); ok {
			for i := range list {
				operands = append(operands, slot{list: list, i: i})
			}
		} else {
			operands = append(operands, slot{key: k})
		}
	}
	for _, o := range operands {
		moved = moved || instantOf(get(o)) != nil
	}
	if !moved {
		return
	}
	for _, o := range operands {
		switch instant := instantOf(get(o)); {
		case instant == nil:
		case o.list != nil:
			o.list[o.i] = instant
		default:
			n[o.key] = instant
		}
	}
}

// movedInstant returns the instant of a value moved into a zone (its
// wall-clock time there, lakebox_at_zone or lakebox_with_timezone), or
// nil for anything else.
func movedInstant(v any) any {
	n, _ := v.(map[string]any)
	if n["class"] != "FUNCTION" {
		return nil
	}
	switch args := childrenOf(n); {
	case len(args) != 2:
	case stringOf(n["function_name"]) == "lakebox_at_zone":
		return args[1]
	case stringOf(n["function_name"]) == "lakebox_with_timezone":
		return call("lakebox_from_zone", noLocation, args[1], args[0])
	}
	return nil
}

// zonedValue returns, for a translated expression that is visibly a
// timestamp with time zone, its wall-clock time in its zone and its
// instant; nil for anything else.
func zonedValue(v any) (local, instant any) {
	n, _ := v.(map[string]any)
	args := childrenOf(n)
	switch fn := stringOf(n["function_name"]); {
	case n == nil:
	case n["class"] == "CAST" && literalZone(n) != "":
		return call("lakebox_at_zone", noLocation, stringConstant(literalZone(n)), deepCopy(n)), n
	case movedInstant(n) != nil:
		return n, deepCopy(movedInstant(n))
	case n["class"] == "FUNCTION" && (fn == "from_iso8601_timestamp" || fn == "from_iso8601_timestamp_nanos") && len(args) == 1:
		zone := call("lakebox_iso8601_zone", noLocation, deepCopy(args[0]))
		return iso8601Local(zone, deepCopy(n).(map[string]any)), n
	case n["class"] == "FUNCTION" && fn == "from_unixtime_nanos" && len(args) == 1: // in UTC
		return n, n
	}
	return nil, nil
}

// isDate reports whether an expression is visibly a DATE: a date literal
// or cast, current_date, or a call that returns a date. Trino's date
// arithmetic keeps dates dates, where the engine's makes timestamps.
func isDate(v any) bool {
	m, ok := v.(map[string]any)
	if !ok {
		return false
	}
	switch m["class"] {
	case "CAST":
		t, _ := m["cast_type"].(map[string]any)
		return t != nil && t["id"] == "DATE"
	case "COLUMN_REF":
		names, _ := m["column_names"].([]any)
		return len(names) == 1 && strings.EqualFold(stringOf(names[0]), "current_date")
	case "FUNCTION":
		switch strings.ToLower(stringOf(m["function_name"])) {
		case "current_date", "from_iso8601_date", "last_day":
			return true
		}
	}
	return false
}

// asDate makes n a cast of itself to DATE.
func asDate(n map[string]any) {
	inner := make(map[string]any, len(n))
	for k, v := range n {
		inner[k] = v
	}
	inner["alias"] = ""
	replaceNode(n, castTo(inner, "DATE"))
}

// isDateInterval reports whether an expression is an interval of whole
// days, weeks, months, quarters or years (INTERVAL '2' DAY).
func isDateInterval(v any) bool {
	m, ok := v.(map[string]any)
	if !ok || m["class"] != "FUNCTION" {
		return false
	}
	switch stringOf(m["function_name"]) {
	case "to_days", "to_weeks", "to_months", "to_quarters", "to_years":
		return true
	}
	return false
}

// lambdaParams returns the parameter names of a lambda, lowercased.
func lambdaParams(v any) []string {
	l, ok := v.(map[string]any)
	if !ok || l["class"] != "LAMBDA" {
		return nil
	}
	refs := []any{l["lhs"]}
	if f, ok := l["lhs"].(map[string]any); ok && f["class"] == "FUNCTION" && stringOf(f["function_name"]) == "row" {
		refs, _ = f["children"].([]any)
	}
	var names []string
	for _, r := range refs {
		m, _ := r.(map[string]any)
		cols, _ := m["column_names"].([]any)
		if m == nil || m["class"] != "COLUMN_REF" || len(cols) != 1 {
			return nil
		}
		names = append(names, strings.ToLower(stringOf(cols[0])))
	}
	return names
}

// substitute replaces the references to lambda parameters in expr (p, or
// p.field...) by what with makes of the fields after the name. A nested
// lambda's own parameters shadow the outer ones.
func substitute(expr any, with map[string]func(fields []any) any) any {
	switch n := expr.(type) {
	case map[string]any:
		switch n["class"] {
		case "COLUMN_REF":
			if cols, _ := n["column_names"].([]any); len(cols) > 0 {
				if r, ok := with[strings.ToLower(stringOf(cols[0]))]; ok {
					out := r(cols[1:])
					if m, ok := out.(map[string]any); ok && stringOf(n["alias"]) != "" {
						m["alias"] = n["alias"] // a struct_pack field's name
					}
					return out
				}
			}
		case "LAMBDA":
			inner := map[string]func([]any) any{}
			for k, v := range with {
				inner[k] = v
			}
			for _, p := range lambdaParams(n) {
				delete(inner, p)
			}
			n["expr"] = substitute(n["expr"], inner)
			return n
		}
		for k, c := range n {
			n[k] = substitute(c, with)
		}
	case []any:
		for i, c := range n {
			n[i] = substitute(c, with)
		}
	}
	return expr
}

func deepCopy(v any) any {
	switch n := v.(type) {
	case map[string]any:
		c := make(map[string]any, len(n))
		for k, e := range n {
			c[k] = deepCopy(e)
		}
		return c
	case []any:
		c := make([]any, len(n))
		for i, e := range n {
			c[i] = deepCopy(e)
		}
		return c
	}
	return v
}

func columnRef(names ...any) map[string]any {
	return map[string]any{"class": "COLUMN_REF", "type": "COLUMN_REF", "alias": "", "query_location": noLocation, "column_names": names}
}

func lambda(param string, body any) map[string]any {
	return map[string]any{"class": "LAMBDA", "type": "LAMBDA", "alias": "", "query_location": noLocation,
		"lhs": columnRef(param), "expr": body}
}

// named gives a node an alias: struct_pack's field names.
func named(alias string, v any) map[string]any {
	n, ok := v.(map[string]any)
	if !ok {
		n = call("coalesce", noLocation, v)
	}
	n["alias"] = alias
	return n
}

// entry is the lambda parameter Lakebox introduces for a map entry or a
// list position; the name cannot clash with a column.
const entry = "__lakebox_e"

// mapLambda rewrites transform_values, transform_keys and map_filter,
// whose lambdas take a key and a value, over the map's entries.
func mapLambda(n map[string]any, fn string, m, f any) {
	params := lambdaParams(f)
	if len(params) != 2 {
		return
	}
	field := func(name string) func([]any) any {
		return func(rest []any) any { return columnRef(append([]any{entry, name}, rest...)...) }
	}
	body := substitute(f.(map[string]any)["expr"], map[string]func([]any) any{params[0]: field("key"), params[1]: field("value")})
	loc := n["query_location"]
	entries := call("map_entries", loc, m)
	var list map[string]any
	switch fn {
	case "map_filter":
		list = call("list_filter", loc, entries, lambda(entry, body))
	case "transform_values":
		list = call("list_transform", loc, entries, lambda(entry, call("struct_pack", loc,
			named("key", columnRef(entry, "key")), named("value", body))))
	default: // transform_keys
		list = call("list_transform", loc, entries, lambda(entry, call("struct_pack", loc,
			named("key", body), named("value", columnRef(entry, "value")))))
	}
	replaceNode(n, call("map_from_entries", loc, list))
}

// zipWith rewrites zip_with(a, b, (x, y) -> e) over the positions of the
// longer array; the shorter reads as NULL past its end, as in Trino.
func zipWith(n map[string]any, a, b, f any) {
	params := lambdaParams(f)
	if len(params) != 2 {
		return
	}
	loc := n["query_location"]
	at := func(list any) func([]any) any {
		return func(rest []any) any {
			return fieldsOf(call("array_extract", loc, deepCopy(list), columnRef(entry)), rest)
		}
	}
	body := substitute(f.(map[string]any)["expr"], map[string]func([]any) any{params[0]: at(a), params[1]: at(b)})
	positions := call("generate_series", loc, constant("INTEGER", 1), call("lakebox_zip_length", loc, deepCopy(a), deepCopy(b)))
	replaceNode(n, call("list_transform", loc, positions, lambda(entry, body)))
}

// reduceWith rewrites reduce(a, init, (s, x) -> e, s -> r). The engine
// folds a list into its own element type only, while Trino's state may be
// of any type: the fold runs over pairs {s, x}, the first holding init and
// the others a's elements, so both have one type. The state's type is
// init's widened to what e makes of it, as Trino types it (0 summing
// decimals is a decimal). r is applied once, to the fold's state; a NULL
// array gives NULL.
func reduceWith(n map[string]any, a, init, f, out any) {
	step, finish := lambdaParams(f), lambdaParams(out)
	if len(step) != 2 || len(finish) != 1 {
		return
	}
	loc := n["query_location"]
	// Named after how many reduces nest here: a reduce in another's lambda
	// must not capture the outer one's names, and the same call written
	// twice (in the select list and GROUP BY) must read the same.
	level := reduceLevel([]any{a, init, f, out})
	acc, elem, state := fmt.Sprint(reduceAcc, level), fmt.Sprint("__lakebox_x", level), fmt.Sprint("__lakebox_s", level)
	of := func(v func() any) func([]any) any { return func(rest []any) any { return fieldsOf(v(), rest) } }
	stepOf := func(s, x func() any) any {
		return substitute(deepCopy(f.(map[string]any)["expr"]), map[string]func([]any) any{step[0]: of(s), step[1]: of(x)})
	}
	first := func() any { return call("array_extract", loc, deepCopy(a), constant("INTEGER", 1)) }
	widened := call("lakebox_widened", loc, stepOf(func() any { return deepCopy(init) }, first), deepCopy(init))
	next := stepOf(func() any { return columnRef(acc, "s") }, func() any { return columnRef(elem, "x") })
	pair := func(s, x any) any { return call("struct_pack", loc, named("s", s), named("x", x)) }
	pairs := call("list_prepend", loc, pair(widened, first()),
		call("list_transform", loc, deepCopy(a), lambda(elem, pair(null(), columnRef(elem)))))
	fold := call("list_reduce", loc, pairs, lambda2(acc, elem, pair(next, columnRef(elem, "x"))))
	result := call("struct_extract", loc, fold, stringConstant("s"))
	if !isIdentityLambda(out) {
		body := substitute(out.(map[string]any)["expr"], map[string]func([]any) any{finish[0]: of(func() any { return columnRef(state) })})
		result = call("array_extract", loc, call("list_transform", loc, call("list_value", loc, result), lambda(state, body)), constant("INTEGER", 1))
	}
	replaceNode(n, call("lakebox_if_present", loc, a, result))
}

// reduceAcc begins the name of the state parameter of a rewritten reduce,
// which ends with its level.
const reduceAcc = "__lakebox_acc"

// reduceLevel is one more than the deepest level of the rewritten reduces
// in v (1 where there are none).
func reduceLevel(v any) int {
	level := 1
	visit(v, func(n map[string]any) bool {
		if n["class"] != "LAMBDA" {
			return true
		}
		lhs, _ := n["lhs"].(map[string]any)
		for _, p := range childrenOf(lhs) {
			cols, _ := p.(map[string]any)["column_names"].([]any)
			if len(cols) != 1 {
				continue
			}
			if rest, ok := strings.CutPrefix(stringOf(cols[0]), reduceAcc); ok {
				if l, err := strconv.Atoi(rest); err == nil {
					level = max(level, l+1)
				}
			}
		}
		return true
	})
	return level
}

// fieldsOf is v.f1.f2... for the field names of a parameter reference
// (p.f1.f2), where v stands in for p.
func fieldsOf(v any, fields []any) any {
	for _, f := range fields {
		v = call("struct_extract", noLocation, v, stringConstant(stringOf(f)))
	}
	return v
}

// regexpReplaceWith rewrites regexp_replace(s, pattern, x -> e), which
// replaces each match by e of its capturing groups (x[1], x[2], ...): the
// text between the matches (regexp_split_to_array) and each group's
// captures (regexp_extract_all) are found once, then the pieces are
// joined with e of each match's groups between them. A NULL e replaces
// the match by nothing.
func regexpReplaceWith(n map[string]any, str, pattern, f any) {
	const found = "__lakebox_r"
	loc := n["query_location"]
	val, typ, ok := constantValue(pattern)
	p, _ := val.(string)
	if !ok || typ != "VARCHAR" {
		replaceNode(n, call("error", loc, stringConstant("NOT_SUPPORTED: regexp_replace with a function needs a constant pattern")))
		return
	}
	fields := []any{named("pieces", call("regexp_split_to_array", loc, deepCopy(str), deepCopy(pattern)))}
	var groups []any // x: the match's groups
	for g := 1; g <= captureGroups(p); g++ {
		name := fmt.Sprint("g", g)
		fields = append(fields, named(name, call("regexp_extract_all", loc, deepCopy(str), deepCopy(pattern), constant("INTEGER", g))))
		groups = append(groups, call("array_extract", loc, columnRef(found, name), columnRef(entry)))
	}
	x := call("list_value", loc, groups...)
	if len(groups) == 0 { // no groups: an empty array of text
		x = call("list_slice", loc, call("list_value", loc, stringConstant("")), constant("INTEGER", 1), constant("INTEGER", 0))
	}
	param := lambdaParams(f)[0]
	body := substitute(f.(map[string]any)["expr"], map[string]func([]any) any{param: func(rest []any) any { return fieldsOf(deepCopy(x), rest) }})
	pieces := columnRef(found, "pieces")
	joined := call("array_to_string", loc,
		call("list_transform", loc, call("range", loc, constant("INTEGER", 1), call("+", loc, call("len", loc, pieces), constant("INTEGER", 1))),
			lambda(entry, call("lakebox_piece", loc, deepCopy(pieces), columnRef(entry), body))),
		stringConstant(""))
	once := call("list_transform", loc, call("list_value", loc, call("struct_pack", loc, fields...)), lambda(found, joined))
	replaceNode(n, call("array_extract", loc, once, constant("INTEGER", 1)))
}

// captureGroups counts a regular expression's capturing groups: its
// opening parentheses that are not escaped, in a class or (?...) — except
// named groups, (?P<name>...) and (?<name>...).
func captureGroups(p string) int {
	n, class := 0, false
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\':
			i++
		case class:
			class = c != ']'
		case c == '[':
			class = true
			if i+1 < len(p) && p[i+1] == ']' {
				i++ // a ] first in a class is a literal
			}
		case c == '(':
			rest := p[i+1:]
			if !strings.HasPrefix(rest, "?") || strings.HasPrefix(rest, "?P<") || strings.HasPrefix(rest, "?<") && !strings.HasPrefix(rest, "?<=") && !strings.HasPrefix(rest, "?<!") {
				n++
			}
		}
	}
	return n
}

// lambda2 is a lambda of two parameters.
func lambda2(p1, p2 string, body any) map[string]any {
	l := lambda(p1, body)
	l["lhs"] = call("row", noLocation, columnRef(p1), columnRef(p2))
	return l
}

// arraySortWith rewrites array_sort(a, (x, y) -> c), Trino's sort by a
// comparator, as an insertion sort the engine can run: every element goes
// in after the elements the comparator does not put after it, so the sort
// is stable. The engine reduces a list only into its element type, so the
// elements go in as lists of one. A comparator answer other than -1, 0 or
// 1 fails the query, as in Trino.
func arraySortWith(n map[string]any, a, f any) {
	const acc, elem, other = "__lakebox_acc", "__lakebox_x", "__lakebox_y"
	params := lambdaParams(f)
	loc := n["query_location"]
	value := func(param string) func([]any) any {
		return func(rest []any) any {
			if param == elem {
				return fieldsOf(call("array_extract", loc, columnRef(elem), constant("INTEGER", 1)), rest)
			}
			return columnRef(append([]any{param}, rest...)...)
		}
	}
	cmp := substitute(f.(map[string]any)["expr"], map[string]func([]any) any{params[0]: value(other), params[1]: value(elem)})
	before := call("len", loc, call("list_filter", loc, columnRef(acc),
		lambda(other, map[string]any{"class": "COMPARISON", "type": "COMPARE_LESSTHANOREQUALTO", "alias": "", "query_location": noLocation,
			"left": call("lakebox_comparator", loc, cmp), "right": constant("INTEGER", 0)})))
	insert := call("list_concat", loc,
		call("list_concat", loc, call("list_slice", loc, columnRef(acc), constant("INTEGER", 1), before), columnRef(elem)),
		call("list_slice", loc, columnRef(acc), call("+", loc, deepCopy(before), constant("INTEGER", 1)), call("len", loc, columnRef(acc))))
	singles := call("list_transform", loc, a, lambda(entry, call("list_value", loc, columnRef(entry))))
	empty := call("list_slice", loc, deepCopy(a), constant("INTEGER", 1), constant("INTEGER", 0))
	replaceNode(n, call("list_reduce", loc, singles, lambda2(acc, elem, insert), empty))
}

// mapZipWith rewrites map_zip_with(m1, m2, (k, v1, v2) -> e) over the
// keys of both maps (m1's first, in order): a key missing from one map
// reads as NULL there.
func mapZipWith(n map[string]any, m1, m2, f any) {
	params := lambdaParams(f)
	loc := n["query_location"]
	valueIn := func(m any) func([]any) any {
		return func(rest []any) any {
			return fieldsOf(call("lakebox_element_at", loc, deepCopy(m), columnRef(entry)), rest)
		}
	}
	body := substitute(f.(map[string]any)["expr"], map[string]func([]any) any{
		params[0]: func(rest []any) any { return columnRef(append([]any{entry}, rest...)...) },
		params[1]: valueIn(m1), params[2]: valueIn(m2),
	})
	keys := call("lakebox_array_distinct", loc, call("list_concat", loc, call("map_keys", loc, m1), call("map_keys", loc, m2)))
	pairs := call("list_transform", loc, keys, lambda(entry, call("struct_pack", loc,
		named("key", columnRef(entry)), named("value", body))))
	replaceNode(n, call("lakebox_if_both", loc, deepCopy(m1), deepCopy(m2), call("map_from_entries", loc, pairs)))
}

// formatArgs rewrites format(f, args...), Java's format strings, for the
// engine's printf: the arguments of %s conversions become text (Java
// prints any value with %s, NULL as null; printf only strings), and Java's date and time
// conversions (%tY, %1$tB, %<te, ...), which printf lacks, become %s of
// the argument formatted by strftime. It returns the call's new arguments.
func formatArgs(loc any, args []any) []any {
	val, typ, ok := constantValue(args[0])
	f, _ := val.(string)
	if !ok || typ != "VARCHAR" {
		return args
	}
	type conversion struct {
		start, end int    // f[start:end] is the conversion
		spec       string // flags, width and precision, without '<'
		index      int    // the argument, 1-based
		conv       byte
		time       byte // the date/time conversion after t or T
	}
	var convs []conversion
	seq, last := 0, 0 // the next argument of a conversion without an index; the last one used
	hasTime, ordinary, indexed := false, false, false
	for i := 0; i < len(f); i++ {
		if f[i] != '%' {
			continue
		}
		c := conversion{start: i}
		j := i + 1
		k := j
		for k < len(f) && f[k] >= '0' && f[k] <= '9' {
			k++
		}
		if k < len(f) && f[k] == '$' && k > j {
			c.index, _ = strconv.Atoi(f[j:k])
			j = k + 1
		}
		flags := j
		for j < len(f) && strings.IndexByte("-#+ 0,(<", f[j]) >= 0 {
			j++
		}
		relative := strings.IndexByte(f[flags:j], '<') >= 0
		for j < len(f) && (f[j] >= '0' && f[j] <= '9' || f[j] == '.') {
			j++
		}
		if j >= len(f) {
			return args
		}
		c.spec = strings.ReplaceAll(f[flags:j], "<", "")
		c.conv = f[j]
		i = j
		if c.conv == '%' || c.conv == 'n' {
			continue
		}
		switch {
		case relative:
			c.index = last
			indexed = true
		case c.index == 0:
			seq++
			c.index = seq
			ordinary = true
		default:
			indexed = true
		}
		last = c.index
		if c.conv == 't' || c.conv == 'T' {
			if j+1 >= len(f) || strftimePattern(f[j+1]) == "" && f[j+1] != 'C' && !zonedConversion(f[j+1]) {
				return args // a conversion Lakebox does not translate: the engine refuses it
			}
			c.time = f[j+1]
			i = j + 1
			hasTime = true
		}
		c.end = i + 1
		convs = append(convs, c)
	}
	given := slices.Clone(args) // before %s makes them text
	text := map[int]bool{}
	for _, c := range convs {
		if (c.conv == 's' || c.conv == 'S') && c.index < len(args) && !text[c.index] {
			// Java prints NULL as null; printf would make the whole result NULL.
			text[c.index] = true
			args[c.index] = call("ifnull", loc, castTo(args[c.index], "VARCHAR"), stringConstant("null"))
		}
	}
	if !hasTime && !(ordinary && indexed) {
		return args
	}
	// An argument only time conversions read is read through the values
	// they add: in its place, printf would make the whole result NULL for
	// a NULL one, where Java prints null.
	for _, c := range convs {
		readElsewhere := slices.ContainsFunc(convs, func(o conversion) bool { return o.index == c.index && o.time == 0 })
		if c.time != 0 && !readElsewhere && c.index < len(args) {
			args[c.index] = stringConstant("")
		}
	}
	// printf cannot mix indexed and sequential arguments, as Java does:
	// every conversion names its argument, and each time conversion a new
	// one.
	var b strings.Builder
	at := 0
	for _, c := range convs {
		if c.index >= len(given) {
			return given // a missing argument: the engine says so
		}
		b.WriteString(f[at:c.start])
		at = c.end
		if c.time == 0 {
			fmt.Fprintf(&b, "%%%d$%s%c", c.index, c.spec, c.conv)
			continue
		}
		arg := given[c.index]
		var v map[string]any
		if isNullConstant(arg) {
			v = stringConstant("null") // Java prints a null argument so, whatever the conversion
		} else if zonedConversion(c.time) {
			// Only a value visibly with a zone has them: Java refuses a
			// LocalDateTime, and so does the engine the untranslated call.
			zone, instant := zoneAndInstant(arg)
			if zone == nil {
				return given
			}
			epoch := castTo(call("epoch_us", loc, instant), "VARCHAR")
			v = call("lakebox_java_zoned", loc, stringConstant(string(c.time)), zone, epoch)
		}
		if local, _ := zonedValue(arg); local != nil {
			arg = local // a value with a zone reads as its wall-clock time there
		}
		switch {
		case v != nil:
		case c.time == 'C': // the century, two digits at least
			century := operator("//", loc, call("year", loc, deepCopy(arg)), constant("INTEGER", 100))
			v = call("printf", loc, stringConstant("%02d"), century)
		default:
			v = call("strftime", loc, deepCopy(arg), stringConstant(strftimePattern(c.time)))
		}
		v = call("ifnull", loc, v, stringConstant("null")) // Java prints NULL as null
		switch {
		case c.conv == 'T':
			v = call("upper", loc, v)
		case c.time == 'p': // Java's am/pm is lower case
			v = call("lower", loc, v)
		}
		args = append(args, v)
		fmt.Fprintf(&b, "%%%d$%ss", len(args)-1, c.spec)
	}
	b.WriteString(f[at:])
	args[0] = stringConstant(b.String())
	return args
}

// zoneAndInstant returns the zone and the instant of an expression that
// is visibly a timestamp with time zone; nil, nil for anything else.
func zoneAndInstant(v any) (zone, instant any) {
	n, _ := v.(map[string]any)
	if n == nil {
		return nil, nil
	}
	if _, instant, zone = zonedParts(n); zone == nil || instant == nil {
		return nil, nil
	}
	return call("lakebox_zone_name", noLocation, zone), deepCopy(instant)
}

// strftimePattern is the strftime pattern of Java's date and time
// conversion %t<c>, or "" for one without.
func strftimePattern(c byte) string {
	switch c {
	case 'A':
		return "%A"
	case 'a':
		return "%a"
	case 'B':
		return "%B"
	case 'b', 'h':
		return "%b"
	case 'Y':
		return "%Y"
	case 'y':
		return "%y"
	case 'j':
		return "%j"
	case 'm':
		return "%m"
	case 'd':
		return "%d"
	case 'e':
		return "%-d"
	case 'H':
		return "%H"
	case 'I':
		return "%I"
	case 'k':
		return "%-H"
	case 'l':
		return "%-I"
	case 'M':
		return "%M"
	case 'S':
		return "%S"
	case 'L':
		return "%g"
	case 'N':
		return "%n"
	case 'p':
		return "%p"
	case 'R':
		return "%H:%M"
	case 'T':
		return "%H:%M:%S"
	case 'r':
		return "%I:%M:%S %p"
	case 'D':
		return "%m/%d/%y"
	case 'F':
		return "%Y-%m-%d"
	}
	return ""
}

// zip rewrites zip(a, b, ...) over the positions of the longest array,
// as rows named as Trino names them: {field0=a[i], field1=b[i], ...}.
func zip(n map[string]any, arrays []any) {
	loc := n["query_location"]
	var fields, lengths []any
	for i, a := range arrays {
		fields = append(fields, named(fmt.Sprint("field", i), call("array_extract", loc, deepCopy(a), columnRef(entry))))
		lengths = append(lengths, call("len", loc, deepCopy(a)))
	}
	positions := call("generate_series", loc, constant("INTEGER", 1), call("greatest", loc, lengths...))
	replaceNode(n, call("list_transform", loc, positions, lambda(entry, call("struct_pack", loc, fields...))))
}

// namedRows names the fields of anonymous rows as Trino does (field0,
// field1, ...): the engine's unnamed structs cannot be read back. A row
// cast to a row type keeps its positions (the cast names it), a row before
// IN (subquery) compares column by column, and a lambda's parameter list
// is not a row.
func namedRows(v any) {
	switch n := v.(type) {
	case map[string]any:
		for k, c := range n {
			if k == "lhs" && n["class"] == "LAMBDA" {
				continue
			}
			if k == "child" && (n["class"] == "CAST" && castsToStruct(n) || n["class"] == "SUBQUERY") {
				// A cast names the row by position; a row before IN
				// (SELECT a, b ...) compares column by column.
				if row, ok := c.(map[string]any); ok && isRow(row) {
					namedRows(row["children"]) // its values, not the row itself
					continue
				}
			}
			namedRows(c)
		}
		if isRow(n) {
			args, _ := n["children"].([]any)
			for i, a := range args {
				args[i] = named(fmt.Sprint("field", i), a)
			}
			n["function_name"] = "struct_pack"
		}
	case []any:
		for _, c := range n {
			namedRows(c)
		}
	}
}

func castsToStruct(n map[string]any) bool {
	t, _ := n["cast_type"].(map[string]any)
	return t != nil && t["id"] == "STRUCT"
}

func isRow(n map[string]any) bool {
	return n["class"] == "FUNCTION" && strings.EqualFold(stringOf(n["function_name"]), "row")
}

func isLambda(v any) bool {
	l, ok := v.(map[string]any)
	return ok && l["class"] == "LAMBDA"
}

// javaReplacement converts a Java regex replacement (Trino's: $1 for a
// group, \$ for a dollar sign) to the engine's (\1; a dollar is plain).
func javaReplacement(r string) string {
	var b strings.Builder
	for i := 0; i < len(r); i++ {
		switch c := r[i]; {
		case c == '\\' && i+1 < len(r):
			i++
			if r[i] == '\\' {
				b.WriteString(`\\`)
			} else {
				b.WriteByte(r[i])
			}
		case c == '$' && i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9':
			i++
			b.WriteByte('\\')
			b.WriteByte(r[i])
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// isIdentityLambda reports whether v is "x -> x".
func isIdentityLambda(v any) bool {
	l, ok := v.(map[string]any)
	if !ok || l["class"] != "LAMBDA" {
		return false
	}
	name := func(e any) string {
		m, _ := e.(map[string]any)
		if m == nil || m["class"] != "COLUMN_REF" {
			return ""
		}
		names, _ := m["column_names"].([]any)
		if len(names) != 1 {
			return ""
		}
		return stringOf(names[0])
	}
	lhs, rhs := name(l["lhs"]), name(l["expr"])
	return lhs != "" && lhs == rhs
}

// convertFormat rewrites a constant format argument; it reports false (and
// changes nothing) for a format that is not a constant string.
func convertFormat(arg any, conv func(string) string) bool {
	c, ok := arg.(map[string]any)
	if !ok || c["class"] != "CONSTANT" {
		return false
	}
	v, _ := c["value"].(map[string]any)
	s, ok := v["value"].(string)
	if !ok {
		return false
	}
	v["value"] = conv(s)
	return true
}

// mysqlFormat converts a MySQL date format (Trino's date_parse and
// date_format) to strftime's.
func mysqlFormat(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		if f[i] != '%' || i+1 == len(f) {
			b.WriteByte(f[i])
			continue
		}
		i++
		switch f[i] {
		case 'i':
			b.WriteString("%M") // minutes
		case 'M':
			b.WriteString("%B") // month name
		case 's':
			b.WriteString("%S")
		case 'e':
			b.WriteString("%-d")
		case 'c':
			b.WriteString("%-m")
		case 'k':
			b.WriteString("%-H")
		case 'h':
			b.WriteString("%I")
		case 'l':
			b.WriteString("%-I")
		case 'W':
			b.WriteString("%A")
		case 'r':
			b.WriteString("%I:%M:%S %p")
		case 'T':
			b.WriteString("%H:%M:%S")
		case 'v':
			b.WriteString("%V")
		case 'x':
			b.WriteString("%G")
		default: // %Y %y %m %d %H %p %a %b %f %j %% mean the same
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return b.String()
}

// jodaFormat converts a Joda-Time pattern (Trino's parse_datetime and
// format_datetime) to strftime's.
func jodaFormat(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); {
		c := f[i]
		if c == '\'' { // quoted literal
			j := strings.IndexByte(f[i+1:], '\'')
			if j < 0 {
				b.WriteString(f[i+1:])
				break
			}
			b.WriteString(strings.ReplaceAll(f[i+1:i+1+j], "%", "%%"))
			i += j + 2
			continue
		}
		n := 1
		for i+n < len(f) && f[i+n] == c {
			n++
		}
		i += n
		switch {
		case c == 'y' || c == 'Y' || c == 'x':
			if n == 2 {
				b.WriteString("%y")
			} else {
				b.WriteString("%Y")
			}
		case c == 'M':
			switch {
			case n >= 4:
				b.WriteString("%B")
			case n == 3:
				b.WriteString("%b")
			case n == 2:
				b.WriteString("%m")
			default:
				b.WriteString("%-m")
			}
		case c == 'd':
			b.WriteString(map[bool]string{true: "%d", false: "%-d"}[n >= 2])
		case c == 'H':
			b.WriteString(map[bool]string{true: "%H", false: "%-H"}[n >= 2])
		case c == 'h':
			b.WriteString(map[bool]string{true: "%I", false: "%-I"}[n >= 2])
		case c == 'm':
			b.WriteString(map[bool]string{true: "%M", false: "%-M"}[n >= 2])
		case c == 's':
			b.WriteString(map[bool]string{true: "%S", false: "%-S"}[n >= 2])
		case c == 'S':
			if n <= 3 {
				b.WriteString("%g")
			} else {
				b.WriteString("%f")
			}
		case c == 'E':
			b.WriteString(map[bool]string{true: "%A", false: "%a"}[n >= 4])
		case c == 'a':
			b.WriteString("%p")
		case c == 'D':
			b.WriteString("%j")
		case c == 'Z' || c == 'z':
			b.WriteString("%z")
		case c == '%':
			b.WriteString(strings.Repeat("%%", n))
		default:
			b.WriteString(strings.Repeat(string(c), n))
		}
	}
	return b.String()
}

// typedDoubles keeps double literals (1e10, 2.5E-4) doubles: the engine
// parses them as DOUBLE, as Trino does, but turning the tree back into SQL
// prints them as plain decimals, which the engine would then read as
// DECIMAL. They are wrapped in a cast to DOUBLE.
func typedDoubles(v any) {
	switch n := v.(type) {
	case map[string]any:
		for k, c := range n {
			if m, ok := c.(map[string]any); ok && isDoubleConstant(m) {
				n[k] = castDouble(m)
				continue
			}
			typedDoubles(c)
		}
	case []any:
		for i, c := range n {
			if m, ok := c.(map[string]any); ok && isDoubleConstant(m) {
				n[i] = castDouble(m)
				continue
			}
			typedDoubles(c)
		}
	}
}

func isDoubleConstant(m map[string]any) bool {
	if m["class"] != "CONSTANT" {
		return false
	}
	val, _ := m["value"].(map[string]any)
	typ, _ := val["type"].(map[string]any)
	return typ != nil && typ["id"] == "DOUBLE" && val["is_null"] == false
}

func castDouble(c map[string]any) map[string]any {
	cast := castTo(c, "DOUBLE")
	cast["alias"], cast["query_location"] = c["alias"], c["query_location"]
	c["alias"] = ""
	return cast
}

// offsetZone is the zone of from_unixtime(x, hours, minutes): +hh:mm of
// the total, a constant when both are.
func offsetZone(hours, minutes any) any {
	h, ht, hok := constantValue(hours)
	m, mt, mok := constantValue(minutes)
	if hok && mok && isIntegerType(ht) && isIntegerType(mt) {
		hv, herr := strconv.ParseInt(fmt.Sprint(h), 10, 64)
		mv, merr := strconv.ParseInt(fmt.Sprint(m), 10, 64)
		if herr == nil && merr == nil {
			total, sign := hv*60+mv, "+"
			if total < 0 {
				total, sign = -total, "-"
			}
			return stringConstant(fmt.Sprintf("%s%02d:%02d", sign, total/60, total%60))
		}
	}
	return call("lakebox_offset_zone", noLocation, deepCopy(hours), deepCopy(minutes))
}

func isIntegerType(t string) bool {
	switch t {
	case "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT":
		return true
	}
	return false
}

// isVarbinary reports whether an expression is visibly varbinary: a
// literal, a cast, or a call of a function that returns bytes.
func isVarbinary(v any) bool {
	if _, typ, ok := constantValue(v); ok {
		return typ == "BLOB"
	}
	return visibly(v, "BLOB", "to_utf8", "from_hex", "unhex", "from_base64", "from_base64url", "encode", "sha512", "xxhash64", "murmur3",
		"spooky_hash_v2_32", "spooky_hash_v2_64", "hmac_md5", "hmac_sha1", "hmac_sha256", "hmac_sha512",
		"to_big_endian_32", "to_big_endian_64", "to_ieee754_32", "to_ieee754_64",
		"lakebox_varbinary_reverse", "lakebox_varbinary_substr", "lakebox_varbinary_pad")
}

// isMapExpr reports whether an expression is visibly a map: a cast to
// one, or a call of a function that makes one.
func isMapExpr(v any) bool {
	return visibly(v, "MAP", "map", "map_from_entries", "map_agg", "histogram", "map_concat", "multimap_agg")
}

// visibly reports whether an expression is a cast to the engine type id
// or a call of one of the functions.
func visibly(v any, id string, funcs ...string) bool {
	n, _ := v.(map[string]any)
	switch n["class"] {
	case "CAST":
		t, _ := n["cast_type"].(map[string]any)
		return t["id"] == id
	case "FUNCTION":
		return slices.Contains(funcs, strings.ToLower(stringOf(n["function_name"])))
	}
	return false
}
