// The documentation: every export of src/index.ts (and every public member of an exported class or
// interface) has a doc comment, docs/reference.md is what scripts/gen-docs.ts makes from them (run
// `make docs` after changing a doc comment), and docs/nanonext.md names only functions that exist.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as api from "../src/index";
import { generate, REFERENCE_PATH } from "../scripts/gen-docs";

const generated = generate();

test("every export and public member has a doc comment", () => {
  expect(generated.missing).toEqual([]);
});

test("docs/reference.md is up to date (make docs)", () => {
  expect(readFileSync(REFERENCE_PATH, "utf8")).toBe(generated.markdown);
});

test("docs/reference.md has a section for every runtime export", () => {
  for (const name of Object.keys(api)) expect(generated.markdown).toContain(`### \`${name}\``);
});

describe("docs/nanonext.md", () => {
  const text = readFileSync(join(import.meta.dir, "..", "docs", "nanonext.md"), "utf8");
  const rows = text
    .split("\n")
    .filter((l) => l.startsWith("| ") && !l.startsWith("| nanonext") && !l.startsWith("|---"))
    .map((l) => l.split(/(?<!\\)\|/).map((c) => c.trim()));

  test("maps every nanonext messaging function", () => {
    const nanonextColumn = rows.map((r) => r[1] ?? "").join(" ");
    const names = [
      "socket", "dial", "listen", "send", "recv", "send_aio", "recv_aio", "request", "reply", "context",
      "call_aio", "collect_aio", "stop_aio", "race_aio", "unresolved", "cv", "wait", "until", "cv_value",
      "cv_reset", "cv_signal", "pipe_notify", "subscribe", "unsubscribe", "survey_time", "opt", "`opt<-`",
      "stat", "stream", "tls_config", "write_cert", "serial_config", "nng_version", "parse_url", "mclock",
      "msleep", "random", "nng_error", "is_error_value", "is_nul_byte", "device", "messenger", "ncurl",
      "close", "start", "nano", "reap", "pipe_id", "is_aio", "status_code",
    ];
    for (const name of names) expect(nanonextColumn).toContain(name.startsWith("`") ? name : `\`${name}(`);
  });

  test("names only functions this library exports", () => {
    const ours = rows.map((r) => r[2] ?? "").join(" ");
    const called = [...ours.matchAll(/`([a-zA-Z]+)\(/g)].map((m) => m[1]!);
    expect(called.length).toBeGreaterThan(40);
    for (const name of new Set(called)) expect(Object.keys(api)).toContain(name);
  });
});
