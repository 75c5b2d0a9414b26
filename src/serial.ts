// serialConfig: custom serialization of class instances for the `next` send mode (nanonext's
// serial_config). Registered instances are replaced, wherever they sit inside the value (arrays,
// plain objects, Maps, Sets), by a marker carrying the class name and what `serialize` made of
// them; the receiver's config turns markers back into instances with `unserialize`. Instances of
// classes not registered keep structured clone's plain-object behaviour.

/** The marker key: not a valid identifier, so it does not collide with ordinary data. */
const MARK = "\u0000bun-nng:class";

// biome-ignore lint: any constructor
type Klass = abstract new (...args: any[]) => unknown;

interface Hook {
  readonly klass: Klass;
  readonly name: string;
  readonly serialize: (value: any) => unknown;
  readonly unserialize: (data: any) => unknown;
}

/**
 * Class hooks for the `next` send mode and serial receives, made by `serialConfig()` and put on a
 * socket with `setOpt(socket, "serial", cfg)`. nanonext: the serial_config list.
 */
export class SerialConfig {
  /** The registered classes with their serialize / unserialize functions. */
  readonly hooks: readonly Hook[];
  readonly #byClass = new Map<Klass, Hook>();
  readonly #byName = new Map<string, Hook>();

  /** Use `serialConfig(klass, serialize, unserialize)`. */
  constructor(hooks: Hook[]) {
    if (!Array.isArray(hooks)) throw new TypeError("SerialConfig: make one with serialConfig(klass, serialize, unserialize)");
    for (const h of hooks) {
      const ok =
        h !== null && typeof h === "object" && typeof h.klass === "function" && typeof h.name === "string" &&
        typeof h.serialize === "function" && typeof h.unserialize === "function";
      if (!ok) throw new TypeError("SerialConfig: each hook is { klass, name, serialize, unserialize }; use serialConfig(...)");
    }
    this.hooks = [...hooks];
    for (const h of hooks) {
      if (this.#byName.has(h.name)) throw new TypeError(`serialConfig: two classes are named '${h.name}'`);
      this.#byClass.set(h.klass, h);
      this.#byName.set(h.name, h);
    }
  }

  /** @internal replaces registered instances by markers (a copy; the value itself is not modified). */
  encode(value: unknown): unknown {
    return this.#walk(value, new Map(), (x) => {
      const hook = x !== null && typeof x === "object" ? this.#byClass.get(x.constructor as Klass) : undefined;
      return hook ? { [MARK]: hook.name, data: hook.serialize(x) } : undefined;
    });
  }

  /** @internal turns markers back into instances. */
  decode(value: unknown): unknown {
    return this.#walk(value, new Map(), (x) => {
      if (x === null || typeof x !== "object" || !Object.hasOwn(x, MARK)) return undefined;
      const name = (x as Record<string, unknown>)[MARK] as string;
      const hook = this.#byName.get(name);
      if (!hook) return undefined; // not registered here: leave the marker as plain data
      return { value: hook.unserialize((x as { data: unknown }).data) };
    }, true);
  }

  /**
   * Copies `value`, replacing what `replace` recognises. `replace` returns undefined for "not
   * mine", a marker object (encode) or `{ value }` (decode). Shared and cyclic references are kept.
   */
  #walk(value: unknown, seen: Map<object, unknown>, replace: (x: object) => unknown, unwrap = false): unknown {
    if (value === null || typeof value !== "object") return value;
    const done = seen.get(value);
    if (done !== undefined) return done;
    const replaced = replace(value);
    if (replaced !== undefined) {
      const out = unwrap ? (replaced as { value: unknown }).value : replaced;
      seen.set(value, out);
      return out;
    }
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      // A sparse array is walked by its keys: a corrupted or hostile message can carry one with a
      // length of 2^32 - 1, and walking that by index would hang the receiver.
      const keys = value.length > 1024 ? Object.keys(value) : null;
      if (keys !== null && keys.length < value.length) {
        out.length = value.length;
        for (const k of keys) (out as unknown as Record<string, unknown>)[k] = this.#walk((value as unknown as Record<string, unknown>)[k], seen, replace, unwrap);
        return out;
      }
      for (const x of value) out.push(this.#walk(x, seen, replace, unwrap));
      return out;
    }
    if (value instanceof Map) {
      const out = new Map();
      seen.set(value, out);
      for (const [k, v] of value) out.set(this.#walk(k, seen, replace, unwrap), this.#walk(v, seen, replace, unwrap));
      return out;
    }
    if (value instanceof Set) {
      const out = new Set();
      seen.set(value, out);
      for (const x of value) out.add(this.#walk(x, seen, replace, unwrap));
      return out;
    }
    const proto = Object.getPrototypeOf(value);
    if (proto === Object.prototype || proto === null) {
      const out: Record<string, unknown> = {};
      seen.set(value, out);
      for (const k of Object.keys(value)) out[k] = this.#walk((value as Record<string, unknown>)[k], seen, replace, unwrap);
      return out;
    }
    return value; // Date, RegExp, typed arrays, instances of other classes: as structured clone has them
  }
}

/**
 * Registers custom serialization for instances of `klass` (or of each class of an array), for the
 * `next` send mode: `serialize(instance)` must return a structured-clonable value, and
 * `unserialize(data)` rebuilds the instance. Put the config on both sockets with
 * `setOpt(socket, "serial", cfg)`. Throws TypeError for unnamed classes, functions missing or
 * counts that differ. nanonext: `serial_config()`.
 */
export function serialConfig(
  klass: Klass | Klass[],
  serialize: ((value: any) => unknown) | ((value: any) => unknown)[],
  unserialize: ((data: any) => unknown) | ((data: any) => unknown)[],
): SerialConfig {
  const ks = Array.isArray(klass) ? klass : [klass];
  const ss = Array.isArray(serialize) ? serialize : [serialize];
  const us = Array.isArray(unserialize) ? unserialize : [unserialize];
  if (ks.length === 0 || ks.length !== ss.length || ks.length !== us.length) {
    throw new TypeError("serialConfig needs as many serialize and unserialize functions as classes (at least one)");
  }
  const hooks = ks.map((k, i) => {
    if (typeof k !== "function" || !k.name) throw new TypeError("serialConfig: each class must be a named class (constructor)");
    if (typeof ss[i] !== "function" || typeof us[i] !== "function") {
      throw new TypeError(`serialConfig: serialize and unserialize for '${k.name}' must be functions`);
    }
    return { klass: k, name: k.name, serialize: ss[i]!, unserialize: us[i]! };
  });
  return new SerialConfig(hooks);
}
