/*
 * TEST-ONLY stand-in for bcryptprimitives.dll, used inside the throw-away Wine prefix of
 * installers/windows/build.sh and NEVER shipped (build.sh asserts that neither the bundle
 * nor the installer carries a file of this name or these bytes).
 *
 * Why: python-calamine is written in Rust, whose standard library takes its random seed
 * from bcryptprimitives.dll!ProcessPrng. Every Windows 10/11 has that DLL; Wine 8.0 does
 * not, so without this file `import python_calamine` fails under Wine and the self-test
 * cannot run. It forwards to RtlGenRandom (advapi32!SystemFunction036), which Wine has.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance; (void)reason; (void)reserved;
    return TRUE;
}
