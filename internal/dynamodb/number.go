package dynamodb

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// DynamoDB's numbers: up to 38 significant digits, magnitudes from
// 1E-130 to below 1E+126, computed exactly (never in floating point).
const (
	maxDigits   = 38
	maxExponent = 125  // of the leading digit
	minExponent = -130 // of the leading digit
)

// numberContext computes within 38 digits; a result that would lose a
// nonzero digit (Inexact) is an error, as on DynamoDB. (Dropping trailing
// zeros, as 99…9 + 1 = 1E38 does, is not.) Nothing writes it.
var numberContext = apd.Context{Precision: maxDigits, MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent, Traps: apd.DefaultTraps | apd.Inexact}

// parseNumber reads a number as DynamoDB accepts it and returns it
// reduced (no trailing zeros). A leading + is accepted, as DynamoDB
// does; spaces around the digits are not.
func parseNumber(s string) (*apd.Decimal, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, validationf("The parameter cannot be converted to a numeric value")
	}
	d, _, err := apd.NewFromString(s)
	if err != nil || d.Form != apd.Finite || t != s {
		return nil, validationf("The parameter cannot be converted to a numeric value: %s", s)
	}
	return checkNumber(d)
}

// checkNumber reduces d and checks its digits and magnitude.
func checkNumber(d *apd.Decimal) (*apd.Decimal, error) {
	d.Reduce(d)
	if d.IsZero() {
		d.Negative = false
		d.Exponent = 0
		return d, nil
	}
	digits := d.NumDigits()
	if digits > maxDigits {
		return nil, validationf("Attempting to store more than 38 significant digits in a Number")
	}
	lead := int64(d.Exponent) + digits - 1
	if lead > maxExponent {
		return nil, validationf("Number overflow. Attempting to store a number with magnitude larger than supported range")
	}
	if lead < minExponent {
		return nil, validationf("Number underflow. Attempting to store a number with magnitude smaller than supported range")
	}
	return d, nil
}

// formatNumber writes a number as DynamoDB returns it: plain digits, no
// exponent, no trailing zeros.
func formatNumber(d *apd.Decimal) string { return d.Text('f') }

// canonicalNumber validates a number's text and returns its canonical
// form: s itself when it is one already.
func canonicalNumber(s string) (string, error) {
	if isCanonicalNumber(s) {
		return s, nil
	}
	d, err := parseNumber(s)
	if err != nil {
		return "", err
	}
	return formatNumber(d), nil
}

// isCanonicalNumber reports whether s is a number as formatNumber writes
// it, with too few digits to break a limit: an optional minus, an integer
// part without leading zeros, an optional fraction that does not end in
// zero, not -0, and at most maxDigits digits in all. Counting every digit
// (a leading "0." too) keeps it simple: 38 of them can neither hold more
// than 38 significant digits nor put the leading one outside
// [minExponent, maxExponent]. Most numbers clients send are such, and
// parsing them with apd costs a PutItem a microsecond each.
func isCanonicalNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	for i < len(s) && '0' <= s[i] && s[i] <= '9' {
		i++
	}
	whole := s[start:i]
	if whole == "" || len(whole) > 1 && whole[0] == '0' {
		return false
	}
	if i == len(s) {
		return len(whole) <= maxDigits && !(start > 0 && whole == "0")
	}
	if s[i] != '.' {
		return false
	}
	i++
	frac := s[i:]
	for j := range len(frac) {
		if frac[j] < '0' || frac[j] > '9' {
			return false
		}
	}
	return frac != "" && frac[len(frac)-1] != '0' && len(whole)+len(frac) <= maxDigits
}

// addNumbers returns a+b (b negated when sub), exactly.
func addNumbers(a, b string, sub bool) (string, error) {
	x, err := parseNumber(a)
	if err != nil {
		return "", err
	}
	y, err := parseNumber(b)
	if err != nil {
		return "", err
	}
	var r apd.Decimal
	if sub {
		_, err = numberContext.Sub(&r, x, y)
	} else {
		_, err = numberContext.Add(&r, x, y)
	}
	if err != nil { // an inexact sum: DynamoDB calls it an overflow, whatever its magnitude (1e50 + 1)
		return "", validationf("Number overflow. Attempting to store a number with magnitude larger than supported range")
	}
	if _, err := checkNumber(&r); err != nil {
		return "", err
	}
	return formatNumber(&r), nil
}

// compareNumbers orders two valid numbers.
func compareNumbers(a, b string) int {
	x, _, err1 := apd.NewFromString(a)
	y, _, err2 := apd.NewFromString(b)
	if err1 != nil || err2 != nil {
		return strings.Compare(a, b)
	}
	return x.Cmp(y)
}

// appendNumberKey appends an order-preserving, prefix-free encoding of a
// valid number: bytes compare as the numbers do.
//
//	zero:     0x80
//	positive: 0xC0 | u16 exponent+1000 | digits ('0'+d) | 0x00
//	negative: 0x40 | u16 ^(exponent+1000) | digits (0xFF-'0'-d) | 0xFF
//
// where the number is 0.d1d2…dn × 10^exponent with d1 ≠ 0.
func appendNumberKey(b []byte, s string) []byte {
	d, _, err := apd.NewFromString(s)
	if err != nil {
		return append(b, 0x80)
	}
	d.Reduce(d)
	if d.IsZero() {
		return append(b, 0x80)
	}
	digits := d.Coeff.String()
	exp := int(d.Exponent) + len(digits) + 1000 // of 0.d1d2…
	if !d.Negative {
		b = append(b, 0xC0, byte(exp>>8), byte(exp))
		b = append(b, digits...)
		return append(b, 0x00)
	}
	exp = 0xFFFF - exp
	b = append(b, 0x40, byte(exp>>8), byte(exp))
	for i := 0; i < len(digits); i++ {
		b = append(b, 0xFF-digits[i])
	}
	return append(b, 0xFF)
}
