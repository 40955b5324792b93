/** HELLO and END are about the run, not about the application: they become run info, not events. */
import { Attr, FrameType } from './constants.js';
import { bytesAttr, intAttr } from './frame-decoder.js';
import type { Frame } from './frame.js';
import { bytesToText } from './text.js';

export interface ProbeHello {
  protocol: number;
  /** Probe version string. */
  probe: string;
  arch: string;
  /** `seccomp` (filter plus ptrace) or `ptrace` (every syscall stops); other values kept as sent. */
  mode: string;
  /** HELLO's CLOCK_MONOTONIC time and the CLOCK_REALTIME that matched it, in nanoseconds. */
  monoNs: number;
  realtimeNs: number;
}

export interface ProbeEnd {
  /** The probe's own exit code (the application's, when it exited normally). */
  code?: number;
  /** Frames the probe wrote before END: compare with the frames received. */
  events?: number;
  stops?: number;
}

/** Maps the probe's monotonic nanoseconds to wall-clock milliseconds. */
export interface RunClock {
  wallMs(monoNs: number): number;
}

const short = (b: Uint8Array | undefined): string => (b ? bytesToText(b.subarray(0, 256)).text : '');

export function readHello(frame: Frame): ProbeHello | undefined {
  if (frame.type !== FrameType.HELLO) return undefined;
  return {
    protocol: intAttr(frame, Attr.VERSION) ?? 0,
    probe: short(bytesAttr(frame, Attr.PROBE)),
    arch: short(bytesAttr(frame, Attr.ARCH)),
    mode: short(bytesAttr(frame, Attr.MODE)),
    monoNs: frame.timeNs,
    realtimeNs: intAttr(frame, Attr.REALTIME) ?? 0,
  };
}

export function readEnd(frame: Frame): ProbeEnd | undefined {
  if (frame.type !== FrameType.END) return undefined;
  const end: ProbeEnd = {};
  const code = intAttr(frame, Attr.CODE);
  const events = intAttr(frame, Attr.EVENTS);
  const stops = intAttr(frame, Attr.STOPS);
  if (code !== undefined) end.code = code;
  if (events !== undefined) end.events = events;
  if (stops !== undefined) end.stops = stops;
  return end;
}

/** The clock a HELLO defines. Without a REALTIME it anchors HELLO at `fallbackNowMs`. */
export function clockFromHello(hello: ProbeHello, fallbackNowMs: number): RunClock {
  const baseMs = hello.realtimeNs > 0 ? hello.realtimeNs / 1e6 : fallbackNowMs;
  const mono = hello.monoNs;
  return { wallMs: (ns) => baseMs + (ns - mono) / 1e6 };
}
