// The path is under aindreceiver (not bench/pickle, where it lives) because
// Go lets only code under aindreceiver import aindreceiver/internal/pickle.
module github.com/AllenNeuralDynamics/otelcol-aind/aindreceiver/internal/pickle/benchcmp

go 1.26.0

replace github.com/AllenNeuralDynamics/otelcol-aind => ../..

require (
	github.com/AllenNeuralDynamics/otelcol-aind v0.0.0-00010101000000-000000000000
	github.com/kisielk/og-rek v1.3.0
	github.com/nlpodyssey/gopickle v0.2.0
	go.opentelemetry.io/collector/pdata v1.71.0
)

require (
	github.com/aristanetworks/gomap v0.0.0-20230726210543-f4e41046dced // indirect
	github.com/hashicorp/go-version v1.9.0 // indirect
	github.com/json-iterator/go v1.1.12 // indirect
	github.com/modern-go/concurrent v0.0.0-20180306012644-bacd9c7ef1dd // indirect
	github.com/modern-go/reflect2 v1.0.3-0.20250322232337-35a7c28c31ee // indirect
	go.opentelemetry.io/collector/featuregate v1.71.0 // indirect
	go.uber.org/multierr v1.11.0 // indirect
	golang.org/x/exp v0.0.0-20260908205506-85c1c2202aba // indirect
)
