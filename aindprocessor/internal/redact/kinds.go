package redact // import "github.com/AllenNeuralDynamics/otelcol-aind/aindprocessor/internal/redact"

import "strconv"

// Redaction kinds: what Redact counts a redaction under (the `kind`
// attribute of the processor's redactions metric). Kind 0 is the key rule;
// the others are the built-in pattern ids, and after them custom_<i>.
const (
	kindKey = iota
	kindAWSKeyID
	kindAWSSecret
	kindGitHub
	kindSlack
	kindGoogle
	kindJWT
	kindPrivateKey
	kindURLCredentials
	kindAuthorization
	kindAssignment
	numBuiltinKinds
)

var builtinKindNames = [numBuiltinKinds]string{
	kindKey:            "key",
	kindAWSKeyID:       "aws_access_key_id",
	kindAWSSecret:      "aws_secret_access_key",
	kindGitHub:         "github_token",
	kindSlack:          "slack_token",
	kindGoogle:         "google_api_key",
	kindJWT:            "jwt",
	kindPrivateKey:     "private_key",
	kindURLCredentials: "url_credentials",
	kindAuthorization:  "authorization",
	kindAssignment:     "secret_assignment",
}

// builtinKind returns the kind of a built-in pattern id, or -1.
func builtinKind(id string) int {
	for k := kindKey + 1; k < numBuiltinKinds; k++ {
		if builtinKindNames[k] == id {
			return k
		}
	}
	return -1
}

// builtinPatternIDs are the ids disabled_patterns accepts.
func builtinPatternIDs() []string {
	return append([]string(nil), builtinKindNames[kindKey+1:]...)
}

func customKindName(i int) string { return "custom_" + strconv.Itoa(i) }
