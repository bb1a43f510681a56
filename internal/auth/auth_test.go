package auth

import (
	"context"
	"strings"
	"testing"
)

func TestAccountFor(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"123456789012", "123456789012"},
		{"12345678901", DefaultAccount},
		{"12345678901a", DefaultAccount},
		{"AKIAIOSFODNN7EXAMPLE", DefaultAccount},
		{"test", DefaultAccount},
	} {
		if got := AccountFor(tc.key); got != tc.want {
			t.Errorf("AccountFor(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}

func TestParseKeys(t *testing.T) {
	keys, err := ParseKeys(strings.NewReader("# comment\n\nAKIA1 secret1\n111122223333,s2\nAKIA3 s3 444455556666\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := []Key{
		{"AKIA1", "secret1", DefaultAccount},
		{"111122223333", "s2", "111122223333"},
		{"AKIA3", "s3", "444455556666"},
	}
	if len(keys) != len(want) {
		t.Fatalf("got %d keys", len(keys))
	}
	for i := range want {
		if keys[i] != want[i] {
			t.Errorf("key %d = %+v, want %+v", i, keys[i], want[i])
		}
	}
	for _, bad := range []string{"onlyone\n", "a b c d\n", "a b 12\n"} {
		if _, err := ParseKeys(strings.NewReader(bad)); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		}
	}
}

func TestKeys(t *testing.T) {
	k := NewKeys(true, Key{AccessKey: "AKIA1", Secret: "s"})
	if key, ok := k.Lookup("test"); !ok || key.Secret != "test" {
		t.Fatal("test key missing")
	}
	if key, ok := k.Lookup("AKIA1"); !ok || key.Account != DefaultAccount {
		t.Fatalf("AKIA1 = %+v %v", key, ok)
	}
	if _, ok := k.Lookup("other"); ok {
		t.Fatal("unknown key found")
	}
	if !k.Strict() {
		t.Fatal("not strict")
	}
}

func TestIdentityContext(t *testing.T) {
	if id := FromContext(context.Background()); !id.Anonymous || id.Account != DefaultAccount {
		t.Fatalf("empty context identity = %+v", id)
	}
	ctx := WithIdentity(context.Background(), Identity{AccessKey: "k", Account: "123456789012"})
	if id := FromContext(ctx); id.Account != "123456789012" || id.Anonymous {
		t.Fatalf("identity = %+v", id)
	}
}
