/**
 * The notes a run's header shows: the engine's warnings and errors and the probe's notices that call for
 * a decision, each once, with the app's way to act on a setuid program that could not elevate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runNotes, MAX_NOTES, type NoticeEvent } from '../../renderer/src/model/run-notes.js';
import { EventLog } from '../../renderer/src/model/event-log.js';

const notice = (code: string, message: string, seq = 1): NoticeEvent =>
  ({ kind: 'notice', service: 'web', container: 'c', seq, time: seq, pid: 1, tid: 1, code, message });

test('routine notices stay out; the setuid one carries the fix in the app', () => {
  const notes = runNotes(undefined, [
    notice('no-new-privs', 'no_new_privs is set'), notice('signal-forwarded', 'Terminated'),
    notice('setuid-exec', '/usr/bin/sudo is setuid but no_new_privs keeps it from elevating'),
  ]);
  assert.deepEqual(notes.map((n) => n.code), ['setuid-exec']);
  assert.match(notes[0]!.fix ?? '', /Let setuid programs gain privileges/);
});

test('engine messages come first, info is left out, repeats are shown once', () => {
  const notes = runNotes([
    { level: 'info', code: 'pull', text: 'pulling' },
    { level: 'warning', code: 'compose-unsupported', text: 'services.app.secrets: not supported, ignored' },
    { level: 'error', code: 'engine-lost', text: 'the engine stopped answering' },
    { level: 'warning', code: 'compose-unsupported', text: 'services.app.secrets: not supported, ignored' },
  ], [notice('decode-failed', 'x'), notice('decode-failed', 'x', 2)]);
  assert.deepEqual(notes.map((n) => `${n.level} ${n.code}`), ['warning compose-unsupported', 'error engine-lost', 'warning decode-failed']);
});

test('the event log keeps each noteworthy notice once, and at most MAX_NOTES of them', () => {
  const log = new EventLog();
  const many: NoticeEvent[] = [];
  for (let i = 0; i < MAX_NOTES * 3; i++) many.push(notice('decode-failed', `bad frame ${i % (MAX_NOTES * 2)}`, i + 1));
  log.append([notice('signal-forwarded', 'Terminated'), ...many]);
  assert.equal(log.notices.length, MAX_NOTES);
  assert.equal(new Set(log.notices.map((n) => n.message)).size, MAX_NOTES);
  assert.equal(log.length, MAX_NOTES * 3 + 1, 'every notice is still an event');
});
