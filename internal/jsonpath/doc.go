// Package jsonpath evaluates the SQL/JSON path language the way Trino, and
// so Athena, does for json_exists, json_query and json_value
// (trino.io/docs/current/functions/json.html):
//
//   - modes: lax (the default: arrays unwrap under member accessors and
//     filters, a non-array reads as a one-element array, structural errors
//     give nothing) and strict (those are errors);
//   - accessors: $, @, $name (a passed variable), .key, ."key", .*, [i],
//     [i to j], [last], [last - 1], [*], filters ?( ... ), and the methods
//     abs(), ceiling(), floor(), double(), size(), type(), keyvalue();
//   - literals: numbers, "strings", true, false, null;
//   - arithmetic: unary + and -, + - * / %;
//   - predicates: == != <> < <= > >=, &&, ||, !( ), exists( ), ( ) is
//     unknown, starts with, like_regex (Go's regular expressions).
//
// Documents are decoded with object members kept in their order, so a
// result prints as the document spelled it.
package jsonpath
