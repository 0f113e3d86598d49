package fileinput

import (
	"context"
	"fmt"

	"go.opentelemetry.io/collector/component"
	"go.opentelemetry.io/collector/extension/xextension/storage"
)

// getStorageClient returns the client of the storage extension that keeps
// the receiver's checkpoints, or nil when none is configured (offsets then
// live in memory). It mirrors stanza's adapter.GetStorageClient without
// importing the adapter, which registers every stanza operator.
func getStorageClient(ctx context.Context, host component.Host, storageID *component.ID, id component.ID) (storage.Client, error) {
	if storageID == nil {
		return nil, nil
	}
	ext, ok := host.GetExtensions()[*storageID]
	if !ok {
		return nil, fmt.Errorf("storage extension %q not found", storageID.String())
	}
	storageExt, ok := ext.(storage.Extension)
	if !ok {
		return nil, fmt.Errorf("extension %q is not a storage extension", storageID.String())
	}
	client, err := storageExt.GetClient(ctx, component.KindReceiver, id, "")
	if err != nil {
		return nil, fmt.Errorf("get client of storage extension %q: %w", storageID.String(), err)
	}
	return client, nil
}
