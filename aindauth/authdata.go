package aindauth // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth"

import (
	"go.opentelemetry.io/collector/client"

	"github.com/AllenNeuralDynamics/otelcol-aind/internal/aind"
)

// authData is the client.AuthData of an authenticated request: the
// client's name, as a string under aind.AttrClient ("aind.client").
type authData struct{ client string }

var _ client.AuthData = authData{}

func (a authData) GetAttribute(name string) any {
	if name == aind.AttrClient {
		return a.client
	}
	return nil
}

func (authData) GetAttributeNames() []string { return []string{aind.AttrClient} }
