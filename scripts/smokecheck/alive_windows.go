//go:build windows

package main

import "golang.org/x/sys/windows"

// alive reports whether the process pid still runs. The smoke test runs on
// Linux; this keeps `GOOS=windows go vet ./...` of the root module clean.
func alive(pid int) bool {
	h, err := windows.OpenProcess(windows.SYNCHRONIZE, false, uint32(pid))
	if err != nil {
		return false
	}
	defer windows.CloseHandle(h)
	event, err := windows.WaitForSingleObject(h, 0)
	return err == nil && event == uint32(windows.WAIT_TIMEOUT)
}
