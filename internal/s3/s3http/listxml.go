package s3http

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
)

// ListObjects responses carry up to a thousand entries and are the hottest
// documents Lakebox writes, so they are written by hand rather than by
// encoding/xml's reflection; TestListXML pins the output to what
// encoding/xml produces for the same struct.

func (r *listBucketResult) marshal() []byte {
	var b bytes.Buffer
	b.Grow(256 + len(r.Contents)*300)
	b.WriteString(xml.Header)
	b.WriteString(`<ListBucketResult xmlns="`)
	escape(&b, r.Xmlns)
	b.WriteString(`">`)
	elem(&b, "Name", r.Name)
	elem(&b, "Prefix", r.Prefix)
	if r.Marker != nil {
		elem(&b, "Marker", *r.Marker)
	}
	optElem(&b, "NextMarker", r.NextMarker)
	optElem(&b, "ContinuationToken", r.ContinuationToken)
	optElem(&b, "NextContinuationToken", r.NextContinuationToken)
	optElem(&b, "StartAfter", r.StartAfter)
	if r.KeyCount != nil {
		elem(&b, "KeyCount", strconv.Itoa(*r.KeyCount))
	}
	elem(&b, "MaxKeys", strconv.Itoa(r.MaxKeys))
	optElem(&b, "Delimiter", r.Delimiter)
	optElem(&b, "EncodingType", r.EncodingType)
	elem(&b, "IsTruncated", strconv.FormatBool(r.IsTruncated))
	for i := range r.Contents {
		o := &r.Contents[i]
		b.WriteString("<Contents>")
		elem(&b, "Key", o.Key)
		elem(&b, "LastModified", o.LastModified)
		elem(&b, "ETag", o.ETag)
		optElem(&b, "ChecksumAlgorithm", o.ChecksumAlgorithm)
		optElem(&b, "ChecksumType", o.ChecksumType)
		elem(&b, "Size", strconv.FormatInt(o.Size, 10))
		if o.Owner != nil {
			b.WriteString("<Owner>")
			elem(&b, "ID", o.Owner.ID)
			optElem(&b, "DisplayName", o.Owner.DisplayName)
			b.WriteString("</Owner>")
		}
		elem(&b, "StorageClass", o.StorageClass)
		b.WriteString("</Contents>")
	}
	for _, p := range r.CommonPrefixes {
		b.WriteString("<CommonPrefixes>")
		elem(&b, "Prefix", p.Prefix)
		b.WriteString("</CommonPrefixes>")
	}
	b.WriteString("</ListBucketResult>")
	return b.Bytes()
}

func elem(b *bytes.Buffer, name, value string) {
	b.WriteByte('<')
	b.WriteString(name)
	b.WriteByte('>')
	escape(b, value)
	b.WriteString("</")
	b.WriteString(name)
	b.WriteByte('>')
}

func optElem(b *bytes.Buffer, name, value string) {
	if value != "" {
		elem(b, name, value)
	}
}

// escape writes s as XML character data, exactly as encoding/xml does.
func escape(b *bytes.Buffer, s string) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '<', '>', '&', '\'', '"', '\t', '\n', '\r':
			xml.EscapeText(b, []byte(s)) // the rare slow path: let encoding/xml do all of it
			return
		default:
			if c < 0x20 || c >= 0x80 {
				xml.EscapeText(b, []byte(s))
				return
			}
		}
	}
	b.WriteString(s)
}

func writeList(w http.ResponseWriter, r *listBucketResult) error {
	body := r.marshal()
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(body)
	return err
}
