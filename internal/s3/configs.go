package s3

import (
	"slices"
	"strings"
)

// Bucket configurations named by id (Intelligent-Tiering, request metrics)
// are kept alike: a list in the bucket record, one entry per id, at most
// 1,000, listed by id.

type identified interface{ configID() string }

func (c TieringConfig) configID() string { return c.ID }
func (c MetricsConfig) configID() string { return c.ID }

// putConfig returns list with c added, or replacing the entry of its id.
func putConfig[T identified](list []T, c T) ([]T, error) {
	out := slices.DeleteFunc(slices.Clone(list), func(e T) bool { return e.configID() == c.configID() })
	if len(out) == 1000 {
		return nil, ErrTooManyConfigurations
	}
	return append(out, c), nil
}

func findConfig[T identified](list []T, id string) (*T, error) {
	i := slices.IndexFunc(list, func(e T) bool { return e.configID() == id })
	if i < 0 {
		return nil, ErrNoSuchAnalytics
	}
	c := list[i]
	return &c, nil
}

func deleteConfig[T identified](list []T, id string) ([]T, error) {
	i := slices.IndexFunc(list, func(e T) bool { return e.configID() == id })
	if i < 0 {
		return nil, ErrNoSuchAnalytics
	}
	return slices.Delete(slices.Clone(list), i, i+1), nil
}

func sortedConfigs[T identified](list []T) []T {
	out := slices.Clone(list)
	slices.SortFunc(out, func(a, b T) int { return strings.Compare(a.configID(), b.configID()) })
	return out
}
