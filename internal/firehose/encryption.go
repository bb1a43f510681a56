package firehose

import (
	"context"

	"github.com/lakebox/lakebox/internal/storage/seal"
)

// encryptionRecord is a stream's server-side encryption: while it is
// ENABLED, records are sealed in the buffer log under the newest of the
// stream's data keys, which are wrapped by the master key.
type encryptionRecord struct {
	Status  string
	KeyType string
	KeyARN  string   `json:",omitempty"`
	Keys    [][]byte `json:",omitempty"`
}

type DeliveryStreamEncryptionConfigurationInput struct {
	KeyARN  string `json:"KeyARN,omitempty"`
	KeyType string `json:"KeyType"`
}

type DeliveryStreamEncryptionConfiguration struct {
	KeyARN  string `json:"KeyARN,omitempty"`
	KeyType string `json:"KeyType,omitempty"`
	Status  string `json:"Status"`
}

func (r *streamRecord) encryption() *DeliveryStreamEncryptionConfiguration {
	if r.Encryption == nil {
		return &DeliveryStreamEncryptionConfiguration{Status: "DISABLED"}
	}
	return &DeliveryStreamEncryptionConfiguration{KeyARN: r.Encryption.KeyARN, KeyType: r.Encryption.KeyType, Status: r.Encryption.Status}
}

func checkEncryptionInput(in *DeliveryStreamEncryptionConfigurationInput) error {
	switch in.KeyType {
	case "AWS_OWNED_CMK":
		if in.KeyARN != "" {
			return invalidArg("KeyARN must not be given when KeyType is AWS_OWNED_CMK.")
		}
	case "CUSTOMER_MANAGED_CMK":
		if _, _, res, ok := splitARN(in.KeyARN, "kms"); !ok || res == "" {
			return invalidArg("KeyARN must be a KMS key ARN when KeyType is CUSTOMER_MANAGED_CMK.")
		}
	default:
		return validation(in.KeyType, "deliveryStreamEncryptionConfigurationInput.keyType", "satisfy enum value set: [AWS_OWNED_CMK, CUSTOMER_MANAGED_CMK]")
	}
	return nil
}

// enable turns encryption on for a stream record (its ring is made or
// given a new key); ds.mu is held.
func (s *Service) enable(ds *deliveryStream, rec *streamRecord, in *DeliveryStreamEncryptionConfigurationInput) {
	if ds.keys == nil {
		ds.keys = seal.NewRing(s.opts.MasterKey, []byte(rec.ID), nil)
	}
	keys := ds.keys.Add()
	rec.Encryption = &encryptionRecord{Status: "ENABLED", KeyType: in.KeyType, KeyARN: in.KeyARN, Keys: keys}
}

type StartDeliveryStreamEncryptionInput struct {
	DeliveryStreamName                         string                                      `json:"DeliveryStreamName"`
	DeliveryStreamEncryptionConfigurationInput *DeliveryStreamEncryptionConfigurationInput `json:"DeliveryStreamEncryptionConfigurationInput,omitempty"`
}

// StartDeliveryStreamEncryption seals the records put from now on.
func (s *Service) StartDeliveryStreamEncryption(ctx context.Context, in *StartDeliveryStreamEncryptionInput) (*struct{}, error) {
	ds, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	cfg := in.DeliveryStreamEncryptionConfigurationInput
	if cfg == nil {
		cfg = &DeliveryStreamEncryptionConfigurationInput{KeyType: "AWS_OWNED_CMK"}
	}
	if err := checkEncryptionInput(cfg); err != nil {
		return nil, err
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if ds.rec.Type != typeDirectPut {
		return nil, invalidArg("This operation is not permitted on %s delivery stream type.", ds.rec.Type)
	}
	if e := ds.rec.Encryption; e != nil && e.Status == "ENABLED" && e.KeyType == cfg.KeyType && e.KeyARN == cfg.KeyARN {
		return &struct{}{}, nil
	}
	return &struct{}{}, s.update(ds, func(r *streamRecord) { s.enable(ds, r, cfg) })
}

type StopDeliveryStreamEncryptionInput struct {
	DeliveryStreamName string `json:"DeliveryStreamName"`
}

// StopDeliveryStreamEncryption stores records put from now on in the
// clear; those sealed before still open.
func (s *Service) StopDeliveryStreamEncryption(ctx context.Context, in *StopDeliveryStreamEncryptionInput) (*struct{}, error) {
	ds, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	ds.mu.Lock()
	defer ds.mu.Unlock()
	if ds.rec.Type != typeDirectPut {
		return nil, invalidArg("This operation is not permitted on %s delivery stream type.", ds.rec.Type)
	}
	if ds.rec.Encryption == nil || ds.rec.Encryption.Status == "DISABLED" {
		return &struct{}{}, nil
	}
	return &struct{}{}, s.update(ds, func(r *streamRecord) {
		e := *r.Encryption
		e.Status = "DISABLED"
		r.Encryption = &e
	})
}
