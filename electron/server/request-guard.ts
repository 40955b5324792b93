/**
 * Who may talk to the browser-mode server. It listens on 127.0.0.1 only, but any web page the user visits
 * can still send requests there, and a DNS-rebinding page can even make them look same-origin. So every
 * request must carry the session token (query, cookie or header), name this server in `Host`, and, when
 * the browser says where it comes from (`Origin`, `Sec-Fetch-Site`), come from this server's own origin.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

export interface GuardInput {
  url: URL;
  headers: IncomingHttpHeaders;
  port: number;
  token: string;
}

export type GuardVerdict = { ok: true; tokenFromQuery: boolean } | { ok: false; reason: string };

export function cookieName(port: number): string {
  return `imprint-token-${port}`;
}

export function allowedOrigins(port: number): string[] {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
}

export function checkRequest({ url, headers, port, token }: GuardInput): GuardVerdict {
  const host = headers.host;
  if (!host || !allowedOrigins(port).some((o) => o === `http://${host.toLowerCase()}`)) return { ok: false, reason: 'foreign host' };
  const origin = headers.origin;
  if (origin !== undefined && !allowedOrigins(port).includes(origin.toLowerCase())) return { ok: false, reason: 'foreign origin' };
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return { ok: false, reason: 'cross-site request' };
  const fromQuery = url.searchParams.get('token');
  if (fromQuery !== null && sameSecret(fromQuery, token)) return { ok: true, tokenFromQuery: true };
  const fromHeader = headers['x-imprint-token'];
  if (typeof fromHeader === 'string' && sameSecret(fromHeader, token)) return { ok: true, tokenFromQuery: false };
  const fromCookie = readCookie(headers.cookie, cookieName(port));
  if (fromCookie !== undefined && sameSecret(fromCookie, token)) return { ok: true, tokenFromQuery: false };
  return { ok: false, reason: 'no valid token' };
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
