// The documentation: every export of src/index.ts (and every public member of an exported class or
// interface) has a doc comment, docs/reference.md is what scripts/gen-docs.ts makes from them (run
// `make docs` after changing a doc comment), and docs/nanonext.md names only functions that exist.
import { expect, test } from "bun:test";
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
