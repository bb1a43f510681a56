// Package auth holds who a request is from: the Identity that SigV4
// verification produces and that services read, and the set of known access
// keys.
//
// Identity travels in the request context through WithIdentity/FromContext,
// a typed accessor, so domain packages can read the caller without importing
// net/http or the signing code.
//
// Accounts: a 12-digit access key id selects that account; keys listed in a
// credentials file name their own account; anything else belongs to
// DefaultAccount. This package is a leaf: it imports no other Lakebox package.
package auth
