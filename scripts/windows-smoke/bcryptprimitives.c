/*
 * Test-only stand-in for Windows' bcryptprimitives.dll, for the wine smoke
 * test (scripts/windows-smoke.sh) and nothing else: never ship it.
 *
 * Go 1.24 and later take their randomness from ProcessPrng in
 * bcryptprimitives.dll and stop at startup ("fatal error:
 * bcryptprimitives.dll not found") where it is missing. Windows 10 and 11
 * have it; Debian bookworm's wine 8.0 does not. This DLL exports the one
 * function the Go runtime looks up, on top of the system RNG that wine 8
 * does have, BCryptGenRandom with BCRYPT_USE_SYSTEM_PREFERRED_RNG.
 *
 * Built by the smoke script with mingw-w64:
 *   x86_64-w64-mingw32-gcc -O2 -shared -o bcryptprimitives.dll bcryptprimitives.c -lbcrypt
 */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
		if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, n, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
