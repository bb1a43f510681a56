// Package athenahttp puts the Athena service on the wire: AWS JSON 1.1 with
// the target prefix "AmazonAthena". It is only the table of operations.
package athenahttp
