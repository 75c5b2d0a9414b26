// Mbed TLS mutexes on Windows (MBEDTLS_THREADING_ALT; see mbedtls_config/): slim reader/writer
// locks, installed when the DLL loads (zig/windows.zig's DllMain calls the function below), before
// anything in the DLL can use Mbed TLS. Compiled for Windows targets only.
//
// Mbed TLS 3.6: mbedtls_threading_set_alt also initialises the library's global mutexes with
// mutex_init (the PSA crypto key-slot, global-data and RNG mutexes; the readdir one), which is why it
// must run before any Mbed TLS call: until then every lock fails. mbedtls_threading_free_alt is
// never called: SRW locks own no resources, so there is nothing to free.
#include <windows.h>

#include <mbedtls/threading.h>

_Static_assert(sizeof(SRWLOCK) == sizeof(void *), "threading_alt.h stores an SRWLOCK as one pointer");

static void mutex_init(mbedtls_threading_mutex_t *m) {
    if (m == NULL) return;
    InitializeSRWLock((PSRWLOCK)&m->lock);
    m->is_valid = 1;
}

static void mutex_free(mbedtls_threading_mutex_t *m) {
    if (m == NULL) return;
    m->is_valid = 0; // SRW locks own no resources
}

static int mutex_lock(mbedtls_threading_mutex_t *m) {
    if (m == NULL || !m->is_valid) return MBEDTLS_ERR_THREADING_BAD_INPUT_DATA;
    AcquireSRWLockExclusive((PSRWLOCK)&m->lock);
    return 0;
}

static int mutex_unlock(mbedtls_threading_mutex_t *m) {
    if (m == NULL || !m->is_valid) return MBEDTLS_ERR_THREADING_BAD_INPUT_DATA;
    ReleaseSRWLockExclusive((PSRWLOCK)&m->lock);
    return 0;
}

// Hidden like the rest of the C: the DLL exports only the shim's bnng_* functions.
__attribute__((visibility("hidden"))) void bunnng_mbedtls_threading_init(void) {
    mbedtls_threading_set_alt(mutex_init, mutex_free, mutex_lock, mutex_unlock);
}
