package kinesis

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

// Enhanced fan-out consumers: registered on a stream, each subscribes to
// shards and is pushed their records (SubscribeToShard).

// maxConsumers is AWS's quota of consumers per stream.
const maxConsumers = 20

var consumerNamePattern = regexp.MustCompile(`^[a-zA-Z0-9_.-]{1,128}$`)

// consumerRecord is a consumer as stored with its stream.
type consumerRecord struct {
	Name    string `json:"name"`
	Created int64  `json:"created"` // Unix ms
}

func (r *streamRecord) consumerARN(c consumerRecord) string {
	return fmt.Sprintf("%s/consumer/%s:%d", r.arn(), c.Name, c.Created/1000)
}

func (r *streamRecord) consumer(name string) (consumerRecord, bool) {
	for _, c := range r.Consumers {
		if c.Name == name {
			return c, true
		}
	}
	return consumerRecord{}, false
}

type Consumer struct {
	ConsumerName              string     `json:"ConsumerName"`
	ConsumerARN               string     `json:"ConsumerARN"`
	ConsumerStatus            string     `json:"ConsumerStatus"`
	ConsumerCreationTimestamp epoch.Time `json:"ConsumerCreationTimestamp"`
}

func (r *streamRecord) apiConsumer(c consumerRecord) Consumer {
	return Consumer{ConsumerName: c.Name, ConsumerARN: r.consumerARN(c), ConsumerStatus: "ACTIVE", ConsumerCreationTimestamp: epoch.New(time.UnixMilli(c.Created))}
}

type RegisterStreamConsumerInput struct {
	StreamARN    string            `json:"StreamARN"`
	ConsumerName string            `json:"ConsumerName"`
	Tags         map[string]string `json:"Tags,omitempty"`
}

type RegisterStreamConsumerOutput struct {
	Consumer Consumer `json:"Consumer"`
}

// RegisterStreamConsumer registers an enhanced fan-out consumer; it is
// ACTIVE at once.
func (s *Service) RegisterStreamConsumer(ctx context.Context, in *RegisterStreamConsumerInput) (*RegisterStreamConsumerOutput, error) {
	if !consumerNamePattern.MatchString(in.ConsumerName) {
		return nil, validation(in.ConsumerName, "consumerName", "satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
	}
	if in.StreamARN == "" {
		return nil, validation(nil, "streamARN", "not be null")
	}
	st, err := s.lookup(ctx, "", in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if _, ok := st.rec.consumer(in.ConsumerName); ok {
		return nil, ErrResourceInUse.WithMessage("Consumer %s under stream %s already exists for account %s.", in.ConsumerName, st.key.name, st.key.account)
	}
	if len(st.rec.Consumers) >= maxConsumers {
		return nil, ErrLimitExceeded.WithMessage("Consumer limit of %d has been reached for stream %s under account %s.", maxConsumers, st.key.name, st.key.account)
	}
	c := consumerRecord{Name: in.ConsumerName, Created: s.nowMs()}
	if _, err := s.update(st, func(r *streamRecord) { r.Consumers = append(r.Consumers, c) }); err != nil {
		return nil, err
	}
	return &RegisterStreamConsumerOutput{Consumer: st.rec.apiConsumer(c)}, nil
}

type ConsumerInput struct {
	StreamARN    string `json:"StreamARN,omitempty"`
	ConsumerName string `json:"ConsumerName,omitempty"`
	ConsumerARN  string `json:"ConsumerARN,omitempty"`
}

// findConsumer resolves a consumer by its ARN or by stream ARN and name.
func (s *Service) findConsumer(ctx context.Context, in *ConsumerInput) (*stream, consumerRecord, error) {
	streamARN, name := in.StreamARN, in.ConsumerName
	if in.ConsumerARN != "" {
		i := strings.Index(in.ConsumerARN, "/consumer/")
		if i < 0 {
			return nil, consumerRecord{}, validation(in.ConsumerARN, "consumerARN", "satisfy regular expression pattern: ^(arn):aws.*:kinesis:.*:\\d{12}:.*stream\\/[a-zA-Z0-9_.-]+\\/consumer\\/[a-zA-Z0-9_.-]+:[0-9]+")
		}
		streamARN = in.ConsumerARN[:i]
		name, _, _ = strings.Cut(in.ConsumerARN[i+len("/consumer/"):], ":")
	} else if streamARN == "" || name == "" {
		return nil, consumerRecord{}, invalidArg("Either ConsumerARN or both ConsumerName and StreamARN must be given.")
	}
	st, err := s.lookup(ctx, "", streamARN)
	if err != nil {
		return nil, consumerRecord{}, err
	}
	st.mu.RLock()
	c, ok := st.rec.consumer(name)
	arn := st.rec.consumerARN(c)
	st.mu.RUnlock()
	if !ok || in.ConsumerARN != "" && in.ConsumerARN != arn {
		return nil, consumerRecord{}, ErrResourceNotFound.WithMessage("Consumer %s under stream %s not found.", firstNonEmpty(in.ConsumerARN, name), streamARN)
	}
	return st, c, nil
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

type ConsumerDescription struct {
	Consumer
	StreamARN string `json:"StreamARN"`
}

type DescribeStreamConsumerOutput struct {
	ConsumerDescription ConsumerDescription `json:"ConsumerDescription"`
}

// DescribeStreamConsumer describes a consumer.
func (s *Service) DescribeStreamConsumer(ctx context.Context, in *ConsumerInput) (*DescribeStreamConsumerOutput, error) {
	st, c, err := s.findConsumer(ctx, in)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	return &DescribeStreamConsumerOutput{ConsumerDescription{Consumer: st.rec.apiConsumer(c), StreamARN: st.rec.arn()}}, nil
}

// DeregisterStreamConsumer removes a consumer; its subscriptions end.
func (s *Service) DeregisterStreamConsumer(ctx context.Context, in *ConsumerInput) (*struct{}, error) {
	st, c, err := s.findConsumer(ctx, in)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return s.update(st, func(r *streamRecord) {
		r.Consumers = slices.DeleteFunc(r.Consumers, func(x consumerRecord) bool { return x.Name == c.Name })
	})
}

type ListStreamConsumersInput struct {
	StreamARN               string      `json:"StreamARN"`
	NextToken               string      `json:"NextToken,omitempty"`
	MaxResults              *int        `json:"MaxResults,omitempty"`
	StreamCreationTimestamp *epoch.Time `json:"StreamCreationTimestamp,omitempty"`
}

type ListStreamConsumersOutput struct {
	Consumers []Consumer `json:"Consumers"`
	NextToken string     `json:"NextToken,omitempty"`
}

// ListStreamConsumers lists a stream's consumers in the order they were
// registered.
func (s *Service) ListStreamConsumers(ctx context.Context, in *ListStreamConsumersInput) (*ListStreamConsumersOutput, error) {
	limit, err := pageSize(in.MaxResults, 100, 10000, "maxResults")
	if err != nil {
		return nil, err
	}
	st, err := s.lookup(ctx, "", in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	start := 0
	if in.NextToken != "" {
		if _, err := fmt.Sscanf(in.NextToken, "%d", &start); err != nil || start < 0 || start > len(st.rec.Consumers) {
			return nil, invalidArg("NextToken is not valid.")
		}
	}
	out := &ListStreamConsumersOutput{Consumers: []Consumer{}}
	for i := start; i < len(st.rec.Consumers); i++ {
		if len(out.Consumers) == limit {
			out.NextToken = fmt.Sprint(i)
			break
		}
		out.Consumers = append(out.Consumers, st.rec.apiConsumer(st.rec.Consumers[i]))
	}
	return out, nil
}
