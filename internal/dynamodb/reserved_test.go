package dynamodb

import "testing"

func TestReserved_Words(t *testing.T) {
	for _, w := range []string{"ABORT", "ZONE", "NAME", "STATUS", "DATE", "YEAR", "name", "Status", "zone"} {
		if !isReserved(w) {
			t.Errorf("isReserved(%q) = false, want true", w)
		}
	}
	for _, w := range []string{"customer_id", "total_spend", "", "ZONES", "AAA", "ZZZ", "#name"} {
		if isReserved(w) {
			t.Errorf("isReserved(%q) = true, want false", w)
		}
	}
}

func TestReserved_TableSortedUnique(t *testing.T) {
	if len(reservedWords) != 573 {
		t.Errorf("len(reservedWords) = %d, want 573", len(reservedWords))
	}
	for i := 1; i < len(reservedWords); i++ {
		if reservedWords[i-1] >= reservedWords[i] {
			t.Errorf("reservedWords not strictly sorted at %d: %q >= %q", i, reservedWords[i-1], reservedWords[i])
		}
	}
	for _, w := range reservedWords {
		if !isReserved(w) {
			t.Errorf("isReserved(%q) = false for a table entry", w)
		}
	}
}
