// Package shutdown carries the server's shutdown to the requests that wait:
// a GetQueryExecution waiting for a query's end, a SubscribeToShard stream.
// They answer when it begins, so that none holds a graceful shutdown up;
// requests that merely run finish as they would.
package shutdown
