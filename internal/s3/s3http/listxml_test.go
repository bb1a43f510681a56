package s3http

import (
	"bytes"
	"encoding/xml"
	"testing"

	"github.com/lakebox/lakebox/internal/awsproto/restxml"
)

func TestListXML(t *testing.T) {
	marker, count := "m<&>", 2
	for _, r := range []listBucketResult{
		{Xmlns: restxml.Namespace, Name: "b", MaxKeys: 1000},
		{
			Xmlns: restxml.Namespace, Name: "bucket", Prefix: "a/\"b'", Marker: &marker, NextMarker: "n",
			ContinuationToken: "c", NextContinuationToken: "nc", StartAfter: "s", KeyCount: &count, MaxKeys: 2,
			Delimiter: "/", EncodingType: "url", IsTruncated: true,
			Contents: []objectXML{
				{Key: "ünï\tcødé\n<key>&", LastModified: "2026-11-22T10:00:00.000Z", ETag: `"e"`, ChecksumAlgorithm: "CRC32", ChecksumType: "FULL_OBJECT", Size: 5, Owner: &ownerXML{ID: "id", DisplayName: "dn"}, StorageClass: "STANDARD"},
				{Key: "plain", LastModified: "x", ETag: "y", Size: 0, Owner: &ownerXML{ID: "id"}, StorageClass: "STANDARD_IA"},
				{Key: "bad\x01utf8\xff", StorageClass: "STANDARD"},
			},
			CommonPrefixes: []prefixXML{{Prefix: "p/"}, {Prefix: "q&/"}},
		},
	} {
		var want bytes.Buffer
		want.WriteString(xml.Header)
		if err := xml.NewEncoder(&want).Encode(r); err != nil {
			t.Fatal(err)
		}
		if got := r.marshal(); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("hand-written XML differs:\n got %s\nwant %s", got, want.Bytes())
		}
	}
}
