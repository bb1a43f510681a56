// Package firehosehttp serves Firehose's JSON 1.1 protocol
// (Firehose_20150804.*) from a firehose.Service.
package firehosehttp
