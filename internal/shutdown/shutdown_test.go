package shutdown

import (
	"context"
	"testing"
)

func TestBegun(t *testing.T) {
	if ch := Begun(context.Background()); ch != nil {
		t.Fatalf("a context without a signal: %v, want nil", ch)
	}
	begun := make(chan struct{})
	ctx := WithSignal(context.Background(), begun)
	child, cancel := context.WithCancel(ctx)
	defer cancel()
	select {
	case <-Begun(child):
		t.Fatal("closed before the shutdown began")
	default:
	}
	close(begun)
	select {
	case <-Begun(child):
	default:
		t.Fatal("not closed once the shutdown began")
	}
}
