package corpus

import "math/rand/v2"

// Planted secrets: what leaks into real logs despite the standard's "never
// log sensitive information", so a redacting pipeline does real work on
// some lines. Each kind is a pattern the redaction processors detect by
// value, not by key. Values are random (but seeded) so no two are alike.
const (
	secretPassword = iota // password=… in the message
	secretAWSKeyID        // AKIA… in the message
	secretURL             // scheme://user:password@host in the message
	secretGitHub          // ghp_… in a custom field
	secretJWT             // a JWT in a custom field
	numSecretKinds
)

// secretInMessage reports whether kind is planted in the message (the
// others are planted as a custom field).
func secretInMessage(kind int) bool { return kind <= secretURL }

const (
	upperDigits = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	alnum       = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b64url      = alnum + "-_"
)

func appendRandom(b []byte, alphabet string, n int, r *rand.Rand) []byte {
	for range n {
		b = append(b, alphabet[r.IntN(len(alphabet))])
	}
	return b
}

// appendSecretMessage appends a message carrying a secret of kind.
func appendSecretMessage(b []byte, kind int, r *rand.Rand) []byte {
	switch kind {
	case secretPassword:
		b = append(b, "Login to LIMS failed for user svc_aind with password="...)
		return appendRandom(b, alnum, 12, r)
	case secretAWSKeyID:
		b = append(b, "Uploading with access key AKIA"...)
		b = appendRandom(b, upperDigits, 16, r)
		return append(b, " to s3://aind-open-data/"...)
	default: // secretURL
		b = append(b, "Connecting to postgresql://aind_rw:"...)
		b = appendRandom(b, alnum, 14, r)
		return append(b, "@db.aind.internal:5432/sessions"...)
	}
}

// writeSecretField writes a custom field carrying a secret of kind.
func writeSecretField(o *object, scratch []byte, kind int, r *rand.Rand) []byte {
	scratch = scratch[:0]
	key := "git_auth"
	if kind == secretGitHub {
		scratch = append(scratch, "token ghp_"...)
		scratch = appendRandom(scratch, alnum, 36, r)
	} else {
		key = "authorization"
		scratch = append(scratch, "Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ"...)
		scratch = appendRandom(scratch, b64url, 40, r)
		scratch = append(scratch, '.')
		scratch = appendRandom(scratch, b64url, 43, r)
	}
	o.strBytes(key, scratch)
	return scratch
}
