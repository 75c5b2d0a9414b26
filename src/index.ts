// bun-nng: the public API (design.md section 5).
export { socket, dial, listen, context, close, Socket, Dialer, Listener, Context, PROTOCOLS } from "./socket";
export type {
  Protocol,
  OneProtocol,
  SendProtocol,
  RecvProtocol,
  ContextProtocol,
  RequestProtocol,
  ReplyProtocol,
  Sender,
  Receiver,
  SocketOptions,
  DialOptions,
  EndpointOptions,
  Connection,
} from "./socket";
export { send, recv, sendAio, recvAio } from "./io";
export type { SendOptions, RecvOptions, SendAioOptions, RecvAioOptions } from "./io";
export { Aio, SendAio, RecvAio, UNRESOLVED, unresolved, callAio, collectAio, stopAio, raceAio } from "./aio";
export type { Unresolved } from "./aio";
export { NngError, ErrorCode, isErrorValue, nngError, isNulByte, errorText } from "./errors";
export { SendMode, RecvMode } from "./modes";
export type { SendModeArg, RecvModeArg, SendModeName, RecvModeName, RecvValue, FromMode, Received } from "./modes";
export { cv, wait, until, waitAsync, cvValue, cvReset, cvSignal, pipeNotify, Cv } from "./cv";
export type { PipeNotifyOptions } from "./cv";
export { request, reply, device } from "./reqrep";
export type { RequestOptions, ReplyOptions } from "./reqrep";
export { opt, setOpt, stat, subscribe, unsubscribe, surveyTime } from "./opt";
export type { OptTarget, OptTargetFor, OptionValue, WsHeaderOption } from "./opt";
export { OPTIONS } from "./options";
export type { OptionName, OptionSpec, ReadableOption, WritableOption } from "./options";
export { serialConfig, SerialConfig } from "./serial";
export { nngVersion, parseUrl, mclock, msleep, random } from "./util";
export type { ParsedUrl } from "./util";
export { messages } from "./iterate";
export type { MessagesOptions, MessageIterator } from "./iterate";
export { tlsConfig, writeCert, TlsConfig } from "./tls";
export type { TlsAuth, TlsConfigOptions, WriteCertOptions, Cert } from "./tls";
export { stream, Stream } from "./stream";
export type { StreamOptions, StreamPromise } from "./stream";
