// Package signedtoken makes the opaque tokens clients hand back, such as
// shard iterators: a body the server reads back, followed by the first
// 16 bytes of its HMAC-SHA256 under a server key, in base64. A token
// opens only under the key that made it, unchanged.
package signedtoken
