// Package clock is the one source of "now" for everything time-based in
// Lakebox: lifecycle, retention, TTL, schedules, metrics and cost all read
// Clock.Now, so advancing the clock (POST /_lakebox/clock) makes every
// feature see the future at once.
//
// Two kinds of time exist and must not be confused:
//
//   - Now is server time: wall time plus an offset that only ever grows.
//     Data timestamps (LastModified, creation dates) and background work use it.
//   - Wall is the real time of the machine. Request signing lives in the
//     client's real time, so SigV4 skew and presigned-URL expiry use Wall;
//     otherwise one advance of the clock would reject every client.
//
// The package imports nothing from Lakebox and holds no package-level state.
package clock
