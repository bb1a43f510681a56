package glue

import (
	"context"
	"maps"
	"strings"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/awsproto/epoch"
)

const maxTags = 50

func (s *Service) now() *epoch.Time { return epoch.Ptr(s.clock.Now()) }

func checkTags(tags map[string]string) error {
	if len(tags) > maxTags {
		return invalid("A resource can have at most %d tags.", maxTags)
	}
	for k, v := range tags {
		if k == "" || utf8.RuneCountInString(k) > 128 || utf8.RuneCountInString(v) > 256 {
			return invalid("Tag keys must be 1 to 128 characters and values at most 256.")
		}
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			return invalid("Tag keys cannot start with aws:.")
		}
	}
	return nil
}

// resourceKey checks that a Glue ARN names an existing resource of the
// caller's scope and returns the key of its tags.
func (s *Service) resourceKey(ctx context.Context, resourceARN string) ([]byte, error) {
	sc, err := scopeOf(ctx, "")
	if err != nil {
		return nil, err
	}
	prefix := arn(sc, "")
	if !strings.HasPrefix(resourceARN, prefix) {
		return nil, notFound("Resource %s not found.", resourceARN)
	}
	kind, rest, _ := strings.Cut(strings.TrimPrefix(resourceARN, prefix), "/")
	var key []byte
	switch kind {
	case "database":
		key = sc.key(kindDatabase, rest)
	case "table":
		db, table, ok := strings.Cut(rest, "/")
		if !ok {
			return nil, invalid("Resource ARN %s is not a valid table ARN.", resourceARN)
		}
		key = sc.key(kindTable, db, table)
	case "crawler":
		key = sc.key(kindCrawler, rest)
	default:
		return nil, invalid("Tagging %s resources is not supported by Lakebox.", kind)
	}
	if ok, err := s.db.Has(key); err != nil {
		return nil, err
	} else if !ok {
		return nil, notFound("Resource %s not found.", resourceARN)
	}
	return sc.key(kindTag, resourceARN), nil
}

func (s *Service) tags(key []byte) (map[string]string, error) {
	t := map[string]string{}
	_, err := s.getJSON(key, &t)
	return t, err
}

// lockForTags takes the locks under which a resource cannot be deleted
// while its tags change: crawlerMu, then catalogMu.
func (s *Service) lockForTags() func() {
	s.crawlerMu.Lock()
	s.catalogMu.Lock()
	return func() { s.catalogMu.Unlock(); s.crawlerMu.Unlock() }
}

type TagResourceInput struct {
	ResourceArn string            `json:"ResourceArn"`
	TagsToAdd   map[string]string `json:"TagsToAdd"`
}

type TagResourceOutput struct{}

// TagResource adds or replaces tags.
func (s *Service) TagResource(ctx context.Context, in *TagResourceInput) (*TagResourceOutput, error) {
	return &TagResourceOutput{}, s.changeTags(ctx, in.ResourceArn, func(t map[string]string) error {
		maps.Copy(t, in.TagsToAdd)
		return checkTags(t)
	})
}

type UntagResourceInput struct {
	ResourceArn  string   `json:"ResourceArn"`
	TagsToRemove []string `json:"TagsToRemove"`
}

type UntagResourceOutput struct{}

// UntagResource removes tags; absent keys are ignored.
func (s *Service) UntagResource(ctx context.Context, in *UntagResourceInput) (*UntagResourceOutput, error) {
	return &UntagResourceOutput{}, s.changeTags(ctx, in.ResourceArn, func(t map[string]string) error {
		for _, k := range in.TagsToRemove {
			delete(t, k)
		}
		return nil
	})
}

// changeTags changes a resource's tags under the locks that keep the
// resource from being deleted meanwhile.
func (s *Service) changeTags(ctx context.Context, resourceARN string, change func(map[string]string) error) error {
	defer s.lockForTags()()
	key, err := s.resourceKey(ctx, resourceARN)
	if err != nil {
		return err
	}
	t, err := s.tags(key)
	if err != nil {
		return err
	}
	if err := change(t); err != nil {
		return err
	}
	b := s.db.NewBatch()
	if len(t) == 0 {
		b.Delete(key)
	} else {
		b.Set(key, mustJSON(t))
	}
	return b.Commit()
}

type GetTagsInput struct {
	ResourceArn string `json:"ResourceArn"`
}

type GetTagsOutput struct {
	Tags map[string]string `json:"Tags"`
}

// GetTags returns a resource's tags.
func (s *Service) GetTags(ctx context.Context, in *GetTagsInput) (*GetTagsOutput, error) {
	key, err := s.resourceKey(ctx, in.ResourceArn)
	if err != nil {
		return nil, err
	}
	t, err := s.tags(key)
	if err != nil {
		return nil, err
	}
	return &GetTagsOutput{Tags: t}, nil
}
