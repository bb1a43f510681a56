// Package restxml is the REST-XML protocol (S3): XML documents in and out,
// and S3's <Error> body. It knows nothing of any service's operations.
package restxml
