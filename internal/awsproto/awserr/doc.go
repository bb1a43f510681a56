// Package awserr holds the one error type that reaches AWS clients.
//
// A service returns *Error for anything the client should see; every protocol
// adapter (restxml, awsjson, ...) renders it in its own wire shape. Anything
// else that escapes a handler is a bug or an I/O failure and becomes a 500
// InternalError whose cause is logged, never sent.
//
// This package is a leaf: it must not import net/http or any other Lakebox
// package.
package awserr
