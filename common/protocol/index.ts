/** The probe's frame protocol (native/PROTOCOL.md): decoding, conversion to events, and a test encoder. */
export * from './constants.js';
export type { DecodeError, DecodeErrorCode, DecodedRecord, Frame, FrameAttr } from './frame.js';
export { FrameDecoder, bytesAttr, intAttr, type DecoderStats, type RecordSink } from './frame-decoder.js';
export { toEvent, accessList, familyName, protocolOf, qtypeName, type EventContext } from './to-event.js';
export { clockFromHello, readEnd, readHello, type ProbeEnd, type ProbeHello, type RunClock } from './run-info.js';
export { ProbeStream, type ProbeStreamBatch } from './probe-stream.js';
export { bytesToText, readableText, textToBytes, MAX_TEXT_CHARS, type DecodedText } from './text.js';
export { encodeFrame, concatBytes, FrameStreamBuilder, type AttrValue, type FrameSpec } from './frame-encoder.js';
