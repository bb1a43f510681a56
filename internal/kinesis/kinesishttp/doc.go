// Package kinesishttp serves Kinesis Data Streams over AWS's JSON 1.1
// protocol (X-Amz-Target: Kinesis_20131202.<Operation>).
package kinesishttp
