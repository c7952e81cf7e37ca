/** Helpers for the importer tests: temporary fixture folders and an in-memory store. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { ImportFormatError } from '../../src/domain/errors.js';
import { openStore } from '../../src/store/index.js';
import type { Store } from '../../src/store/ports.js';

const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fresh temporary folder, removed after the test. */
export function tmpDir(name = 'mixtape-import-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), name));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Writes files (text as UTF-8, or raw bytes) into `dir` and returns `dir`. */
export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): string {
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), content);
  }
  return dir;
}

/** Tab-separated lines joined with `eol`, ending with one. */
export function tsv(rows: (string | number)[][], eol = '\n'): string {
  return rows.map((r) => r.join('\t')).join(eol) + eol;
}

export async function memoryStore(): Promise<Store> {
  const store = await openStore({ dataDir: ':memory:' });
  cleanups.push(() => store.close());
  return store;
}

export async function storeCounts(store: Store): Promise<Record<string, number>> {
  return {
    users: await store.users.count(),
    artists: await store.artists.count(),
    tracks: await store.tracks.count(),
    playlists: await store.playlists.count(),
    interactions: await store.interactions.count(),
  };
}

export const EMPTY_COUNTS = { users: 0, artists: 0, tracks: 0, playlists: 0, interactions: 0 };

/** Runs `run`, expecting an ImportFormatError, and returns it. */
export async function formatError(run: () => Promise<unknown>): Promise<ImportFormatError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof ImportFormatError) return error;
    throw error;
  }
  throw new Error('expected an ImportFormatError, but the import succeeded');
}
