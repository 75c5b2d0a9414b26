// Types of common.mjs (shared by the Bun and Node sides of the comparison).
export interface Args {
  role: "server" | "client" | "probe";
  pattern: "reqrep" | "pubsub" | "pipeline";
  url: string;
  size: number;
  conc: number;
  subs: number;
  warmup: number;
  duration: number;
  lifetime: number;
  parent: number;
  [key: string]: string | number;
}
export function parseArgs(argv?: string[]): Args;
export function makePayload(size: number): Uint8Array;
export function print(obj: unknown): void;
export function fail(error: unknown): never;
export function unsupported(reason: string): never;
export function ready(): void;
export function guard(args: Args): void;
export function waitUntil(cond: () => boolean, ms: number, what: string): Promise<void>;
export function measure(args: Args, count: () => number, note?: string): Promise<never>;
