package awserr

import "testing"

func TestViolations(t *testing.T) {
	tests := []struct {
		name string
		add  func(v *Violations)
		want string // "" for no error
	}{
		{"none", func(v *Violations) { v.Length("abc", "name", 3, 3, 255) }, ""},
		{"one", func(v *Violations) { v.Add("a;", "tableName", "satisfy regular expression pattern: [a-zA-Z0-9_.-]+") },
			"1 validation error detected: Value 'a;' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
		{"null", func(v *Violations) { v.Add(nil, "key", "not be null") },
			"1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"},
		{"too short", func(v *Violations) { v.Length("", "attributeName", 0, 1, 255) },
			"1 validation error detected: Value '' at 'attributeName' failed to satisfy constraint: Member must have length greater than or equal to 1"},
		{"too long, and two", func(v *Violations) {
			v.Length(26, "statements", 26, 1, 25)
			v.Add(nil, "statements.1.member.statement", "not be null")
		}, "2 validation errors detected: Value '26' at 'statements' failed to satisfy constraint: Member must have length less than or equal to 25; " +
			"Value null at 'statements.1.member.statement' failed to satisfy constraint: Member must not be null"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var v Violations
			tt.add(&v)
			err := v.Err()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("got %v, want none", err)
			case tt.want != "" && (err == nil || err.Message != tt.want || err.Code != "ValidationException" || err.Status != 400):
				t.Errorf("got %+v\nwant %s", err, tt.want)
			}
		})
	}
}

func TestLengthValidation(t *testing.T) {
	if err := LengthValidation("abc", "name", 3, 1, 3); err != nil {
		t.Errorf("within bounds: %v", err)
	}
	err := LengthValidation("", "name", 0, 1, 3)
	if e, ok := As(err); !ok || e.Message != "1 validation error detected: Value '' at 'name' failed to satisfy constraint: Member must have length greater than or equal to 1" {
		t.Errorf("too short: %v", err)
	}
}

func TestRangeValidation(t *testing.T) {
	if err := RangeValidation("limit", 100, 1, 100); err != nil {
		t.Errorf("within bounds: %v", err)
	}
	for n, want := range map[int]string{
		0:   "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
		101: "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100",
	} {
		if e, ok := As(RangeValidation("limit", n, 1, 100)); !ok || e.Message != want {
			t.Errorf("%d: %v", n, e)
		}
	}
}
