package s3

import (
	"net/netip"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxKeyLength is the longest object key S3 accepts, in bytes.
const MaxKeyLength = 1024

var bucketNameRE = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)

// ValidBucketName reports whether name follows S3's general purpose bucket
// naming rules.
func ValidBucketName(name string) bool {
	if !bucketNameRE.MatchString(name) || strings.Contains(name, "..") {
		return false
	}
	if _, err := netip.ParseAddr(name); err == nil {
		return false
	}
	for _, p := range []string{"xn--", "sthree-", "amzn-s3-demo-"} {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"} {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

func checkBucketName(name string) error {
	if !ValidBucketName(name) {
		return ErrInvalidBucketName.With("BucketName", name)
	}
	return nil
}

// checkKey validates an object key. Keys are never used as file paths, so
// ".." is harmless to storage; it is refused like NUL because such keys break
// the clients and tools that map keys to paths (aws s3 sync among them).
func checkKey(key string) error {
	switch {
	case key == "":
		return ErrInvalidArgument.WithMessage("Object key must not be empty.")
	case len(key) > MaxKeyLength:
		return ErrKeyTooLong.With("MaxSizeAllowed", "1024").With("Size", strconv.Itoa(len(key)))
	case !utf8.ValidString(key):
		return invalidArgument("key", "", "Object key must be valid UTF-8.")
	case strings.IndexByte(key, 0) >= 0:
		return invalidArgument("key", "", "Object key must not contain a NUL character.")
	}
	for seg := range strings.SplitSeq(key, "/") {
		if seg == ".." {
			return invalidArgument("key", key, "Object key must not contain a \"..\" path segment.")
		}
	}
	return nil
}

// Storage classes whose objects are readable at once. The archive classes
// (GLACIER, DEEP_ARCHIVE) need restores, which Lakebox does not carry out yet.
var storageClasses = map[string]bool{
	"STANDARD":            true,
	"REDUCED_REDUNDANCY":  true,
	"STANDARD_IA":         true,
	"ONEZONE_IA":          true,
	"INTELLIGENT_TIERING": true,
	"GLACIER_IR":          true,
	"GLACIER":             true,
	"DEEP_ARCHIVE":        true,
	"OUTPOSTS":            false,
	"SNOW":                false,
	"EXPRESS_ONEZONE":     false,
	"FSX_OPENZFS":         false,
	"FSX_ONTAP":           false,
}

func checkStorageClass(class string) (string, error) {
	if class == "" {
		return "STANDARD", nil
	}
	supported, known := storageClasses[class]
	switch {
	case !known:
		return "", ErrInvalidStorageClass.With("StorageClassRequested", class)
	case !supported:
		return "", ErrInvalidStorageClass.WithMessage("The storage class %s is not supported by Lakebox yet: objects in it would have to refuse reads until restored.", class).With("StorageClassRequested", class)
	}
	return class, nil
}

var regionRE = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$`)

// ValidRegion reports whether name has the shape of an AWS region.
func ValidRegion(name string) bool { return regionRE.MatchString(name) }
