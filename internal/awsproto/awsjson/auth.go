package awsjson

import (
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// AuthError spells e, a refusal of the front door's signature checks, as
// the JSON protocols do. The checks are shared with S3 and name their
// errors as S3 does (SignatureDoesNotMatch, InvalidAccessKeyId); the
// services behind X-Amz-Target answer the same conditions with the codes
// of the framework in front of them (InvalidSignatureException,
// UnrecognizedClientException), and S3's extra members become part of
// the message, where a JSON client shows them. Other errors are returned
// as they are.
func AuthError(e *awserr.Error) *awserr.Error {
	switch e.Code {
	case "SignatureDoesNotMatch":
		msg := "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
		if canonical := e.Field("CanonicalRequest"); canonical != "" {
			msg += "\n\nThe Canonical String for this request should have been\n'" + canonical +
				"'\n\nThe String-to-Sign should have been\n'" + e.Field("StringToSign") + "'\n"
		}
		return rewritten(e, "InvalidSignatureException", msg)
	case "InvalidAccessKeyId", "InvalidToken":
		return rewritten(e, "UnrecognizedClientException", "The security token included in the request is invalid.")
	case "RequestTimeTooSkewed":
		// As DynamoDB and Kinesis word it: the request's time against the
		// server's, with the 15 minutes allowed either way.
		req, errReq := time.Parse("20060102T150405Z", e.Field("RequestTime"))
		now, errNow := time.Parse(time.RFC3339, e.Field("ServerTime"))
		if errReq != nil || errNow != nil {
			return rewritten(e, "InvalidSignatureException", "Signature expired")
		}
		const skew, form = 15 * time.Minute, "20060102T150405Z"
		if req.After(now) {
			return rewritten(e, "InvalidSignatureException", "Signature not yet current: "+req.Format(form)+" is still later than "+
				now.Add(skew).Format(form)+" ("+now.Format(form)+" + 15 min.)")
		}
		return rewritten(e, "InvalidSignatureException", "Signature expired: "+req.Format(form)+" is now earlier than "+
			now.Add(-skew).Format(form)+" ("+now.Format(form)+" - 15 min.)")
	case "AuthorizationHeaderMalformed", "AuthorizationQueryParametersError", "InvalidArgument":
		return rewritten(e, "IncompleteSignatureException", e.Message)
	case "AccessDenied":
		return rewritten(e, "AccessDeniedException", e.Message)
	}
	return e
}

// rewritten is e under another code and message, without S3's members.
func rewritten(e *awserr.Error, code, message string) *awserr.Error {
	return &awserr.Error{Code: code, Message: message, Status: e.Status, Err: e.Err}
}
