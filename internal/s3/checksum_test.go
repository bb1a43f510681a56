package s3

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"testing"
)

func sumOf(alg string, data []byte) string {
	h := checksumAlgs[alg].newHash()
	h.Write(data)
	return encodeSum(h)
}

func TestChecksum_CheckValues(t *testing.T) {
	// The standard check value of each CRC over "123456789".
	for _, tc := range []struct {
		alg  string
		want uint64
	}{
		{"CRC32", 0xCBF43926},
		{"CRC32C", 0xE3069283},
		{"CRC64NVME", 0xAE8B14860A799888},
	} {
		raw, _ := base64.StdEncoding.DecodeString(sumOf(tc.alg, []byte("123456789")))
		var got uint64
		if len(raw) == 4 {
			got = uint64(binary.BigEndian.Uint32(raw))
		} else {
			got = binary.BigEndian.Uint64(raw)
		}
		if got != tc.want {
			t.Errorf("%s check = %#x, want %#x", tc.alg, got, tc.want)
		}
	}
}

func TestChecksum_CombineCRCs(t *testing.T) {
	parts := [][]byte{
		bytes.Repeat([]byte("a"), 5<<20),
		[]byte("hello"),
		{},
		bytes.Repeat([]byte{0, 1, 2, 3}, 1000),
	}
	for _, alg := range []string{"CRC32", "CRC32C", "CRC64NVME"} {
		var sums []string
		var sizes []int64
		for _, p := range parts {
			sums = append(sums, sumOf(alg, p))
			sizes = append(sizes, int64(len(p)))
		}
		got, err := combineCRCs(alg, sums, sizes)
		if err != nil {
			t.Fatal(err)
		}
		if want := sumOf(alg, bytes.Join(parts, nil)); got != want {
			t.Errorf("%s combined = %s, want %s", alg, got, want)
		}
	}
}

func TestChecksum_Composite(t *testing.T) {
	a, b := sumOf("SHA256", []byte("a")), sumOf("SHA256", []byte("b"))
	got, err := compositeChecksum("SHA256", []string{a, b})
	if err != nil {
		t.Fatal(err)
	}
	ra, _ := base64.StdEncoding.DecodeString(a)
	rb, _ := base64.StdEncoding.DecodeString(b)
	if want := sumOf("SHA256", append(ra, rb...)) + "-2"; got != want {
		t.Fatalf("composite = %s, want %s", got, want)
	}
}

func TestCheckAlgorithm(t *testing.T) {
	for in, want := range map[string]string{"crc32": "CRC32", "CRC64NVME": "CRC64NVME", "sha256": "SHA256", "xxhash128": "XXHASH128", "": ""} {
		if got, err := checkAlgorithm(in); err != nil || got != want {
			t.Errorf("checkAlgorithm(%q) = %q, %v", in, got, err)
		}
	}
	for _, bad := range []string{"crc16", "XXHASH7", "sha3"} {
		if _, err := checkAlgorithm(bad); err == nil {
			t.Errorf("checkAlgorithm(%q) accepted", bad)
		}
	}
}
