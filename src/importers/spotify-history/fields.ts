/**
 * Field helpers for the Spotify history importer: the shape of a user key, end times, the
 * podcast-episode heuristic and HTML entities in playlist descriptions. No state.
 */
import { ImportFormatError } from '../../domain/errors.js';
import { quote } from '../shared.js';

/** A user key: non-empty, without spaces or colons. */
export const USER_KEY = /^[^\s:]+$/;

/** Heuristic for the podcast episodes the basic export mixes in with music. */
export function looksLikeEpisode(artist: string, title: string): boolean {
  if (artist.trim() === '' || title.trim() === '') return true;
  if (/\bpodcast\b/i.test(artist)) return true;
  return /^\s*(ep(isode)?|épisode)\.?\s*#?\d+/i.test(title) || /\b(episode|épisode|ep\.?)\s*#?\d+\s*[:\-–—|]/i.test(title);
}

/** "YYYY-MM-DD HH:MM" (Spotify's basic export, UTC), optionally with seconds, T and Z. */
export function parseEndTime(value: string, file: string, line: number): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?Z?$/.exec(value.trim());
  if (m) {
    const [year, month, day, hour, minute, second] = m.slice(1).map((x) => Number(x ?? 0));
    const time = Date.UTC(year, month - 1, day, hour, minute, second);
    const d = new Date(time);
    if (d.getUTCMonth() === month - 1 && d.getUTCDate() === day && hour < 24 && minute < 60 && second < 60) return time;
  }
  throw new ImportFormatError(file, line, `end time must look like "2023-01-25 00:01" (UTC), got ${quote(value)}`);
}

/** Decodes the HTML entities Spotify leaves in playlist descriptions ("&amp;", "&#39;", …). */
export function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d+);/g, (_, dec: string) => String.fromCodePoint(Number(dec)))
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
