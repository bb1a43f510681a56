package kinesishttp

import (
	"context"
	"net/http"

	"github.com/lakebox/lakebox/internal/awsproto/awsjson"
	"github.com/lakebox/lakebox/internal/awsproto/eventstream"
	"github.com/lakebox/lakebox/internal/kinesis"
)

// subscribeToShard answers SubscribeToShard with an event stream: the
// initial-response event botocore waits for, then a SubscribeToShardEvent
// whenever records arrive (or after a heartbeat), until the subscription
// ends.
func subscribeToShard(svc *kinesis.Service) awsjson.Handler {
	op := awsjson.Op(func(ctx context.Context, in *kinesis.SubscribeToShardInput) (*kinesis.Subscription, error) {
		return svc.SubscribeToShard(ctx, in)
	})
	return func(ctx context.Context, body []byte) (any, error) {
		sub, err := op(ctx, body)
		if err != nil {
			return nil, err
		}
		return subscription{ctx, sub.(*kinesis.Subscription)}, nil
	}
}

type subscription struct {
	ctx context.Context
	sub *kinesis.Subscription
}

func (s subscription) Stream(w http.ResponseWriter, enc awsjson.Encoding) {
	defer s.sub.Close()
	// Event payloads are in the request's encoding; botocore reads JSON
	// ones whatever the response's content type says.
	payloadType := "application/json"
	if enc.CBOR() {
		payloadType = enc.ContentType
	}
	w.Header().Set("Content-Type", "application/vnd.amazon.eventstream")
	w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(w) // through the server's wrappers
	send := func(msg []byte) bool {
		if _, err := w.Write(msg); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	empty, _ := enc.Marshal(struct{}{})
	if !send(eventstream.Event(nil, "initial-response", payloadType, empty)) {
		return
	}
	var buf []byte
	for {
		ev, err := s.sub.Next(s.ctx)
		if err != nil {
			payload, _ := enc.Marshal(map[string]string{"message": "Internal failure"})
			send(eventstream.Exception(buf[:0], "InternalFailureException", payloadType, payload))
			return
		}
		if ev == nil {
			return
		}
		payload, err := enc.Marshal(ev)
		if err != nil {
			return
		}
		buf = eventstream.Event(buf[:0], "SubscribeToShardEvent", payloadType, payload)
		if !send(buf) {
			return
		}
	}
}
