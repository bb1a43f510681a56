// Package seal encrypts object bodies at rest (docs/format/sealed.md).
//
// A body is sealed with its own random data key, in chunks of ChunkSize
// bytes, each an AES-256-GCM message whose nonce is the chunk's index and a
// flag marking the last chunk: chunks cannot be reordered, dropped or
// truncated unnoticed, and any range of the body is read by opening only
// the chunks that hold it. Data keys are stored wrapped (AES-256-GCM) by a
// key-encryption key, with the body's identity as additional data.
package seal
