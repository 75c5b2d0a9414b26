extern fn nng_version() [*:0]const u8;
export fn bnng_nng_version() [*:0]const u8 {
    return nng_version();
}
