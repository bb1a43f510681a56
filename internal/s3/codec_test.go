package s3

import (
	"reflect"
	"testing"
	"time"
)

func TestObjectRecord_RoundTrip(t *testing.T) {
	for _, o := range []objectRecord{
		{Modified: time.Unix(0, 0).UTC()},
		{
			Size: 123456789, ETag: "0123456789abcdef0123456789abcdef-3", Modified: time.Date(2026, 11, 22, 10, 0, 0, 123000000, time.UTC),
			Data:     dataRef{ID: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", Inline: true},
			Headers:  Headers{ContentType: "text/csv", ContentEncoding: "gzip", ContentDisposition: "attachment", ContentLanguage: "en", CacheControl: "no-cache", Expires: "Thu, 01 Jan 2037 00:00:00 GMT"},
			Metadata: map[string]string{"b": "2", "a": "1"}, StorageClass: "STANDARD_IA",
			Tags:     []Tag{{"zone", "raw"}, {"team", ""}},
			Checksum: Checksum{Algorithm: "CRC32", Value: "AAAAAA==-3", Type: ChecksumComposite},
			Parts:    []partInfo{{Size: 5 << 20, Checksum: "AAAAAA=="}, {Size: 1}}, Owner: "123456789012",
		},
	} {
		var got objectRecord
		if err := got.unmarshal(o.marshal()); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, o) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, o)
		}
	}
}

func FuzzObjectRecord(f *testing.F) {
	f.Add((&objectRecord{Size: 5, ETag: "e", Metadata: map[string]string{"k": "v"}, Parts: []partInfo{{1, "c"}}}).marshal())
	f.Add([]byte{objectFormatV1, 0xff, 0xff, 0xff})
	f.Add([]byte{objectFormatV1, 2, 2, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01})
	f.Fuzz(func(t *testing.T, b []byte) {
		var o objectRecord
		if err := o.unmarshal(b); err != nil {
			return
		}
		var again objectRecord
		if err := again.unmarshal(o.marshal()); err != nil {
			t.Fatalf("re-decoding an encoded record: %v", err)
		}
	})
}
