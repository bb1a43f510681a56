package dynamodb

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"
)

// maxTags is how many tags a table may have.
const maxTags = 50

// tooManyTags is DynamoDB's answer to a table given more than 50 tags: a
// ValidationException, not LimitExceededException.
func tooManyTags() error {
	return validationf("Number of Tags exceed the current limit for the provided ResourceArn")
}

// checkTags checks the tags a request gives: each key 1 to 128 characters
// and not in the aws: namespace, each value at most 256, no key twice.
func checkTags(tags []Tag) error {
	seen := map[string]bool{}
	for _, tag := range tags {
		switch {
		case utf8.RuneCountInString(tag.Key) < 1 || utf8.RuneCountInString(tag.Key) > 128:
			return validationf("The Tag Key provided is invalid, Key: %s", tag.Key)
		case utf8.RuneCountInString(tag.Value) > 256:
			return validationf("The Tag Value provided is invalid, Value: %s", tag.Value)
		case strings.HasPrefix(tag.Key, "aws:"):
			return validationf("Tag Key cannot be prefixed with aws:, Key: %s", tag.Key)
		case seen[tag.Key]:
			return validationf("Duplicate Tag Keys provided as input: Duplicate Tag Key found %s", tag.Key)
		}
		seen[tag.Key] = true
	}
	return nil
}

type TagResourceInput struct {
	ResourceArn string `json:"ResourceArn"`
	Tags        []Tag  `json:"Tags"`
}

type UntagResourceInput struct {
	ResourceArn string   `json:"ResourceArn"`
	TagKeys     []string `json:"TagKeys"`
}

type ListTagsOfResourceInput struct {
	ResourceArn string `json:"ResourceArn"`
	NextToken   string `json:"NextToken,omitempty"`
}

type ListTagsOfResourceOutput struct {
	Tags      []Tag  `json:"Tags"`
	NextToken string `json:"NextToken,omitempty"`
}

// tableOfARN finds the table an ARN names, in the caller's account and
// region, refusing other ARNs in DynamoDB's words.
func (s *Service) tableOfARN(ctx context.Context, arn string) (*table, error) {
	parts := strings.SplitN(arn, ":", 6)
	switch region, _, name, ok := tableARN(arn); {
	case !strings.HasPrefix(arn, "arn:"):
		return nil, invalidParam("ARNs must start with 'arn:': %s", arn)
	case len(parts) < 6 || parts[2] != "dynamodb":
		return nil, invalidParam("Provided Arn is not a DynamoDB resource arn: %s", arn)
	case !ok || strings.Contains(name, "/") && !strings.Contains(name, "/stream/"): // an index's, a backup's, an export's
		return nil, invalidParam("Invalid resource arn provided, only table or stream is accepted. Provided resource arn: %s", arn)
	case region != scopeOf(ctx).region:
		return nil, validationf("Invalid TableArn: Invalid ResourceArn provided as input %s", arn)
	}
	t, err := s.lookup(ctx, arn)
	if err != nil {
		return nil, resourceARNNotFound(arn)
	}
	return t, nil
}

func resourceARNNotFound(arn string) error {
	return ErrResourceNotFound.WithMessage("Requested resource not found: ResourcArn: %s not found", arn)
}

// TagResource adds or replaces a table's tags (at most 50).
func (s *Service) TagResource(ctx context.Context, in *TagResourceInput) (*struct{}, error) {
	if len(in.Tags) == 0 {
		return nil, validationf("Atleast one Tag needs to be provided as Input.")
	}
	if err := checkTags(in.Tags); err != nil {
		return nil, err
	}
	t, err := s.tableOfARN(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.deleted {
		return nil, resourceARNNotFound(in.ResourceArn)
	}
	rec := t.rec
	tags := slices.Clone(rec.Tags)
	for _, tag := range in.Tags {
		i := slices.IndexFunc(tags, func(x Tag) bool { return x.Key == tag.Key })
		if i >= 0 {
			tags[i] = tag
		} else {
			tags = append(tags, tag)
		}
	}
	if len(tags) > maxTags {
		return nil, tooManyTags()
	}
	rec.Tags = tags
	if err := s.saveTable(&rec); err != nil {
		return nil, err
	}
	t.rec = rec
	return &struct{}{}, nil
}

// UntagResource removes tags; keys the table lacks are ignored.
func (s *Service) UntagResource(ctx context.Context, in *UntagResourceInput) (*struct{}, error) {
	if len(in.TagKeys) == 0 {
		return nil, validationf("Atleast one Tag Key needs to be provided as Input.")
	}
	t, err := s.tableOfARN(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.deleted {
		return nil, resourceARNNotFound(in.ResourceArn)
	}
	rec := t.rec
	rec.Tags = slices.DeleteFunc(slices.Clone(rec.Tags), func(x Tag) bool { return slices.Contains(in.TagKeys, x.Key) })
	if err := s.saveTable(&rec); err != nil {
		return nil, err
	}
	t.rec = rec
	return &struct{}{}, nil
}

// ListTagsOfResource lists a table's tags (all in one page).
func (s *Service) ListTagsOfResource(ctx context.Context, in *ListTagsOfResourceInput) (*ListTagsOfResourceOutput, error) {
	t, err := s.tableOfARN(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	tags := slices.Clone(t.rec.Tags)
	if tags == nil {
		tags = []Tag{}
	}
	return &ListTagsOfResourceOutput{Tags: tags}, nil
}
