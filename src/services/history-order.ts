/**
 * The order of a listener's history as the stores hand it out (`allOfUser`: timestamp, then
 * event id in UTF-8 byte order), for histories built in memory — the start-up scan's primes,
 * and cached histories with newly stored events appended — which must equal what a read would
 * return.
 */
import type { Interaction } from '../domain/types.js';

/** The embedded store's `ORDER BY ts, event_id` (MongoDB's allOfUser sorts the same way). */
export function byStoreOrder(a: Interaction, b: Interaction): number {
  return a.context.timestamp - b.context.timestamp || compareCodePoints(a.eventId, b.eventId);
}

/**
 * Orders strings by code point, which is the order of their UTF-8 bytes (SQLite's BINARY
 * collation). JavaScript's `<` compares UTF-16 units, which differs where a surrogate (a code
 * point above U+FFFF) meets a unit from U+E000 to U+FFFF: those are mapped into order here.
 */
export function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x === y) continue;
    if (x >= 0xd800) x += x >= 0xe000 ? -0x800 : 0x2000;
    if (y >= 0xd800) y += y >= 0xe000 ? -0x800 : 0x2000;
    return x - y;
  }
  return a.length - b.length;
}

/**
 * `history` with `added` merged in, in store order, as a new array (`history` is not changed:
 * derived caches are keyed by the array). Events already present (same id) are skipped. New
 * events nearly always come last, so that case is a copy and an append.
 */
export function withEvents(history: readonly Interaction[], added: readonly Interaction[]): readonly Interaction[] {
  const fresh = [...added].sort(byStoreOrder);
  const earliest = fresh[0]?.context.timestamp ?? Infinity;
  // Only events at or after the earliest new timestamp can share an id with a new event.
  const present = new Set<string>();
  for (let e = history.length - 1; e >= 0 && history[e].context.timestamp >= earliest; e--) present.add(history[e].eventId);
  const kept = fresh.filter((event, k) => !present.has(event.eventId) && (k === 0 || event.eventId !== fresh[k - 1].eventId));
  if (kept.length === 0) return history;
  if (history.length === 0 || byStoreOrder(history[history.length - 1], kept[0]) < 0) return [...history, ...kept];
  const merged: Interaction[] = [];
  let a = 0;
  let b = 0;
  while (a < history.length || b < kept.length) {
    if (b === kept.length || (a < history.length && byStoreOrder(history[a], kept[b]) <= 0)) merged.push(history[a++]);
    else merged.push(kept[b++]);
  }
  return merged;
}
