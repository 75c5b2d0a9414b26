// bench/results.md and bench/results.svg from a comparison run (bench/compare/run.ts).
import { existsSync, readFileSync } from "node:fs";
import { cpus, loadavg, release, totalmem } from "node:os";
import { join } from "node:path";
import { DEPS, NATIVE, ROOT, sizeLabel, type Scenario } from "./scenarios";

export interface Cell {
  rates: number[];
  errors: string[];
  notes: string[];
  unsupported?: string;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  kernel: string;
  loadStart: string;
  tools: string[];
  commit: string;
}

export interface Report {
  command: string;
  /** Set when every SP client ran against this implementation's server (--server). */
  server?: string;
  date: Date;
  elapsedS: number;
  reps: number;
  warmupMs: number;
  durationMs: number;
  machine: Machine;
  impls: { id: string; label: string; version?: string; unavailable?: string }[];
  scenarios: Scenario[];
  cell(s: Scenario, implId: string): Cell | undefined;
  median(xs: number[]): number;
}

async function output(cmd: string[]): Promise<string> {
  try {
    const p = Bun.spawn(cmd, { cwd: ROOT, stdin: "ignore", stdout: "pipe", stderr: "pipe" });
    const [out, err] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text()]);
    await p.exited;
    return (out.trim() || err.trim()).split("\n")[0] ?? "";
  } catch {
    return "";
  }
}

const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(", ");

export async function machineInfo(): Promise<Machine> {
  const cpuinfo = existsSync("/proc/cpuinfo") ? readFileSync("/proc/cpuinfo", "utf8") : "";
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? "unknown";
  const osRelease = existsSync("/etc/os-release") ? readFileSync("/etc/os-release", "utf8") : "";
  const os = /^PRETTY_NAME="?([^"\n]+)"?$/m.exec(osRelease)?.[1] ?? process.platform;
  const python = join(DEPS, "pynng/venv/bin/python");
  const [node, py, zig, head, dirty] = await Promise.all([
    output(["node", "--version"]),
    output([existsSync(python) ? python : "python3", "--version"]),
    output(["scripts/zig", "version"]),
    output(["git", "rev-parse", "--short", "HEAD"]),
    output(["git", "status", "--porcelain", "--untracked-files=no"]),
  ]);
  return {
    cpu,
    cores: navigator.hardwareConcurrency,
    memoryGiB: totalmem() / 2 ** 30,
    os,
    kernel: `${process.platform} ${release()}`,
    loadStart: load(),
    tools: [`Bun ${Bun.version}`, `Node ${node.replace(/^v/, "")}`, py, `Zig ${zig}`].filter((t) => !/ $/.test(t)),
    commit: head ? `${head}${dirty ? " (with uncommitted changes)" : ""}` : "unknown",
  };
}

// --- formatting ---------------------------------------------------------------------------------

function fmtRate(r: number): string {
  return r >= 100 ? Math.round(r).toLocaleString("en-US") : r.toFixed(1);
}

function fmtRatio(x: number): string {
  return x >= 10 ? x.toFixed(0) : x >= 1 ? x.toFixed(2) : x >= 0.1 ? x.toFixed(2) : x.toFixed(3);
}

