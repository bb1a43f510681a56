package dynamodb

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/lakebox/lakebox/internal/storage/meta"
	"github.com/lakebox/lakebox/internal/storage/seal"
)

// Server-side encryption (SSESpecification). DynamoDB encrypts every
// table, by default under a key AWS owns; Lakebox stores such tables as
// they are, as private as its data directory. A table encrypted with a
// KMS key (Enabled, or SSEType KMS) has every value that holds its items
// sealed: item bodies, index entries, stream records, point-in-time
// versions, backup copies and the records waiting for its Kinesis
// destinations. Each is sealed with AES-256-GCM under the newest of
// DynamoDB's data keys (seal.Ring), which the master key wraps. Store keys
// are not sealed, since the store orders by them: key attribute values are
// on disk in the clear. Lakebox has no KMS service, so the KMS key is
// recorded and reported, not looked up, as for S3's SSE-KMS.
//
// A stored value tells by its first byte whether it is sealed: the JSON
// of an item or a record opens with '{', a sealed value with the ring's
// version byte. So values written before a table's encryption changed
// read as they were written, and copies (backups, point-in-time versions)
// keep the form of what they copied.

// ringKey holds DynamoDB's data keys, wrapped, as a JSON list.
var ringKey = []byte("ddb\x00K")

// ringAAD binds the wrapped data keys to DynamoDB.
var ringAAD = []byte("dynamodb")

// errNoRing is what an encrypted table's values meet when the service was
// opened without a master key.
var errNoRing = errors.New("dynamodb: an encrypted table, and no master key to seal or open its values")

// defaultKMSAlias is the key Enabled asks for when it names none.
const defaultKMSAlias = "alias/aws/dynamodb"

// SSESpecification asks for a table's encryption.
type SSESpecification struct {
	Enabled        *bool  `json:"Enabled,omitempty"`
	SSEType        string `json:"SSEType,omitempty"`
	KMSMasterKeyId string `json:"KMSMasterKeyId,omitempty"`
}

// SSEDescription describes an encrypted table's encryption.
type SSEDescription struct {
	Status          string `json:"Status"`
	SSEType         string `json:"SSEType,omitempty"`
	KMSMasterKeyArn string `json:"KMSMasterKeyArn,omitempty"`
}

// kmsKey returns the ARN of the KMS key a specification asks for, "" for
// the key AWS owns (none given, or Enabled false). member names it in
// errors.
func (e *SSESpecification) kmsKey(sc scope, member string) (string, error) {
	if e == nil {
		return "", nil
	}
	switch e.SSEType {
	case "", "KMS", "AES256":
	default:
		return "", modelValidation(e.SSEType, member+".sSEType", "satisfy enum value set: [AES256, KMS]")
	}
	if e.Enabled != nil && !*e.Enabled {
		switch {
		case e.SSEType != "":
			return "", invalidParam("SSEType can not be specified if Enabled is false")
		case e.KMSMasterKeyId != "":
			return "", invalidParam("KMSMasterKeyId can not be specified if Enabled is false")
		}
		return "", nil
	}
	if e.SSEType == "AES256" {
		return "", invalidParam("SSEType AES256 is not supported")
	}
	if e.KMSMasterKeyId != "" && e.SSEType != "KMS" {
		return "", invalidParam("SSEType KMS is required if KMSMasterKeyId is specified")
	}
	if e.Enabled == nil && e.SSEType == "" {
		return "", nil
	}
	key := seal.KeyARN(e.KMSMasterKeyId, sc.account, sc.region, defaultKMSAlias)
	if r := keyRegion(key); r != sc.region {
		return "", validationf("KMS validation error: com.amazonaws.services.kms.model.NotFoundException: Invalid arn %s", r)
	}
	return key, nil
}

// keyRegion is the region a KMS key's ARN names: a key serves its own
// region only, so a table's key, and each replica's, must be of its
// region. A bare id or alias is taken as the table's region's.
func keyRegion(arn string) string {
	if parts := strings.SplitN(arn, ":", 5); len(parts) == 5 {
		return parts[3]
	}
	return ""
}

// changes refuses, as DynamoDB does, an UpdateTable specification that
// would leave rec's encryption as it is: the key AWS owns asked for again,
// or the table's key named again by the very ARN it has. The same key
// named by an alias or a bare id, and the account's DynamoDB key asked for
// again, are not refused: DynamoDB re-encrypts under them.
func (e *SSESpecification) changes(rec *tableRecord, kmsKey string) error {
	switch {
	case kmsKey == "" && !rec.encrypted():
		return invalidParam("Table is already encrypted by default")
	case e.KMSMasterKeyId == rec.KMSKey && rec.encrypted() && !isDefaultKey(kmsKey):
		return invalidParam("Table is already encrypted with given KMSMasterKeyId. Use KMSMasterKeyId parameter if you want to change Master Key")
	}
	return nil
}

// isDefaultKey reports whether a key's ARN names the account's DynamoDB
// key (alias/aws/dynamodb) of its region.
func isDefaultKey(arn string) bool { return strings.HasSuffix(arn, ":"+defaultKMSAlias) }

