package awsjson

import (
	"testing"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/sigv4"
)

func TestAuthError(t *testing.T) {
	for _, c := range []struct {
		in         *awserr.Error
		code, msg  string
		wantStatus int
	}{
		{sigv4.ErrSignatureDoesNotMatch.With("CanonicalRequest", "POST\n/").With("StringToSign", "AWS4-HMAC-SHA256\nx"), "InvalidSignatureException",
			"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details." +
				"\n\nThe Canonical String for this request should have been\n'POST\n/'\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\nx'\n", 400},
		{sigv4.ErrContentSHA256Mismatch.With("ClientComputedContentSHA256", "x"), "InvalidSignatureException",
			"The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.", 400},
		{sigv4.ErrInvalidAccessKeyID.With("AWSAccessKeyId", "AKIA"), "UnrecognizedClientException", "The security token included in the request is invalid.", 400},
		{sigv4.ErrInvalidToken, "UnrecognizedClientException", "The security token included in the request is invalid", 400},
		{sigv4.ErrRequestTimeTooSkewed.With("RequestTime", "20261125T060000Z").With("ServerTime", "2026-11-25T06:30:00Z"), "InvalidSignatureException",
			"Signature expired: 20261125T060000Z is now earlier than 20261125T061500Z (20261125T063000Z - 15 min.)", 400},
		{sigv4.ErrRequestTimeTooSkewed.With("RequestTime", "20261125T070000Z").With("ServerTime", "2026-11-25T06:30:00Z"), "InvalidSignatureException",
			"Signature not yet current: 20261125T070000Z is still later than 20261125T064500Z (20261125T063000Z + 15 min.)", 400},
		{sigv4.ErrRequestTimeTooSkewed, "InvalidSignatureException", "Signature expired", 400},
		{sigv4.ErrHeaderMalformed.WithMessage("The authorization header is malformed; x"), "IncompleteSignatureException", "The authorization header is malformed; x", 400},
		{sigv4.ErrUnsupportedMechanism, "MissingAuthenticationTokenException", "Missing Authentication Token", 403},
		{sigv4.ErrAuthHeaderSpaces, "IncompleteSignatureException", sigv4.ErrAuthHeaderSpaces.Message, 400},
		{sigv4.ErrMissingDate, "IncompleteSignatureException", "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.", 400},
		{sigv4.ErrAccessDenied.WithMessage("The host header must be signed."), "InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization.", 400},
		{sigv4.ErrExpired.With("X-Amz-Expires", "60"), "InvalidSignatureException", "Request has expired", 400},
		{sigv4.ErrHeadersNotSigned.With("HeadersNotSigned", "x-amz-target"), "AccessDeniedException",
			"There were headers present in the request which were not signed: x-amz-target", 400},
		{sigv4.ErrIncompleteBody, "IncompleteBody", sigv4.ErrIncompleteBody.Message, 400},
		{awserr.New("MissingAuthenticationTokenException", 403, "Missing Authentication Token"), "MissingAuthenticationTokenException", "Missing Authentication Token", 403},
	} {
		got := AuthError(c.in)
		if got.Code != c.code || got.Message != c.msg || got.Status != c.wantStatus || got.Fields != nil {
			t.Errorf("%s (%s):\n got %s %d %q %v\nwant %s %d %q", c.in.Code, c.in.Message, got.Code, got.Status, got.Message, got.Fields, c.code, c.wantStatus, c.msg)
		}
	}
}
