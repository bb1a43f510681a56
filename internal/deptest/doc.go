// Package deptest guards Lakebox's layering with a test: domain packages do
// not import net/http, only tests import the AWS SDK, only the meta store
// imports Pebble, and every package documents itself in a doc.go. It has no
// code of its own.
package deptest
