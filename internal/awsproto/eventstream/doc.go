// Package eventstream writes AWS event stream messages
// (application/vnd.amazon.eventstream), the framing of streaming
// responses such as Kinesis SubscribeToShard:
//
//	u32 total length | u32 headers length | u32 CRC-32 of the 8 bytes before
//	headers: u8 name length | name | u8 type (7: string) | u16 value length | value
//	payload | u32 CRC-32 of everything before
//
// Lengths are big endian; the CRC is IEEE's.
package eventstream
