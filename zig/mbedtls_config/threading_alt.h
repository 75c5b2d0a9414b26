// Mbed TLS's mutex type for MBEDTLS_THREADING_ALT (Windows only; see bunnng_mbedtls_config.h).
// `lock` is a Windows SRWLOCK, which is exactly one pointer; declared as one here so that every Mbed
// TLS source file need not include <windows.h>.
#ifndef BUNNNG_THREADING_ALT_H
#define BUNNNG_THREADING_ALT_H

typedef struct mbedtls_threading_mutex_t {
    void *lock;
    char is_valid;
} mbedtls_threading_mutex_t;

#endif
