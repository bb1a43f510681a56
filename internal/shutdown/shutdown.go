package shutdown

import "context"

type key struct{}

// WithSignal returns ctx carrying begun, a channel the server closes as it
// begins to shut down. The server puts it in every request's base context.
func WithSignal(ctx context.Context, begun <-chan struct{}) context.Context {
	return context.WithValue(ctx, key{}, begun)
}

// Begun returns the channel closed when the server begins to shut down. A
// context without one (a test calling a service directly) gets nil, which
// never closes.
func Begun(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(key{}).(<-chan struct{})
	return ch
}
