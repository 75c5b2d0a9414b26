//! Windows only: what the DLL does when it is loaded. Zig's own DLL entry point (std/start.zig's
//! _DllMainCRTStartup, which replaces mingw-w64's, so C code gets no DllMain of its own) calls the
//! root file's `DllMain`; zig/exports.zig forwards it here.
const std = @import("std");
const windows = std.os.windows;

/// zig/mbedtls_threading_win.c: installs Mbed TLS's mutexes (MBEDTLS_THREADING_ALT). Must run
/// before anything can use Mbed TLS, hence at load time.
extern fn bunnng_mbedtls_threading_init() void;

const DLL_PROCESS_ATTACH: windows.DWORD = 1;

pub fn DllMain(instance: windows.HINSTANCE, reason: windows.DWORD, reserved: ?windows.LPVOID) callconv(.winapi) windows.BOOL {
    _ = instance;
    _ = reserved;
    if (reason == DLL_PROCESS_ATTACH) bunnng_mbedtls_threading_init();
    return windows.TRUE;
}
