package seal

import "strings"

// KeyARN names a KMS key the way responses report it. Lakebox has no KMS
// service: a key id names a local key, and a service's default key (id
// "") is named by its alias, such as "alias/aws/s3".
func KeyARN(id, account, region, defaultAlias string) string {
	prefix := "arn:aws:kms:" + region + ":" + account + ":"
	switch {
	case id == "":
		return prefix + defaultAlias
	case strings.HasPrefix(id, "arn:"):
		return id
	case strings.HasPrefix(id, "alias/"):
		return prefix + id
	}
	return prefix + "key/" + id
}
