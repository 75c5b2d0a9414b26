// C strings for the FFI: nul-terminated UTF-8 buffers.
const cache = new Map<string, Uint8Array>();

/** A nul-terminated UTF-8 copy of `s`. Throws TypeError if `s` has a nul inside. */
export function cstr(s: string): Uint8Array {
  if (s.includes("\0")) throw new TypeError(`string ${JSON.stringify(s)} contains a nul character`);
  return Buffer.from(`${s}\0`, "utf8");
}

/** cstr for a small fixed set of strings (option names): made once, reused. */
export function cname(s: string): Uint8Array {
  let b = cache.get(s);
  if (b === undefined) {
    b = cstr(s);
    cache.set(s, b);
  }
  return b;
}
