package s3

import (
	"reflect"
	"testing"
	"time"
)

func TestObjectRecord_RoundTrip(t *testing.T) {
	for _, o := range []objectRecord{
		{Modified: time.Unix(0, 0).UTC()},
		{Modified: time.Unix(5, 0).UTC(), DeleteMarker: true, Stamp: 1 << 62, VersionID: "AAAAAAAAAAAAAAAAAAAAAA"},
		{
			Size: 123456789, ETag: "0123456789abcdef0123456789abcdef-3", Modified: time.Date(2026, 11, 22, 10, 0, 0, 123000000, time.UTC),
			Data:     dataRef{ID: "ABCDEFGHIJKLMNOPQRSTUVWXYZ", Inline: true},
			Headers:  Headers{ContentType: "text/csv", ContentEncoding: "gzip", ContentDisposition: "attachment", ContentLanguage: "en", CacheControl: "no-cache", Expires: "Thu, 01 Jan 2037 00:00:00 GMT"},
			Metadata: map[string]string{"b": "2", "a": "1"}, StorageClass: "STANDARD_IA",
			Tags:     []Tag{{"zone", "raw"}, {"team", ""}},
			Checksum: Checksum{Algorithm: "CRC32", Value: "AAAAAA==-3", Type: ChecksumComposite},
			Parts:    []partInfo{{Size: 5 << 20, Checksum: "AAAAAA=="}, {Size: 1}}, Owner: "123456789012",
			VersionID: "GF1Qm2p7AAA-x_yz012345", Stamp: 1795000000123456789,
		},
		{
			Modified: time.Unix(9, 0).UTC(), Data: dataRef{ID: "X", Sealed: []byte{0, 1, 2, 255}},
			Encryption: encryption{Mode: SSEKMS, KMSKeyID: "arn:aws:kms:us-east-1:123456789012:key/k", Context: "e30=", BucketKey: true},
		},
		{Modified: time.Unix(9, 0).UTC(), Data: dataRef{ID: "Y", Sealed: []byte("w")}, Encryption: encryption{Mode: sseCustomer, KeyMD5: "md5"}},
	} {
		var got objectRecord
		if err := got.unmarshal(o.marshal()); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, o) {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, o)
		}
		if isDeleteMarker(o.marshal()) != o.DeleteMarker {
			t.Fatalf("isDeleteMarker = %v, want %v", !o.DeleteMarker, o.DeleteMarker)
		}
	}
}

// Records written before versioning (format 1) still decode.
func TestObjectRecord_FormatV1(t *testing.T) {
	var e encoder
	e.b = append(e.b, objectFormatV1)
	e.varint(42)
	e.varint(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC).UnixNano())
	for _, s := range []string{"etag", "", "123456789012", "CRC64NVME", "FULL_OBJECT", "AAAAAAAAAAA=", "id", ""} {
		e.str(s)
	}
	e.b = e.b[:len(e.b)-1] // the inline flag is a bool, not a string
	e.bool(true)
	for range 6 {
		e.str("")
	}
	e.uvarint(0)
	e.uvarint(0)
	e.uvarint(0)
	var o objectRecord
	if err := o.unmarshal(e.b); err != nil {
		t.Fatal(err)
	}
	if o.Size != 42 || o.ETag != "etag" || !o.Data.Inline || o.Data.ID != "id" || o.VersionID != "" || o.DeleteMarker || o.Stamp != 0 {
		t.Fatalf("decoded %+v", o)
	}
	if isDeleteMarker(e.b) {
		t.Fatal("a format 1 record is never a delete marker")
	}
}

func FuzzObjectRecord(f *testing.F) {
	f.Add((&objectRecord{Size: 5, ETag: "e", Metadata: map[string]string{"k": "v"}, Parts: []partInfo{{1, "c"}}}).marshal())
	f.Add((&objectRecord{DeleteMarker: true, VersionID: "v", Stamp: 7}).marshal())
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
