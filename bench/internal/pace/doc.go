// Package pace wakes a benchmark's client when a paced request is due.
//
// time.Sleep is not precise enough for that on Linux: when every thread of
// a Go process idles, the runtime waits in epoll with a timeout of whole
// milliseconds, so a sleep ends up to a millisecond late. On two cores at
// 2,500 requests/s, sleeps ended 0.2 ms late at the median and 1.1 ms at
// the 90th percentile, and latencies counted from when each request was
// due charged that to every server, the floor included. A timerfd wakes
// Go's poller as an event instead, within microseconds (0.06 and 0.14 ms).
// Elsewhere a Sleeper uses time.Sleep.
package pace
