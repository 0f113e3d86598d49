package tokens // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth/internal/tokens"

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"

	"go.yaml.in/yaml/v3"
)

// MaxFileSize bounds a tokens file: a few thousand clients fit in far less.
const MaxFileSize = 1 << 20

// file is the tokens file:
//
//	clients:
//	  - name: team-ephys
//	    token_sha256: 5e88489…
//	  - name: rig-group-a
//	    token: …
type file struct {
	// Clients is a pointer so that a file without the list (empty, or cut
	// short while being written) is told apart from `clients: []`, which
	// lets no one in.
	Clients *[]Client `yaml:"clients"`
}

var (
	errEmptyFile = errors.New("the tokens file is empty; write 'clients: []' to let no one in")
	errNoClients = errors.New("the tokens file has no 'clients' list; write 'clients: []' to let no one in")
	errTooLarge  = fmt.Errorf("the tokens file is larger than %d bytes", MaxFileSize)
	errManyDocs  = errors.New("the tokens file holds more than one YAML document")
)

// Parse reads a tokens file and validates its clients (see New). Unknown
// keys are errors, so that a misspelt `token_sha256` does not pass for a
// client without a token.
func Parse(data []byte) (*Set, error) {
	if len(data) > MaxFileSize {
		return nil, errTooLarge
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f file
	if err := dec.Decode(&f); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errEmptyFile
		}
		return nil, syntaxError(err)
	}
	if dec.Decode(new(any)) != io.EOF {
		return nil, errManyDocs
	}
	if f.Clients == nil {
		return nil, errNoClients
	}
	set, err := New(*f.Clients)
	if err != nil {
		return nil, fmt.Errorf("the tokens file: %w", err)
	}
	return set, nil
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

// syntaxError says where the YAML went wrong and nothing more: yaml's own
// messages quote the values and keys they could not take, which may be
// tokens.
func syntaxError(err error) error {
	const shape = "not YAML holding a 'clients' list of entries with the keys name, token, token_sha256"
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("the tokens file, line %s: %s", m[1], shape)
	}
	return errors.New("the tokens file: " + shape)
}
