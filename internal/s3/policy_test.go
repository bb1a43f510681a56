package s3

import (
	"testing"

	"github.com/lakebox/lakebox/internal/auth"
)

func TestWildcardMatch(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"*", "", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b/a/b/c", true},
		{"arn:aws:s3:::b/*", "arn:aws:s3:::b", false},
		{"arn:aws:s3:::b/public/*.csv", "arn:aws:s3:::b/public/x/y.csv", true},
		{"arn:aws:s3:::b/public/*.csv", "arn:aws:s3:::b/public/x/y.json", false},
		{"s3:get*", "s3:getobject", true},
		{"s3:?etobject", "s3:getobject", true},
		{"a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false},
	} {
		if got := wildcardMatch(tc.p, tc.s); got != tc.want {
			t.Errorf("wildcardMatch(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}

func TestParsePolicy(t *testing.T) {
	for _, tc := range []struct {
		name, doc, code string
	}{
		{"PublicRead", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, ""},
		{"SingleStatement", `{"Version":"2008-10-17","Statement":{"Effect":"Deny","Principal":{"AWS":["111122223333","arn:aws:iam::444455556666:root"]},"Action":["s3:*"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]}}`, ""},
		{"ServicePrincipal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"logging.s3.amazonaws.com"},"Action":"s3:PutObject","Resource":"arn:aws:s3:::b/logs/*"}]}`, ""},
		{"NotJSON", `Version: 1`, "MalformedPolicy"},
		{"BadVersion", `{"Version":"2020-01-01","Statement":[]}`, "MalformedPolicy"},
		{"NoStatement", `{"Version":"2012-10-17"}`, "MalformedPolicy"},
		{"BadEffect", `{"Version":"2012-10-17","Statement":[{"Effect":"Maybe","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, "MalformedPolicy"},
		{"OtherBucket", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::other/*"}]}`, "MalformedPolicy"},
		{"NotS3Action", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ec2:RunInstances","Resource":"arn:aws:s3:::b/*"}]}`, "MalformedPolicy"},
		{"NoPrincipal", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, "MalformedPolicy"},
		{"Condition", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}`, "NotImplemented"},
		{"IAMUser", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"}]}`, "NotImplemented"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parsePolicy("b", tc.doc)
			if got := codeOf(err); got != tc.code {
				t.Fatalf("code %q (%v), want %q", got, err, tc.code)
			}
		})
	}
}

func TestPolicy_Decide(t *testing.T) {
	p, err := parsePolicy("b", `{"Version":"2012-10-17","Statement":[
		{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/public/*"},
		{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":["s3:GetObject","s3:ListBucket"],"Resource":["arn:aws:s3:::b","arn:aws:s3:::b/*"]},
		{"Effect":"Deny","Principal":"*","Action":"s3:*","Resource":"arn:aws:s3:::b/secret/*"}]}`)
	if err != nil {
		t.Fatal(err)
	}
	anon := auth.Identity{Anonymous: true}
	partner := auth.Identity{Account: "111122223333"}
	for _, tc := range []struct {
		id               auth.Identity
		action, resource string
		allowed, denied  bool
	}{
		{anon, "s3:GetObject", "arn:aws:s3:::b/public/a.csv", true, false},
		{anon, "s3:GetObject", "arn:aws:s3:::b/private/a.csv", false, false},
		{anon, "s3:PutObject", "arn:aws:s3:::b/public/a.csv", false, false},
		{partner, "s3:ListBucket", "arn:aws:s3:::b", true, false},
		{partner, "s3:GetObject", "arn:aws:s3:::b/secret/k", true, true},
	} {
		allowed, denied := p.decide(tc.id, tc.action, tc.resource)
		if allowed != tc.allowed || denied != tc.denied {
			t.Errorf("%+v %s %s = %v/%v, want %v/%v", tc.id, tc.action, tc.resource, allowed, denied, tc.allowed, tc.denied)
		}
	}
	if !p.isPublic() {
		t.Fatal("policy allowing * is not public")
	}
}