function esc(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

const SCENARIO_TEXT: Record<Scenario["pattern"], string> = {
  reqrep:
    "req/rep: the client keeps N requests of the payload size outstanding (N contexts; zeromq.js: a Dealer, or a Request socket for 1; node-nanomsg: N req sockets, at most 256) and counts the replies per second; the server echoes every request back (N rep contexts; zeromq.js: a Router, or a Reply socket; node-nanomsg: one rep socket).",
  pubsub:
    "pub fan-out: the server publishes as fast as its implementation lets it; the client runs 8 sub sockets (64 receives posted on each where the API has async receives) and counts deliveries per second, all subscribers together. pub never blocks: a subscriber that falls behind misses messages, so this is the rate the subscribers sustain under saturation.",
  pipeline:
    "push/pull: the server pushes as fast as it can (256 sends in flight where the API allows it); the client pulls (256 receives posted) and counts messages per second.",
};

/** The bar chart: ratio to native C per scenario, one bar per other implementation. */
function svg(r: Report, ratio: (s: Scenario, id: string) => number | undefined): string {
  const others = r.impls.filter((i) => i.id !== NATIVE && i.version);
  const colors = ["#e8590c", "#1c7ed6", "#2f9e44", "#7048e8", "#c2255c", "#495057"];
  const labelW = 300;
  const plotW = 560;
  const right = 70;
  const width = labelW + plotW + right;
  const barH = 11;
  const barGap = 3;
  const groupPad = 14;
  const top = 78;
  const groupH = others.length * (barH + barGap) - barGap + groupPad;
  const height = top + r.scenarios.length * groupH + 40;
  let max = 1.25;
  for (const s of r.scenarios) for (const i of others) max = Math.max(max, (ratio(s, i.id) ?? 0) * 1.08);
  const cap = 4;
  max = Math.min(cap, Math.ceil(max * 4) / 4);
  const step = max <= 2 ? 0.25 : 0.5;
  const x = (v: number) => labelW + (Math.min(v, max) / max) * plotW;
  const o: string[] = [];
  o.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="12">`,
  );
  o.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  o.push(`<text x="12" y="22" font-size="15" font-weight="bold">Throughput relative to native C on the same NNG build (1 = native; higher is better)</text>`);
  o.push(
    `<text x="12" y="40" fill="#555">${esc(
      `${r.machine.cpu}, ${r.machine.cores} cores; medians of ${r.reps} run(s); ${r.date.toISOString().slice(0, 10)}` +
        (r.server ? `; clients against the ${r.server} server` : ""),
    )}</text>`,
  );
  let lx = 12;
  others.forEach((impl, k) => {
    o.push(`<rect x="${lx}" y="50" width="12" height="12" fill="${colors[k % colors.length]}"/>`);
    o.push(`<text x="${lx + 17}" y="60">${esc(impl.label)}</text>`);
    lx += 30 + impl.label.length * 7;
  });
  const plotTop = top - 8;
  const plotBottom = top + r.scenarios.length * groupH - groupPad + 6;
  for (let v = 0; v <= max + 1e-9; v += step) {
    const xv = x(v).toFixed(1);
    o.push(`<line x1="${xv}" y1="${plotTop}" x2="${xv}" y2="${plotBottom}" stroke="#e9ecef"/>`);
    o.push(`<text x="${xv}" y="${plotBottom + 15}" text-anchor="middle" fill="#555">${Number(v.toFixed(2))}</text>`);
  }
  r.scenarios.forEach((s, g) => {
    const y0 = top + g * groupH;
    const mid = y0 + (others.length * (barH + barGap) - barGap) / 2;
    o.push(`<text x="${labelW - 10}" y="${(mid + 4).toFixed(1)}" text-anchor="end">${esc(s.title)}</text>`);
    others.forEach((impl, k) => {
      const y = y0 + k * (barH + barGap);
      const v = ratio(s, impl.id);
      if (v === undefined) {
        o.push(`<text x="${labelW + 4}" y="${y + barH - 2}" font-size="10" fill="#868e96">n/a</text>`);
        return;
      }
      const w = Math.max(1, x(v) - labelW);
      o.push(`<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" fill="${colors[k % colors.length]}"/>`);
      const clipped = v > max ? " \u25B8" : "";
      o.push(`<text x="${(labelW + w + 4).toFixed(1)}" y="${y + barH - 2}" font-size="10">${fmtRatio(v)}${clipped}</text>`);
    });
  });
  const x1 = x(1).toFixed(1);
  o.push(`<line x1="${x1}" y1="${plotTop}" x2="${x1}" y2="${plotBottom}" stroke="#212529" stroke-dasharray="4 3"/>`);
  o.push(`<text x="${x1}" y="${plotTop - 3}" text-anchor="middle" font-size="10">native C</text>`);
  o.push(`<line x1="${labelW}" y1="${plotTop}" x2="${labelW}" y2="${plotBottom}" stroke="#212529"/>`);
  o.push(`</svg>`);
  return o.join("\n") + "\n";
}

