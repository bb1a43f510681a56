package kinesis

import (
	"context"
	"sort"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
)

// maxTags is how many tags a stream may carry.
const maxTags = 50

// checkTags validates tags to add to a stream that keeps have others.
func checkTags(tags map[string]string, have int) error {
	for k, v := range tags {
		if n := utf8.RuneCountInString(k); n < 1 || n > 128 {
			return invalidArg("Tag key %q must be 1 to 128 characters long.", k)
		}
		if utf8.RuneCountInString(v) > 256 {
			return invalidArg("Tag value of %q must be at most 256 characters long.", k)
		}
	}
	if have+len(tags) > maxTags {
		return ErrLimitExceeded.WithMessage("A stream can have at most %d tags.", maxTags)
	}
	return nil
}

type AddTagsInput struct {
	StreamInput
	Tags map[string]string `json:"Tags"`
}

// AddTagsToStream adds or replaces tags.
func (s *Service) AddTagsToStream(ctx context.Context, in *AddTagsInput) (*struct{}, error) {
	if err := awserr.LengthValidation(len(in.Tags), "tags", len(in.Tags), 1, 10); err != nil {
		return nil, err
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	added := 0
	for k := range in.Tags {
		if _, ok := st.rec.Tags[k]; !ok {
			added++
		}
	}
	if err := checkTags(in.Tags, len(st.rec.Tags)+added-len(in.Tags)); err != nil {
		return nil, err
	}
	return s.update(st, func(r *streamRecord) {
		if r.Tags == nil {
			r.Tags = map[string]string{}
		}
		for k, v := range in.Tags {
			r.Tags[k] = v
		}
	})
}

type RemoveTagsInput struct {
	StreamInput
	TagKeys []string `json:"TagKeys"`
}

// RemoveTagsFromStream removes tags; keys it does not carry are ignored.
func (s *Service) RemoveTagsFromStream(ctx context.Context, in *RemoveTagsInput) (*struct{}, error) {
	if err := awserr.LengthValidation(len(in.TagKeys), "tagKeys", len(in.TagKeys), 1, 50); err != nil {
		return nil, err
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return s.update(st, func(r *streamRecord) {
		for _, k := range in.TagKeys {
			delete(r.Tags, k)
		}
	})
}

type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type ListTagsInput struct {
	StreamInput
	ExclusiveStartTagKey string `json:"ExclusiveStartTagKey,omitempty"`
	Limit                *int   `json:"Limit,omitempty"`
}

type ListTagsOutput struct {
	Tags        []Tag `json:"Tags"`
	HasMoreTags bool  `json:"HasMoreTags"`
}

// ListTagsForStream lists a stream's tags by key.
func (s *Service) ListTagsForStream(ctx context.Context, in *ListTagsInput) (*ListTagsOutput, error) {
	limit, err := pageSize(in.Limit, 50, 50, "limit")
	if err != nil {
		return nil, err
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	tags := sortedTags(st.rec.Tags)
	st.mu.RUnlock()
	out := &ListTagsOutput{Tags: []Tag{}}
	for _, t := range tags {
		if t.Key <= in.ExclusiveStartTagKey {
			continue
		}
		if len(out.Tags) == limit {
			out.HasMoreTags = true
			break
		}
		out.Tags = append(out.Tags, t)
	}
	return out, nil
}

func sortedTags(m map[string]string) []Tag {
	var tags []Tag
	for k, v := range m {
		tags = append(tags, Tag{k, v})
	}
	sort.Slice(tags, func(i, j int) bool { return tags[i].Key < tags[j].Key })
	return tags
}

type TagResourceInput struct {
	ResourceARN string            `json:"ResourceARN"`
	Tags        map[string]string `json:"Tags"`
}

// TagResource is AddTagsToStream by ARN.
func (s *Service) TagResource(ctx context.Context, in *TagResourceInput) (*struct{}, error) {
	return s.AddTagsToStream(ctx, &AddTagsInput{StreamInput: StreamInput{StreamARN: in.ResourceARN}, Tags: in.Tags})
}

type UntagResourceInput struct {
	ResourceARN string   `json:"ResourceARN"`
	TagKeys     []string `json:"TagKeys"`
}

// UntagResource is RemoveTagsFromStream by ARN.
func (s *Service) UntagResource(ctx context.Context, in *UntagResourceInput) (*struct{}, error) {
	return s.RemoveTagsFromStream(ctx, &RemoveTagsInput{StreamInput: StreamInput{StreamARN: in.ResourceARN}, TagKeys: in.TagKeys})
}

type ResourceInput struct {
	ResourceARN string `json:"ResourceARN"`
}

type ListTagsForResourceOutput struct {
	Tags []Tag `json:"Tags"`
}

// ListTagsForResource lists a stream's tags by its ARN.
func (s *Service) ListTagsForResource(ctx context.Context, in *ResourceInput) (*ListTagsForResourceOutput, error) {
	st, err := s.lookup(ctx, "", in.ResourceARN)
	if err != nil {
		return nil, err
	}
	st.mu.RLock()
	defer st.mu.RUnlock()
	tags := sortedTags(st.rec.Tags)
	if tags == nil {
		tags = []Tag{}
	}
	return &ListTagsForResourceOutput{Tags: tags}, nil
}