// sseUpdating is the SSEDescription of DynamoDB's answer to an encryption
// change it has begun: UPDATING, with the key the table had (was, nil
// for none). Lakebox has made the change; DescribeTable tells the new
// state.
func (d *TableDescription) sseUpdating(was *SSEDescription) {
	d.SSEDescription = &SSEDescription{Status: "UPDATING"}
	if was != nil {
		d.SSEDescription.SSEType, d.SSEDescription.KMSMasterKeyArn = was.SSEType, was.KMSMasterKeyArn
	}
}

// encrypted reports whether a table's values are sealed.
func (r *tableRecord) encrypted() bool { return r.KMSKey != "" }

// sseDescription is what DescribeTable tells of a table's encryption: nil
// for the key AWS owns, as DynamoDB answers.
func (r *tableRecord) sseDescription() *SSEDescription {
	if !r.encrypted() {
		return nil
	}
	return &SSEDescription{Status: "ENABLED", SSEType: "KMS", KMSMasterKeyArn: r.KMSKey}
}

// loadRing loads DynamoDB's data keys, making the first one when there is
// none yet. Without a master key there is no ring, and encryption is
// refused.
func (s *Service) loadRing() error {
	if s.opts.MasterKey == nil {
		return nil
	}
	var wrapped [][]byte
	v, err := s.db.Get(ringKey)
	switch {
	case err == nil:
		if err := json.Unmarshal(v, &wrapped); err != nil {
			return fmt.Errorf("dynamodb: data keys: %w", err)
		}
		s.ring = seal.NewRing(s.opts.MasterKey, ringAAD, wrapped)
		return nil
	case !errors.Is(err, meta.ErrNotFound):
		return err
	}
	s.ring = seal.NewRing(s.opts.MasterKey, ringAAD, nil)
	if v, err = json.Marshal(s.ring.Add()); err != nil {
		return err
	}
	b := s.db.NewBatch()
	b.Set(ringKey, v)
	return b.Commit()
}

// checkEncryption refuses a KMS key when there is no ring to seal with.
func (s *Service) checkEncryption(kmsKey string) error {
	if kmsKey != "" && s.ring == nil {
		return validationf("Lakebox has no master key to encrypt tables with; start it with one to use a KMS key.")
	}
	return nil
}

// sealFor returns what the store keeps of v, an item's JSON or a record
// made from one, for rec's table: v itself, or v sealed when the table is
// encrypted.
func (s *Service) sealFor(rec *tableRecord, v []byte) ([]byte, error) {
	if !rec.encrypted() {
		return v, nil
	}
	if s.ring == nil {
		return nil, errNoRing
	}
	return s.ring.Seal(v)
}

// open returns the JSON a stored value holds: the value itself, or the
// JSON it seals. A clear value is returned as it is, so it is valid only
// as long as v is.
func (s *Service) open(v []byte) ([]byte, error) {
	if len(v) == 0 || v[0] == '{' {
		return v, nil
	}
	if s.ring == nil {
		return nil, errNoRing
	}
	return s.ring.Open(v)
}

// opened is open of the value an iterator is at.
func (s *Service) opened(it *meta.Iter) ([]byte, error) {
	v, err := it.Value()
	if err != nil {
		return nil, err
	}
	return s.open(v)
}

// reseal rewrites in b every item, index entry and point-in-time version
// of rec's table in the form its encryption now asks for: sealed, or in
// the clear. UpdateTable calls it, holding the table's write lock, when it
// turns encryption on or off. Stream records and backups stay as they
// were written, as a backup keeps the key it was made under. The other
// members of a global table, locked too, share rec's items and index
// entries, and have point-in-time versions of their own.
func (s *Service) reseal(b *meta.Batch, rec *tableRecord, others ...*tableRecord) error {
	prefixes := [][]byte{itemKeyPrefix(rec.dataID())}
	for _, ix := range rec.Indexes { // not a deleted one's: b removes its entries
		prefixes = append(prefixes, indexKeyPrefix(rec.dataID(), ix.IndexName))
	}
	versions := len(prefixes)
	for _, r := range append([]*tableRecord{rec}, others...) {
		prefixes = append(prefixes, historyTablePrefix(r.ID))
	}
	for i, prefix := range prefixes {
		header := 0
		if i >= versions {
			header = 1 // a version's versionItem, or a deletion's versionDeleted alone
		}
		it, err := s.db.NewIter(prefix, meta.PrefixEnd(prefix))
		if err != nil {
			return err
		}
		for it.First(); it.Valid(); it.Next() {
			v, err := it.Value()
			if err != nil {
				it.Close()
				return err
			}
			if len(v) <= header {
				continue
			}
			body, err := s.open(v[header:])
			if err == nil {
				body, err = s.sealFor(rec, body)
			}
			if err != nil {
				it.Close()
				return err
			}
			b.Set(it.Key(), append(v[:header:header], body...))
		}
		if err := it.Close(); err != nil {
			return err
		}
	}
	return nil
}
