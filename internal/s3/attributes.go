package s3

import (
	"context"
	"time"
)

type GetObjectAttributesInput struct {
	Bucket, Key string
	VersionID   string
	// Attributes are the x-amz-object-attributes names asked for.
	Attributes       []string
	MaxParts         int
	PartNumberMarker int
}

// ObjectParts describes the parts of a multipart object.
type ObjectParts struct {
	TotalPartsCount      int
	PartNumberMarker     int
	NextPartNumberMarker int
	MaxParts             int
	IsTruncated          bool
	Parts                []PartInfo
}

type GetObjectAttributesOutput struct {
	Modified  time.Time
	VersionID string
	// Each field below is set only if its attribute was asked for.
	ETag         string
	Checksum     *Checksum
	ObjectParts  *ObjectParts
	StorageClass string
	ObjectSize   *int64
}

func (s *Service) GetObjectAttributes(ctx context.Context, in *GetObjectAttributesInput) (*GetObjectAttributesOutput, error) {
	action := "s3:GetObjectAttributes"
	if in.VersionID != "" {
		action = "s3:GetObjectVersionAttributes"
	}
	bk, err := s.bucket(ctx, in.Bucket, sameRegion, action, in.Key)
	if err != nil {
		return nil, err
	}
	id, byVersion, err := parseVersionID(in.VersionID)
	if err != nil {
		return nil, err
	}
	if len(in.Attributes) == 0 {
		return nil, ErrInvalidArgument.WithMessage("Invalid attribute name specified.")
	}
	for _, a := range in.Attributes {
		switch a {
		case "ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize":
		default:
			return nil, invalidArgument("x-amz-object-attributes", a, "Invalid attribute name specified.")
		}
	}
	if in.MaxParts < 0 || in.PartNumberMarker < 0 {
		return nil, ErrInvalidArgument.WithMessage("max-parts and part-number-marker must be non-negative integers")
	}
	o, err := s.readVersion(bk, in.Key, id, byVersion)
	if err != nil {
		return nil, err
	}
	out := &GetObjectAttributesOutput{Modified: o.Modified, VersionID: wireVersion(bk, o)}
	for _, a := range in.Attributes {
		switch a {
		case "ETag":
			out.ETag = o.ETag
		case "Checksum":
			if !o.Checksum.IsZero() {
				c := o.Checksum
				out.Checksum = &c
			}
		case "StorageClass":
			out.StorageClass = o.storageClass()
		case "ObjectSize":
			size := o.Size
			out.ObjectSize = &size
		case "ObjectParts":
			if len(o.Parts) > 0 {
				out.ObjectParts = o.objectParts(in.PartNumberMarker, in.MaxParts)
			}
		}
	}
	return out, nil
}

func (o *objectRecord) objectParts(marker, maxParts int) *ObjectParts {
	if maxParts == 0 {
		maxParts = 1000
	}
	op := &ObjectParts{TotalPartsCount: len(o.Parts), PartNumberMarker: marker, MaxParts: maxParts}
	for i := marker; i < len(o.Parts); i++ {
		if len(op.Parts) == maxParts {
			op.IsTruncated = true
			break
		}
		op.Parts = append(op.Parts, PartInfo{PartNumber: i + 1, Size: o.Parts[i].Size, Checksum: o.Parts[i].Checksum})
		op.NextPartNumberMarker = i + 1
	}
	return op
}
