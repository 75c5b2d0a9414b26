// Self-signed certificate generation for writeCert() (nanonext's write_cert), through Mbed TLS 2.28.
//
// This is the shim's only C file: Mbed TLS's certificate-writing API is a web of structs, macros
// and configuration-dependent layouts that hand-written Zig externs would have to mirror exactly, so
// it is used from C against the real headers, and zig/tls.zig calls the one function below.
//
// The certificate is made to be used both as a server's own certificate and as the CA a client
// verifies it against: subject = issuer = CN=<cn>, basicConstraints CA=true, signed with its own
// EC P-256 key (ECDSA with SHA-256; fast to generate, and NNG's Mbed TLS engine negotiates
// ECDHE-ECDSA suites with it). No subjectAltName: Mbed TLS 2.28 matches a server name against the
// CN when a certificate has no SAN, and it has no IP-address SANs at all, so the CN alone is what
// makes both hostnames and IP addresses (e.g. 127.0.0.1) verifiable.
#include <string.h>

#include <mbedtls/bignum.h>
#include <mbedtls/ctr_drbg.h>
#include <mbedtls/ecp.h>
#include <mbedtls/entropy.h>
#include <mbedtls/error.h>
#include <mbedtls/md.h>
#include <mbedtls/pk.h>
#include <mbedtls/x509_crt.h>

// Longest subject we build: "CN=" plus a CN of at most 64 characters (X.520's upper bound, checked
// by the caller) of up to 4 UTF-8 bytes each (an escaped comma takes 2), plus the nul. Longer input
// is refused, never truncated.
#define SUBJECT_MAX (3 + 4 * 64 + 1)

// Writes "CN=<cn>" into out, escaping commas (the only character Mbed TLS 2.28's name parser
// accepts escaped). Returns 0, or -1 if cn cannot be represented (too long, or a backslash, which
// 2.28 cannot escape).
static int subject_of(const char *cn, char *out, size_t cap) {
    size_t n = 0;
    if (cap < 4) return -1;
    memcpy(out, "CN=", 3);
    n = 3;
    for (const char *c = cn; *c != '\0'; c++) {
        if (*c == '\\') return -1;
        if (*c == ',') {
            if (n + 1 >= cap) return -1;
            out[n++] = '\\';
        }
        if (n + 1 >= cap) return -1;
        out[n++] = *c;
    }
    out[n] = '\0';
    return 0;
}

static void error_text(int rv, const char *what, char *err, size_t err_cap) {
    char detail[160];
    size_t n;
    if (err == NULL || err_cap == 0) return;
    n = strlen(what);
    if (n >= err_cap) n = err_cap - 1;
    memcpy(err, what, n);
    err[n] = '\0';
    if (rv != 0 && n + 2 < err_cap) {
        mbedtls_strerror(rv, detail, sizeof(detail));
        err[n++] = ':';
        err[n++] = ' ';
        err[n] = '\0';
        strncat(err, detail, err_cap - n - 1);
    }
}

// Generates a key and a self-signed certificate. cn: the common name; not_before / not_after:
// "YYYYMMDDHHMMSS" (UTC). The PEM texts (nul-terminated) go to cert_out / key_out. Returns 0, or an
// Mbed TLS error code (negative) with a message in err, or -1 for a CN that cannot be encoded.
int bnng_tlscert_write(const char *cn, const char *not_before, const char *not_after,
                       unsigned char *cert_out, size_t cert_cap, unsigned char *key_out, size_t key_cap,
                       char *err, size_t err_cap) {
    static const char personal[] = "bun-nng writeCert";
    char subject[SUBJECT_MAX];
    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_pk_context key;
    mbedtls_x509write_cert crt;
    mbedtls_mpi serial;
    unsigned char serial_bytes[16];
    const char *step = "";
    int rv;

    if (subject_of(cn, subject, sizeof(subject)) != 0) {
        error_text(0, "the common name cannot be encoded", err, err_cap);
        return -1;
    }

    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    mbedtls_pk_init(&key);
    mbedtls_x509write_crt_init(&crt);
    mbedtls_mpi_init(&serial);

#define STEP(name, call)       \
    do {                       \
        step = (name);         \
        if ((rv = (call)) != 0) goto done; \
    } while (0)

    STEP("seeding the random generator",
         mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)personal,
                               sizeof(personal) - 1));
    STEP("setting up the key", mbedtls_pk_setup(&key, mbedtls_pk_info_from_type(MBEDTLS_PK_ECKEY)));
    STEP("generating the EC P-256 key",
         mbedtls_ecp_gen_key(MBEDTLS_ECP_DP_SECP256R1, mbedtls_pk_ec(key), mbedtls_ctr_drbg_random, &drbg));

    // A random 128-bit serial (RFC 5280: positive, at most 20 octets, unique per issuer). The top
    // bit is cleared so that it encodes in 16 octets, and the lowest set so that it is never zero.
    STEP("making the serial number", mbedtls_ctr_drbg_random(&drbg, serial_bytes, sizeof(serial_bytes)));
    serial_bytes[0] &= 0x7f;
    serial_bytes[sizeof(serial_bytes) - 1] |= 0x01;
    STEP("making the serial number", mbedtls_mpi_read_binary(&serial, serial_bytes, sizeof(serial_bytes)));

    mbedtls_x509write_crt_set_version(&crt, MBEDTLS_X509_CRT_VERSION_3);
    mbedtls_x509write_crt_set_md_alg(&crt, MBEDTLS_MD_SHA256);
    mbedtls_x509write_crt_set_subject_key(&crt, &key);
    mbedtls_x509write_crt_set_issuer_key(&crt, &key);
    STEP("setting the serial number", mbedtls_x509write_crt_set_serial(&crt, &serial));
    STEP("setting the subject name", mbedtls_x509write_crt_set_subject_name(&crt, subject));
    STEP("setting the issuer name", mbedtls_x509write_crt_set_issuer_name(&crt, subject));
    STEP("setting the validity", mbedtls_x509write_crt_set_validity(&crt, not_before, not_after));
    // CA=true so that clients can use this very certificate as their trust anchor; no path length
    // limit (-1) as it signs nothing else.
    STEP("setting basicConstraints", mbedtls_x509write_crt_set_basic_constraints(&crt, 1, -1));
    STEP("setting the subject key identifier", mbedtls_x509write_crt_set_subject_key_identifier(&crt));
    STEP("setting the authority key identifier", mbedtls_x509write_crt_set_authority_key_identifier(&crt));

    STEP("writing the certificate",
         mbedtls_x509write_crt_pem(&crt, cert_out, cert_cap, mbedtls_ctr_drbg_random, &drbg));
    STEP("writing the key", mbedtls_pk_write_key_pem(&key, key_out, key_cap));
#undef STEP

done:
    if (rv != 0) error_text(rv, step, err, err_cap);
    mbedtls_mpi_free(&serial);
    mbedtls_x509write_crt_free(&crt);
    mbedtls_pk_free(&key);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
    memset(serial_bytes, 0, sizeof(serial_bytes));
    return rv;
}
