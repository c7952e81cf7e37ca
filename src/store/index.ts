/**
 * Chooses the store adapter from configuration: MongoDB when a URI is given, the embedded
 * SQLite store otherwise. Adapters are loaded lazily so the embedded mode never loads the
 * MongoDB driver and vice versa.
 */
import path from 'node:path';
import type { Store } from './ports.js';

export type { Store } from './ports.js';

export interface StoreOptions {
  /** Embedded store folder; the database file is `<dataDir>/mixtape.db`. Use ':memory:' for tests. */
  dataDir: string;
  mongodbUri?: string;
  mongodbDatabase?: string;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  let store: Store;
  if (options.mongodbUri) {
    const { MongoStore } = await import('./mongodb/mongo-store.js');
    store = new MongoStore(options.mongodbUri, options.mongodbDatabase ?? 'mixtape');
  } else {
    const { EmbeddedStore } = await import('./embedded/embedded-store.js');
    store = new EmbeddedStore(options.dataDir === ':memory:' ? ':memory:' : path.join(options.dataDir, 'mixtape.db'));
  }
  await store.init();
  return store;
}
