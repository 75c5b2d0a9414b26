// Type rules of opt() / setOpt() / stat(), checked by `make typecheck` and never run (see
// protocols.ts): options are typed by name from the table in src/options.ts (value type, read /
// write, the objects and protocols they apply to).
import { context, dial, listen, opt, serialConfig, setOpt, socket, stat, type OptionName, type SerialConfig } from "../../src/index";

export function optionRules(dynamicName: string, someName: OptionName): void {
  const req = socket("req");
  const sub = socket("sub");
  const poly = socket("poly");
  const d = dial(req, "ipc:///tmp/x");
  const l = listen(req, "tcp://127.0.0.1:0");

  // Values typed by name.
  const timeout_ms: number = opt(req, "recv-timeout");
  const name: string = opt(req, "protocol-name");
  const nodelay: boolean = opt(d, "tcp-nodelay");
  const port: number = opt(l, "bound-port");
  const url: string = opt(d, "url");
  // @ts-expect-error -- recv-timeout is a number (ms), not a string
  const wrong: string = opt(req, "recv-timeout");
  setOpt(req, "recv-timeout", 500);
  setOpt(d, "ws:request-header:X-Worker", "worker");
  setOpt(sub, "sub:subscribe", new Uint8Array([1]));
  setOpt(sub, "sub:subscribe", "topic");
  // @ts-expect-error -- recv-timeout takes a number
  setOpt(req, "recv-timeout", "500");
  // @ts-expect-error -- tcp-nodelay takes a boolean
  setOpt(d, "tcp-nodelay", 1);
  // @ts-expect-error -- transport options are set on a dialer or listener (NNG 2.0), not a socket
  setOpt(req, "tcp-nodelay", true);
  // @ts-expect-error -- NNG 2.0 has no socket-name
  setOpt(req, "socket-name", "worker");

  // Read-only and write-only options.
  opt(req, "raw");
  // @ts-expect-error -- raw is read-only
  setOpt(req, "raw", true);
  // @ts-expect-error -- sub:subscribe is write-only
  opt(sub, "sub:subscribe");
  // @ts-expect-error -- tcp-bound-port is read-only
  setOpt(l, "tcp-bound-port", 5555);

  // The objects an option applies to.
  setOpt(context(req), "recv-timeout", 100);
  setOpt(d, "reconnect-time-min", 100);
  // @ts-expect-error -- ttl-max is a socket option, not a context's
  setOpt(context(req), "ttl-max", 3);
  // @ts-expect-error -- bound-port belongs to listeners
  opt(d, "bound-port");
  // @ts-expect-error -- url belongs to dialers and listeners
  opt(req, "url");
  // @ts-expect-error -- reconnect times are not a listener's
  setOpt(l, "reconnect-time-min", 100);

  // Protocol options only on their protocol.
  opt(sub, "sub:prefnew");
  setOpt(context(sub), "sub:prefnew", false);
  setOpt(req, "req:resend-time", 1000);
  opt(poly, "pair1:polyamorous");
  // @ts-expect-error -- a sub option on a req socket
  opt(req, "sub:prefnew");
  // @ts-expect-error -- a req option on a sub context
  setOpt(context(sub), "req:resend-time", 1000);
  // @ts-expect-error -- a surveyor option on a sub socket
  setOpt(sub, "surveyor:survey-time", 10);

  // Unknown names are type errors; names known only at run time are accepted (checked at run time).
  // @ts-expect-error -- no such option
  opt(req, "recvtimeout");
  // @ts-expect-error -- no such option
  setOpt(req, "no-such-option", 1);
  const anything: unknown = opt(req, dynamicName);
  setOpt(req, dynamicName, 1);
  opt(req, someName);

  // WebSocket headers on endpoints; the serialConfig on sockets.
  setOpt(d, "ws:request-header:Authorization", "Bearer x");
  // @ts-expect-error -- headers belong to ws dialers and listeners
  setOpt(req, "ws:request-header:Authorization", "Bearer x");
  const cfg: SerialConfig | null = opt(req, "serial");
  setOpt(req, "serial", serialConfig(Date, (x: Date) => x.getTime(), (t: number) => new Date(t)));
  setOpt(req, "serial", null);
  // @ts-expect-error -- the serialConfig is set on the socket (its contexts share it)
  setOpt(context(req), "serial", null);
  // @ts-expect-error -- not a serialConfig
  setOpt(req, "serial", { not: "a config" });

  // Statistics: sockets, dialers and listeners.
  const pipes: number | undefined = stat(req, "pipes");
  stat(l, "accept");
  // @ts-expect-error -- contexts have no statistics
  stat(context(req), "pipes");

  void [timeout_ms, name, nodelay, port, url, wrong, anything, cfg, pipes];
}
