// Package javatime formats times with Java's DateTimeFormatter patterns
// ("yyyy/MM/dd", "'year='yyyy"), the date language of the AWS services
// written in Java: Athena's partition projection, Firehose's
// !{timestamp:...} prefixes and the Hive JSON SerDe's timestamp formats.
package javatime
