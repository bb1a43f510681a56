package s3

import "github.com/lakebox/lakebox/internal/awsproto/awserr"

// Every error code this package returns. Messages follow Amazon S3's.
var (
	ErrNoSuchBucket = awserr.New("NoSuchBucket", 404, "The specified bucket does not exist")
	ErrNoSuchKey    = awserr.New("NoSuchKey", 404, "The specified key does not exist.")
	ErrNoSuchUpload = awserr.New("NoSuchUpload", 404,
		"The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.")
	ErrBucketAlreadyExists = awserr.New("BucketAlreadyExists", 409,
		"The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.")
	ErrBucketAlreadyOwnedByYou = awserr.New("BucketAlreadyOwnedByYou", 409,
		"Your previous request to create the named bucket succeeded and you already own it.")
	ErrBucketNotEmpty     = awserr.New("BucketNotEmpty", 409, "The bucket you tried to delete is not empty")
	ErrInvalidBucketName  = awserr.New("InvalidBucketName", 400, "The specified bucket is not valid.")
	ErrKeyTooLong         = awserr.New("KeyTooLongError", 400, "Your key is too long")
	ErrInvalidArgument    = awserr.New("InvalidArgument", 400, "Invalid Argument")
	ErrInvalidRequest     = awserr.New("InvalidRequest", 400, "Invalid Request")
	ErrMalformedXML       = awserr.New("MalformedXML", 400, "The XML you provided was not well-formed or did not validate against our published schema")
	ErrInvalidDigest      = awserr.New("InvalidDigest", 400, "The Content-MD5 you specified was invalid.")
	ErrBadDigest          = awserr.New("BadDigest", 400, "The Content-MD5 you specified did not match what we received.")
	ErrEntityTooLarge     = awserr.New("EntityTooLarge", 400, "Your proposed upload exceeds the maximum allowed object size.")
	ErrEntityTooSmall     = awserr.New("EntityTooSmall", 400, "Your proposed upload is smaller than the minimum allowed object size.")
	ErrIncompleteBody     = awserr.New("IncompleteBody", 400, "You did not provide the number of bytes specified by the Content-Length HTTP header")
	ErrInvalidRange       = awserr.New("InvalidRange", 416, "The requested range is not satisfiable")
	ErrPreconditionFailed = awserr.New("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold")
	ErrNotModified        = awserr.New("NotModified", 304, "Not Modified")
	ErrInvalidPart        = awserr.New("InvalidPart", 400,
		"One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")
	ErrInvalidPartNumber = awserr.New("InvalidPartNumber", 416, "The requested partnumber is not satisfiable")
	ErrInvalidPartOrder  = awserr.New("InvalidPartOrder", 400,
		"The list of parts was not in ascending order. Parts must be ordered by part number.")
	ErrInvalidTag                = awserr.New("InvalidTag", 400, "The TagSet you have provided is invalid")
	ErrNoSuchTagSet              = awserr.New("NoSuchTagSet", 404, "The TagSet does not exist")
	ErrAccessDenied              = awserr.New("AccessDenied", 403, "Access Denied")
	ErrACLNotAllowed             = awserr.New("AccessControlListNotSupported", 400, "The bucket does not allow ACLs")
	ErrInvalidLocationConstraint = awserr.New("InvalidLocationConstraint", 400,
		"The specified location-constraint is not valid")
	ErrIllegalLocationConstraint = awserr.New("IllegalLocationConstraintException", 400,
		"The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	ErrWrongRegion = awserr.New("AuthorizationHeaderMalformed", 400,
		"The authorization header is malformed; the region is wrong")
	ErrInvalidStorageClass     = awserr.New("InvalidStorageClass", 400, "The storage class you specified is not valid")
	ErrMissingContentLength    = awserr.New("MissingContentLength", 411, "You must provide the Content-Length HTTP header.")
	ErrNoSuchVersion           = awserr.New("NoSuchVersion", 404, "The specified version does not exist.")
	ErrMethodNotAllowed        = awserr.New("MethodNotAllowed", 405, "The specified method is not allowed against this resource.")
	ErrNotImplementedMFADelete = awserr.NotImplemented("MFA delete")
	ErrTooManyConfigurations   = awserr.New("TooManyConfigurations", 400, "You are attempting to create a new configuration but have already reached the 1,000-configuration limit.")
)

// Errors for bucket configurations that Lakebox has never stored: reading one
// answers exactly as S3 does for a bucket without that configuration.
var (
	ErrNoSuchBucketPolicy = awserr.New("NoSuchBucketPolicy", 404, "The bucket policy does not exist")
	ErrNoSuchCORS         = awserr.New("NoSuchCORSConfiguration", 404, "The CORS configuration does not exist")
	ErrNoSuchLifecycle    = awserr.New("NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist")
	ErrNoSuchEncryption   = awserr.New("ServerSideEncryptionConfigurationNotFoundError", 404, "The server side encryption configuration was not found")
	ErrNoSuchWebsite      = awserr.New("NoSuchWebsiteConfiguration", 404, "The specified bucket does not have a website configuration")
	ErrNoSuchObjectLock   = awserr.New("ObjectLockConfigurationNotFoundError", 404, "Object Lock configuration does not exist for this bucket")
	ErrNoSuchPublicAccess = awserr.New("NoSuchPublicAccessBlockConfiguration", 404, "The public access block configuration was not found")
	ErrNoSuchReplication  = awserr.New("ReplicationConfigurationNotFoundError", 404, "The replication configuration was not found")
	ErrNoSuchAnalytics    = awserr.New("NoSuchConfiguration", 404, "The specified configuration does not exist.")
)

func noSuchBucket(bucket string) error { return ErrNoSuchBucket.With("BucketName", bucket) }
func noSuchKey(key string) error       { return ErrNoSuchKey.With("Key", key) }
func noSuchUpload(id string) error     { return ErrNoSuchUpload.With("UploadId", id) }

func invalidArgument(name, value, format string, args ...any) error {
	return ErrInvalidArgument.WithMessage(format, args...).With("ArgumentName", name).With("ArgumentValue", value)
}
