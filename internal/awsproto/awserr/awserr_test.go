package awserr

import (
	"errors"
	"fmt"
	"testing"
)

func TestError(t *testing.T) {
	base := New("NoSuchKey", 404, "The specified key does not exist.")
	e := base.With("Key", "a/b").WithHeader("x-amz-delete-marker", "true").Wrap(errors.New("boom"))
	if len(base.Fields) != 0 || len(base.Header) != 0 || base.Err != nil {
		t.Fatal("With/Wrap modified the receiver")
	}
	if e.Field("Key") != "a/b" || e.Field("Nope") != "" {
		t.Fatalf("Field: %+v", e.Fields)
	}
	wrapped := fmt.Errorf("outer: %w", e)
	got, ok := As(wrapped)
	if !ok || got.Code != "NoSuchKey" || got.Status != 404 {
		t.Fatalf("As = %v, %v", got, ok)
	}
	if !errors.Is(e, e.Err) && errors.Unwrap(e) == nil {
		t.Fatal("cause not unwrapped")
	}
	if _, ok := As(errors.New("plain")); ok {
		t.Fatal("plain error matched")
	}
	if in := Internal(errors.New("disk")); in.Status != 500 || in.Code != "InternalError" {
		t.Fatalf("Internal = %+v", in)
	}
}
