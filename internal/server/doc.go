// Package server builds Lakebox from one Config: it opens the stores, makes
// the services and their protocol handlers, and serves them all on one
// listener. It is the only package that imports every service.
//
// The request path: request id and recovery, admin routes (/_lakebox/*,
// /metrics), SigV4 parsing to find the service from the credential scope,
// verification, then the service's protocol handler. Every request is
// logged as one JSON line and counted in Prometheus metrics.
//
// Serve returns when its context ends, after in-flight requests finish;
// Close then closes the stores.
package server
