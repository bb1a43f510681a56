package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
)

// queryPage is a Query response of 100 items like the bench's.
var queryPage = func() string {
	var b strings.Builder
	b.WriteString(`{"Count":100,"ScannedCount":100,"Items":[`)
	for i := range 100 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"customer_id":{"S":"partition-001"},"date":{"S":"2026-%05d"},"total_spend":{"N":"123.45"},"status":{"S":"active"}}`, i)
	}
	b.WriteString(`]}`)
	return b.String()
}()

// runFloor answers every DynamoDB call with the least a client accepts:
// an ACTIVE table, an item for GetItem, {} otherwise. It stores nothing.
func runFloor(addr string) {
	http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		switch strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "DynamoDB_20120810.") {
		case "CreateTable", "DescribeTable":
			io.WriteString(w, `{"Table":{"TableName":"bench","TableStatus":"ACTIVE"},"TableDescription":{"TableName":"bench","TableStatus":"ACTIVE"}}`)
		case "Query":
			io.WriteString(w, queryPage)
		case "GetItem":
			io.WriteString(w, `{"Item":{"customer_id":{"S":"customer-000001"},"date":{"S":"2026-11-22"},"total_spend":{"N":"123.45"},"status":{"S":"active"},"tags":{"SS":["promo","web"]},"profile":{"M":{"since":{"N":"2019"},"tier":{"S":"gold"}}}}}`)
		default:
			io.WriteString(w, `{}`)
		}
	}))
}
