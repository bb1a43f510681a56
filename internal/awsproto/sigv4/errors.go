package sigv4

import "github.com/lakebox/lakebox/internal/awsproto/awserr"

// The errors this package returns, in S3's spelling. JSON services use other
// codes for the same conditions; their adapters translate by Code.
var (
	ErrSignatureDoesNotMatch = awserr.New("SignatureDoesNotMatch", 403,
		"The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	ErrInvalidAccessKeyID = awserr.New("InvalidAccessKeyId", 403,
		"The AWS Access Key Id you provided does not exist in our records.")
	ErrRequestTimeTooSkewed = awserr.New("RequestTimeTooSkewed", 403,
		"The difference between the request time and the current time is too large.")
	ErrAccessDenied    = awserr.New("AccessDenied", 403, "Access Denied")
	ErrExpired         = awserr.New("AccessDenied", 403, "Request has expired")
	ErrNotYetValid     = awserr.New("AccessDenied", 403, "Request is not valid yet")
	ErrHeaderMalformed = awserr.New("AuthorizationHeaderMalformed", 400,
		"The authorization header is malformed")
	ErrQueryMalformed = awserr.New("AuthorizationQueryParametersError", 400,
		"Error parsing the X-Amz-Credential parameter")
	ErrUnsupportedMechanism = awserr.New("InvalidArgument", 400, "Unsupported Authorization Type")
	ErrAuthHeaderSpaces     = awserr.New("InvalidArgument", 400,
		"Authorization header is invalid -- one and only one ' ' (space) required.")
	ErrMissingQueryParams = awserr.New("AuthorizationQueryParametersError", 400,
		"Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
	ErrInvalidToken          = awserr.New("InvalidToken", 400, "The provided token is malformed or otherwise invalid.")
	ErrHeadersNotSigned      = awserr.New("AccessDenied", 403, "There were headers present in the request which were not signed")
	ErrContentSHA256Mismatch = awserr.New("XAmzContentSHA256Mismatch", 400,
		"The provided 'x-amz-content-sha256' header does not match what was computed.")
	ErrInvalidContentSHA256 = awserr.New("InvalidArgument", 400,
		"x-amz-content-sha256 must be UNSIGNED-PAYLOAD, STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER or a valid sha256 value.")
	ErrMissingDate = awserr.New("AccessDenied", 403,
		"AWS authentication requires a valid Date or x-amz-date header")
	ErrIncompleteBody = awserr.New("IncompleteBody", 400,
		"The request body terminated unexpectedly")
	ErrInvalidChunk = awserr.New("InvalidRequest", 400,
		"The aws-chunked request body is malformed.")
	ErrMissingTrailer = awserr.New("MalformedTrailerError", 400,
		"The request contained trailing data that was not well-formed or did not conform to our published schema.")
	ErrTrailerSignature = awserr.New("SignatureDoesNotMatch", 403,
		"The trailer signature we calculated does not match the signature you provided.")
)
