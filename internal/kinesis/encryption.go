package kinesis

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/lakebox/lakebox/internal/awsproto/awserr"
	"github.com/lakebox/lakebox/internal/awsproto/epoch"
	"github.com/lakebox/lakebox/internal/storage/seal"
	"github.com/lakebox/lakebox/internal/storage/streamlog"
)

// Server-side encryption of records (StartStreamEncryption): while it is
// on, each record's data is sealed with AES-256-GCM under the stream's
// data key (a random 12-byte nonce each; the key is replaced whenever
// encryption is started again), and the data keys are kept wrapped by
// the master key with the stream's record. Lakebox has no KMS service: the
// KMS key id is recorded and reported, as for S3's SSE-KMS.
//
// Sealed data: u8 version (1) | uvarint data key index | nonce | ciphertext and tag.

type encryptionRecord struct {
	KeyID string   `json:"keyId"`          // while on; "" when off
	Keys  [][]byte `json:"keys,omitempty"` // data keys, wrapped; the last is current
}

const sealedVersion = 1

type EncryptionInput struct {
	StreamInput
	EncryptionType string `json:"EncryptionType"`
	KeyId          string `json:"KeyId"`
}

// StartStreamEncryption seals the records written from now on.
func (s *Service) StartStreamEncryption(ctx context.Context, in *EncryptionInput) (*struct{}, error) {
	if err := checkEncryption(in); err != nil {
		return nil, err
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	if s.opts.MasterKey == nil {
		return nil, errors.New("kinesis: no master key to seal records with")
	}
	dk := seal.NewKey()
	wrapped := seal.Wrap(s.opts.MasterKey, &dk, []byte(st.id))
	st.mu.Lock()
	defer st.mu.Unlock()
	return s.update(st, func(r *streamRecord) {
		r.Encryption.KeyID = in.KeyId
		r.Encryption.Keys = append(r.Encryption.Keys, wrapped)
	})
}

// StopStreamEncryption writes records in the clear again; those sealed
// stay sealed and read as before.
func (s *Service) StopStreamEncryption(ctx context.Context, in *EncryptionInput) (*struct{}, error) {
	if err := checkEncryption(in); err != nil {
		return nil, err
	}
	st, err := s.lookup(ctx, in.StreamName, in.StreamARN)
	if err != nil {
		return nil, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	return s.update(st, func(r *streamRecord) { r.Encryption.KeyID = "" })
}

func checkEncryption(in *EncryptionInput) error {
	if in.EncryptionType != "KMS" {
		return invalidArg("EncryptionType must be KMS, not %q.", in.EncryptionType)
	}
	if err := awserr.LengthValidation(in.KeyId, "keyId", utf8.RuneCountInString(in.KeyId), 1, 2048); err != nil {
		return err
	}
	return nil
}

// encryptionType is what a stream reports.
func (r *streamRecord) encryptionType() string {
	if r.Encryption.KeyID != "" {
		return "KMS"
	}
	return "NONE"
}

// sealer seals the records a put writes, or is nil when encryption is
// off; st.mu is held.
func (s *Service) sealer(st *stream) (func([]byte) []byte, error) {
	e := st.rec.Encryption
	if e.KeyID == "" {
		return nil, nil
	}
	g, err := s.dataKey(st, len(e.Keys)-1)
	if err != nil {
		return nil, err
	}
	index := binary.AppendUvarint(nil, uint64(len(e.Keys)-1))
	return func(data []byte) []byte {
		out := make([]byte, 0, 1+len(index)+g.NonceSize()+len(data)+g.Overhead())
		out = append(append(out, sealedVersion), index...)
		nonce := out[len(out) : len(out)+g.NonceSize()]
		rand.Read(nonce)
		out = out[:len(out)+g.NonceSize()]
		return g.Seal(out, nonce, data, nil)
	}, nil
}

// dataKey returns the cipher of a stream's data key, unwrapping it the
// first time; st.mu is held.
func (s *Service) dataKey(st *stream, index int) (cipher.AEAD, error) {
	st.ciphersMu.Lock()
	defer st.ciphersMu.Unlock()
	if g, ok := st.ciphers[index]; ok {
		return g, nil
	}
	keys := st.rec.Encryption.Keys
	if index < 0 || index >= len(keys) || s.opts.MasterKey == nil {
		return nil, fmt.Errorf("kinesis: stream %s has no data key %d", st.key.name, index)
	}
	dk, err := seal.Unwrap(s.opts.MasterKey, keys[index], []byte(st.id))
	if err != nil {
		return nil, fmt.Errorf("kinesis: stream %s data key %d: %w", st.key.name, index, err)
	}
	block, err := aes.NewCipher(dk[:])
	if err != nil {
		return nil, err
	}
	g, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	if st.ciphers == nil {
		st.ciphers = map[int]cipher.AEAD{}
	}
	st.ciphers[index] = g
	return g, nil
}

// record converts a log record as GetRecords and subscriptions return
// it, opening sealed data; st.mu is held.
func (s *Service) record(st *stream, shard int, r streamlog.Record) (Record, error) {
	out := Record{SequenceNumber: sequenceNumber(shard, r.Seq), ApproximateArrivalTimestamp: epoch.New(time.UnixMilli(r.Arrival)),
		Data: r.Data, PartitionKey: r.Key}
	if !r.Sealed {
		return out, nil
	}
	b := r.Data
	if len(b) < 1 || b[0] != sealedVersion {
		return out, fmt.Errorf("kinesis: sealed record %s has an unknown version", out.SequenceNumber)
	}
	index, n := binary.Uvarint(b[1:])
	if n <= 0 {
		return out, fmt.Errorf("kinesis: sealed record %s has no key index", out.SequenceNumber)
	}
	g, err := s.dataKey(st, int(index))
	if err != nil {
		return out, err
	}
	b = b[1+n:]
	if len(b) < g.NonceSize()+g.Overhead() {
		return out, fmt.Errorf("kinesis: sealed record %s is short", out.SequenceNumber)
	}
	plain, err := g.Open(b[g.NonceSize():g.NonceSize()], b[:g.NonceSize()], b[g.NonceSize():], nil)
	if err != nil {
		return out, fmt.Errorf("kinesis: sealed record %s does not open: %w", out.SequenceNumber, err)
	}
	out.Data, out.EncryptionType = plain, "KMS"
	return out, nil
}
