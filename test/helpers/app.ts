/**
 * A Mixtape app on an in-memory store for API tests, and a typed way to run operations
 * through Apollo's executeOperation (no HTTP) as a given viewer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { MixtapeApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Viewer } from '../../src/services/access.js';
import type { PeerBus } from '../../src/services/peers.js';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import type { Store } from '../../src/store/ports.js';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const admin: Viewer = { isAdmin: true };
export const listener = (userId: string): Viewer => ({ userId, isAdmin: false });
export const anonymous: Viewer = { isAdmin: false };

export async function createTestApp(
  options: { store?: Store; seed?: (store: Store) => Promise<void>; env?: Record<string, string>; peers?: PeerBus; log?: (line: string) => void } = {},
) {
  const store = options.store ?? new EmbeddedStore(':memory:');
  await options.seed?.(store);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-test-'));
  // No pre-warming unless a test asks for it: API tests look at what a request computes in a
  // process that has not served anyone yet (test/api/prewarm.test.ts opts in).
  const config = loadConfig({
    NODE_ENV: 'test', DEMO_DATA: 'false', ADMIN_TOKEN, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir,
    TRAIN_ON_START: 'false', MODEL_SYNC_SECONDS: '0', RECOMMEND_PREWARM_LISTENERS: '0', ...options.env,
  });
  return MixtapeApp.create(config, { store, log: options.log ?? (() => {}), peers: options.peers });
}

export interface Result<T> {
  data?: T | null;
  errors?: { message: string; path?: readonly (string | number)[]; extensions?: Record<string, unknown> }[];
}

export async function run<T, V extends Record<string, unknown>>(
  app: MixtapeApp,
  query: TypedDocumentNode<T, V>,
  variables: V,
  viewer: Viewer = admin,
): Promise<Result<T>> {
  const response = await app.apollo.executeOperation<T, V>({ query, variables }, { contextValue: app.contextAs(viewer) });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return response.body.singleResult as Result<T>;
}

/** Runs an operation that must succeed and returns its data. */
export async function ok<T, V extends Record<string, unknown>>(app: MixtapeApp, query: TypedDocumentNode<T, V>, variables: V, viewer: Viewer = admin): Promise<T> {
  const result = await run(app, query, variables, viewer);
  if (result.errors?.length) throw new Error(`unexpected errors: ${JSON.stringify(result.errors)}`);
  return result.data as T;
}

/** The codes of a result's errors. */
export function codes(result: Result<unknown>): unknown[] {
  return (result.errors ?? []).map((e) => e.extensions?.code);
}