export async function writeReport(r: Report, dir: string, name = "results"): Promise<string[]> {
  const med = (s: Scenario, id: string) => {
    const c = r.cell(s, id);
    return c && c.rates.length ? r.median(c.rates) : undefined;
  };
  const ratio = (s: Scenario, id: string) => {
    const n = med(s, NATIVE);
    const v = med(s, id);
    return n !== undefined && v !== undefined ? v / n : undefined;
  };
  const shown = r.impls.filter((i) => i.version);
  const footnotes: string[] = [];
  const foot = (text: string) => {
    let k = footnotes.indexOf(text);
    if (k < 0) k = footnotes.push(text) - 1;
    return `<sup>${k + 1}</sup>`;
  };

  const md: string[] = [];
  md.push("# Side-by-side benchmark: bun-nng, native NNG, zeromq.js, node-nanomsg, pynng", "");
  md.push(
    `Written by \`${r.command}\` on ${r.date.toISOString().replace("T", " ").slice(0, 16)} UTC (${Math.round(r.elapsedS)} s in all). ` +
      `Each cell is the median of ${r.reps} run(s); implementations alternate run by run, and every run starts a fresh server ` +
      `process and client process, lets traffic flow ${r.warmupMs} ms, then counts completions at the client for ${r.durationMs} ms. ` +
      `The ratio in brackets is to native C on the same scenario (a C program with aio callbacks on the same NNG build): ` +
      `1 is the limit for a binding of NNG, higher is better. See bench/README.md for how each implementation runs each scenario.`,
    "",
  );
  if (r.server) {
    md.push(
      `**Every client except zeromq.js's ran against the ${r.server} server** (\`--server\`): the rates compare the client sides.`,
      "",
    );
  }
  md.push(`| Scenario | unit | ${shown.map((i) => i.label).join(" | ")} |`);
  md.push(`|---|---|${shown.map(() => "---:").join("|")}|`);
  for (const s of r.scenarios) {
    const row = shown.map((i) => {
      const c = r.cell(s, i.id);
      if (!c) return "";
      if (c.unsupported) return `n/a${foot(`${i.label}, ${s.title}: ${c.unsupported}`)}`;
      const notes = c.notes.map((n) => foot(`${i.label}, ${s.title}: ${n}`)).join("");
      const errs = c.errors.length
        ? foot(`${i.label}, ${s.title}: ${c.errors.length} of ${c.errors.length + c.rates.length} run(s) failed: ${c.errors[0]}`)
        : "";
      const m = med(s, i.id);
      if (m === undefined) return `failed${errs}`;
      const q = i.id === NATIVE ? "" : ratio(s, i.id) !== undefined ? ` (${fmtRatio(ratio(s, i.id)!)})` : "";
      return `${fmtRate(m)}${q}${notes}${errs}`;
    });
    md.push(`| ${mdCell(s.title)} | ${s.unit} | ${row.join(" | ")} |`);
  }
  md.push("");
  if (footnotes.length) {
    footnotes.forEach((f, k) => md.push(`${k + 1}. ${mdCell(f)}`));
    md.push("");
  }
  for (const i of r.impls.filter((x) => !x.version)) md.push(`**${i.label} unavailable**: ${mdCell(i.unavailable ?? "unknown")}`, "");
  md.push(`![Ratio to native C per scenario](${name}.svg)`, "");

  // Where bun-nng stands: furthest behind native first, with the fastest of the others beside it.
  const ours = r.scenarios
    .map((s) => ({ s, q: ratio(s, "bun-nng"), m: med(s, "bun-nng") }))
    .filter((e): e is { s: Scenario; q: number; m: number } => e.q !== undefined && e.m !== undefined)
    .sort((a, b) => a.q - b.q);
  if (ours.length) {
    md.push("## bun-nng at a glance", "");
    md.push("Furthest behind native C first; the last column is the fastest other binding's rate over bun-nng's.", "");
    md.push("| Scenario | bun-nng / native C | fastest other binding | its rate / bun-nng's |");
    md.push("|---|---:|---|---:|");
    for (const { s, q, m } of ours) {
      const best = shown
        .filter((i) => i.id !== NATIVE && i.id !== "bun-nng" && med(s, i.id) !== undefined)
        .sort((a, b) => med(s, b.id)! - med(s, a.id)!)[0];
      const other = best ? `${best.label}` : "";
      const vs = best ? fmtRatio(med(s, best.id)! / m) : "";
      md.push(`| ${mdCell(s.title)} | ${fmtRatio(q)} | ${other} | ${vs} |`);
    }
    md.push("");
  }

  md.push("## Spread", "");
  md.push("Every run's rate, to judge the noise (the machine is shared; each scenario's runs are close together in time).", "");
  md.push(`| Scenario | ${shown.map((i) => i.label).join(" | ")} |`);
  md.push(`|---|${shown.map(() => "---").join("|")}|`);
  for (const s of r.scenarios) {
    const row = shown.map((i) => {
      const c = r.cell(s, i.id);
      if (!c || !c.rates.length) return "";
      const lo = Math.min(...c.rates);
      const hi = Math.max(...c.rates);
      const m = r.median(c.rates);
      return c.rates.length === 1 ? fmtRate(lo) : `${fmtRate(lo)} – ${fmtRate(hi)} (±${(((hi - lo) / 2 / m) * 100).toFixed(0)}%)`;
    });
    md.push(`| ${mdCell(s.title)} | ${row.join(" | ")} |`);
  }
  md.push("");

  md.push("## Machine and versions", "");
  md.push(`- CPU: ${r.machine.cpu}; ${r.machine.cores} cores; ${r.machine.memoryGiB.toFixed(0)} GiB memory`);
  md.push(`- OS: ${r.machine.os}, ${r.machine.kernel}`);
  md.push(`- Load average (1, 5, 15 min) at the start: ${r.machine.loadStart}; at the end: ${load()}`);
  md.push(`- Toolchain: ${r.machine.tools.join(", ")}; bun-nng at ${r.machine.commit}`);
  for (const i of r.impls) {
    md.push(`- ${i.label}: ${i.version ?? `**unavailable**: ${mdCell(i.unavailable ?? "unknown")}`}`);
  }
  md.push("");

  md.push("## Scenarios", "");
  const patterns = [...new Set(r.scenarios.map((s) => s.pattern))];
  for (const p of patterns) md.push(`- ${SCENARIO_TEXT[p]}`);
  md.push(
    `- Sizes: ${[...new Set(r.scenarios.map((s) => sizeLabel(s.size)))].join(", ")}; transports ipc (a Unix socket under the temp directory) and tcp (127.0.0.1). Message size limits are lifted on every socket (NNG's and nanomsg's default is 1 MiB).`,
  );
  md.push(
    "- zeromq.js is not NNG (ZMTP framing, Dealer/Router instead of req/rep contexts) and pynng brings its own NNG build (see its version above): their ratios compare whole stacks, not bindings of one library.",
    "",
  );

  const mdPath = join(dir, `${name}.md`);
  const svgPath = join(dir, `${name}.svg`);
  await Bun.write(mdPath, md.join("\n"));
  await Bun.write(svgPath, svg(r, ratio));
  return [mdPath, svgPath].map((p) => p.slice(ROOT.length + 1));
}
