// Package aindauth implements the aindauth extension: a server
// authenticator for the gateway that knows which client wrote. Each client
// has a name and a bearer token (or its SHA-256 digest), listed in a tokens
// file that is read again while the collector runs, so that a token is
// added or revoked without a restart. Authenticate puts the client's name
// in the request's client.Info, where the aind processor finds it and
// stamps it on the records as aind.client.
//
// internal/metadata is written by hand in mdatagen's layout from
// metadata.yaml.
package aindauth // import "github.com/AllenNeuralDynamics/otelcol-aind/aindauth"
