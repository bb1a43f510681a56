// Package s3http is S3's REST-XML wire: it routes HTTP requests to
// s3.Service operations (path-style and virtual-hosted-style), reads their
// headers, query parameters and XML bodies into Input structs, and writes
// Outputs back as S3 headers and XML. Errors are rendered by restxml.
//
// It holds no state beyond its configuration and does no storage itself.
package s3http
