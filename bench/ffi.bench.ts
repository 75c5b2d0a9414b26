// The floor of any call into the shim: one FFI call to a trivial symbol. See bench/README.md.
//
// `native` (src/ffi.ts) is the library's symbol table: the raw dlopen symbols, or a timing wrapper
// around each when BUN_NNG_TRACE_FFI is set. The numbers that matter are without the wrapper, so
// this file measures `lib.symbols` (never wrapped) and `native` side by side and says which is which.
import { bench, do_not_optimize, group, run } from "mitata";
import { lib, native } from "../src/ffi";
import { rt } from "../src/runtime";
import { avgOf, fmtNs, summary } from "./util";

const traced = native !== lib.symbols;
const raw = lib.symbols;
const noop = () => 0;

group("FFI: one call", () => {
  bench("js function call (baseline)", () => do_not_optimize(noop()));
  bench("bnng_abi_version()  u32, no args", () => do_not_optimize(raw.bnng_abi_version()));
  bench("bnng_drain(rt, 512)  empty ring", () => do_not_optimize(raw.bnng_drain(rt, 512)));
  if (traced) bench("native.bnng_abi_version()  BUN_NNG_TRACE_FFI wrapper", () => do_not_optimize(native.bnng_abi_version()));
});

const results = await run();

summary("ffi.bench.ts", [
  ["one FFI call (bnng_abi_version)", fmtNs(avgOf(results, "bnng_abi_version()  u32, no args"))],
  ["bnng_drain on an empty ring (the drain's floor)", fmtNs(avgOf(results, "bnng_drain(rt, 512)  empty ring"))],
  ...(traced
    ? ([["with the BUN_NNG_TRACE_FFI wrapper", fmtNs(avgOf(results, "native.bnng_abi_version()  BUN_NNG_TRACE_FFI wrapper"))]] as [string, string][])
    : []),
  ["BUN_NNG_TRACE_FFI", traced ? "set: the library's own calls go through the wrapper" : "unset (the library calls the raw symbols)"],
]);
