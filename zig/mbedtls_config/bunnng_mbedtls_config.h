// Mbed TLS configuration of the shim: upstream's default include/mbedtls/mbedtls_config.h, then this file
// (MBEDTLS_USER_CONFIG_FILE, set by build.zig for NNG, zig/tls_cert.c and Mbed TLS alike, so all
// three see the same structure layouts).
#ifndef BUNNNG_MBEDTLS_CONFIG_H
#define BUNNNG_MBEDTLS_CONFIG_H

// Threading on, as in Debian's build: NNG runs handshakes on several threads at once, and objects
// shared between connections (an RSA key's blinding values, for one) are only safe under Mbed
// TLS's own mutexes.
#define MBEDTLS_THREADING_C
#if defined(_WIN32)
// No pthreads on Windows: zig/mbedtls_threading_win.c implements the mutexes with SRW locks and
// installs them when the DLL loads.
#define MBEDTLS_THREADING_ALT
#else
#define MBEDTLS_THREADING_PTHREAD
#endif

// Unused: NNG does its own networking and timing, and these are the modules with the most
// platform-specific code.
#undef MBEDTLS_NET_C
#undef MBEDTLS_TIMING_C

#endif
