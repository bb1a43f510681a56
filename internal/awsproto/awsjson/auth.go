package awsjson

import (
	"net/http"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// AuthError spells e, a refusal of the front door's signature checks, as
// the JSON protocols do. The checks are shared with S3 and name their
// errors as S3 does (SignatureDoesNotMatch, InvalidAccessKeyId); the
// services behind X-Amz-Target answer the same conditions with the codes
// of the framework in front of them (InvalidSignatureException,
// UnrecognizedClientException), and S3's extra members become part of
// the message, where a JSON client shows them. Other errors keep
// their code and message. The result is always a new value, without S3's
// members.
//
// The status is 400 where S3 answers 403, as these services answer a bad
// signature or key ("Service: AmazonKinesis; Status Code: 400; Error Code:
// InvalidSignatureException", Glue's and ECS's UnrecognizedClientException
// likewise), but for a missing token, which their framework answers 403
// ("Missing Authentication Token"; DynamoDB's 400 is its own,
// Service.ForbiddenStatus).
func AuthError(e *awserr.Error) *awserr.Error {
	out := authError(e)
	if out.Status == http.StatusForbidden && out.Code != "MissingAuthenticationTokenException" {
		out.Status = http.StatusBadRequest
	}
	return out
}

func authError(e *awserr.Error) *awserr.Error {
	switch e.Code {
	case "SignatureDoesNotMatch", "XAmzContentSHA256Mismatch":
		msg := "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
		if canonical := e.Field("CanonicalRequest"); canonical != "" {
			msg += "\n\nThe Canonical String for this request should have been\n'" + canonical +
				"'\n\nThe String-to-Sign should have been\n'" + e.Field("StringToSign") + "'\n"
		}
		return rewritten(e, "InvalidSignatureException", msg)
	case "InvalidAccessKeyId":
		return rewritten(e, "UnrecognizedClientException", "The security token included in the request is invalid.")
	case "InvalidToken": // a session token: worded without the full stop
		return rewritten(e, "UnrecognizedClientException", "The security token included in the request is invalid")
	case "RequestTimeTooSkewed":
		return rewritten(e, "InvalidSignatureException", skewMessage(e.Field("RequestTime"), e.Field("ServerTime")))
	case "AuthorizationHeaderMalformed", "AuthorizationQueryParametersError":
		return rewritten(e, "IncompleteSignatureException", e.Message)
	case "InvalidArgument":
		if e.Message == "Unsupported Authorization Type" { // not AWS4: no token at all, to these services
			return &awserr.Error{Code: "MissingAuthenticationTokenException", Message: "Missing Authentication Token", Status: http.StatusForbidden, Err: e.Err}
		}
		return rewritten(e, "IncompleteSignatureException", e.Message)
	case "AccessDenied":
		// The verifier's AccessDenied are all refusals of the signature,
		// told apart by their messages (sigv4/errors.go, parse.go).
		switch e.Message {
		case "AWS authentication requires a valid Date or x-amz-date header":
			return rewritten(e, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.")
		case "The host header must be signed.":
			return rewritten(e, "InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.")
		case "Request has expired", "Request is not valid yet":
			return rewritten(e, "InvalidSignatureException", e.Message)
		}
		msg := e.Message
		if h := e.Field("HeadersNotSigned"); h != "" {
			msg += ": " + h
		}
		return rewritten(e, "AccessDeniedException", msg)
	}
	// S3's members are no part of a JSON service's answer.
	return rewritten(e, e.Code, e.Message)
}

// skewMessage words a request too far from the server's time as DynamoDB
// and Kinesis do: its time against the server's, with the 15 minutes
// allowed either way (times as SigV4 and RFC 3339 write them).
func skewMessage(request, server string) string {
	const skew, form = 15 * time.Minute, "20060102T150405Z"
	req, errReq := time.Parse(form, request)
	now, errNow := time.Parse(time.RFC3339, server)
	switch {
	case errReq != nil || errNow != nil:
		return "Signature expired"
	case req.After(now):
		return "Signature not yet current: " + req.Format(form) + " is still later than " + now.Add(skew).Format(form) + " (" + now.Format(form) + " + 15 min.)"
	}
	return "Signature expired: " + req.Format(form) + " is now earlier than " + now.Add(-skew).Format(form) + " (" + now.Format(form) + " - 15 min.)"
}

// rewritten is e under a code and message, without S3's members.
func rewritten(e *awserr.Error, code, message string) *awserr.Error {
	return &awserr.Error{Code: code, Message: message, Status: e.Status, Err: e.Err}
}
