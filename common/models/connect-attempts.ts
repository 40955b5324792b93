/**
 * One connection, however many connect() calls it took. A non-blocking connect returns EINPROGRESS, and
 * many clients (hiredis, libcurl...) then call connect() again on the same socket to learn the outcome:
 * 0 or EISCONN when it was made, EALREADY while it is still under way, or the error. Counting every call
 * doubled the connections of such clients in the graph and in `imprint show`.
 */
import type { EventOf } from '../events.js';

const EINPROGRESS = -115;
const EALREADY = -114;
const MAX_PENDING = 10_000;

export class ConnectAttempts {
  /** container, pid, fd → the peer a non-blocking connect on that socket is reaching. */
  private pending = new Map<string, string>();

  /** True when `ev` only follows up a connect the same socket already started to the same peer. */
  isFollowUp(ev: EventOf<'connect'>): boolean {
    const key = `${ev.container}\0${ev.pid}\0${ev.fd}`;
    const peer = ev.peer ? `${ev.peer.address}\0${ev.peer.port}` : '';
    const started = this.pending.get(key);
    if (ev.result === EINPROGRESS || ev.result === EALREADY) {
      if (started === peer) return true;
      if (this.pending.size >= MAX_PENDING) this.pending.delete(this.pending.keys().next().value!);
      this.pending.set(key, peer);
      return false;
    }
    this.pending.delete(key);
    return started === peer;
  }
}
