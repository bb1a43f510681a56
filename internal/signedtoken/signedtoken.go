package signedtoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
)

// macSize is how much of the HMAC a token carries.
const macSize = 16

// Sign returns the token of body under key.
func Sign(key, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write(body)
	out := append(body[:len(body):len(body)], m.Sum(nil)[:macSize]...)
	return base64.StdEncoding.EncodeToString(out)
}

// Open returns the body of a token Sign made with key, and false for any
// other string.
func Open(key []byte, tok string) ([]byte, bool) {
	b, err := base64.StdEncoding.DecodeString(tok)
	if err != nil || len(b) < macSize {
		return nil, false
	}
	body := b[:len(b)-macSize]
	m := hmac.New(sha256.New, key)
	m.Write(body)
	return body, hmac.Equal(m.Sum(nil)[:macSize], b[len(body):])
}
