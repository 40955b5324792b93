/**
 * What a run has to tell the person watching it, besides its events: the engine's warnings and errors
 * (RunState.messages) and the probe's notices that call for a decision (a setuid program that could not
 * elevate, output writes that cost the app). Notices that every run has (no_new_privs is set, a signal
 * was forwarded) stay in the event table only: a note on every run is one nobody reads.
 */
import type { RunMessage } from '../../../common/api.js';
import type { EventOf } from '../../../common/events.js';

export type NoticeEvent = EventOf<'notice'>;

export interface RunNote {
  level: 'warning' | 'error';
  code: string;
  service?: string;
  text: string;
  /** What to do about it in the app, when the text names the CLI's way. */
  fix?: string;
}

/** Notices every run has: not news. */
const ROUTINE = new Set(['no-new-privs', 'signal-forwarded']);

const FIX_IN_APP: Record<string, string> = {
  'setuid-exec': 'On the Start screen, tick "Let setuid programs gain privileges" and run it again.',
};

const ERRORS = new Set(['ptrace-denied', 'engine-lost', 'capture', 'cleanup']);

export const MAX_NOTES = 40;

export function runNotes(messages: readonly RunMessage[] | undefined, notices: readonly NoticeEvent[]): RunNote[] {
  const notes: RunNote[] = [];
  const seen = new Set<string>();
  const add = (n: RunNote) => {
    const key = `${n.code}\0${n.service ?? ''}\0${n.text}`;
    if (seen.has(key) || notes.length >= MAX_NOTES) return;
    seen.add(key);
    notes.push(n);
  };
  for (const m of messages ?? []) {
    if (m.level === 'info') continue;
    add({ level: m.level, code: m.code, ...(m.service ? { service: m.service } : {}), text: m.text });
  }
  for (const e of notices) {
    if (ROUTINE.has(e.code)) continue;
    const fix = FIX_IN_APP[e.code];
    add({ level: ERRORS.has(e.code) ? 'error' : 'warning', code: e.code, service: e.service, text: e.message, ...(fix ? { fix } : {}) });
  }
  return notes;
}

/** Whether EventLog keeps a notice for the notes (at most MAX_NOTES distinct ones). */
export function isNoteworthy(e: NoticeEvent): boolean {
  return !ROUTINE.has(e.code);
}
