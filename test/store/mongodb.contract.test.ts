/**
 * The same contract on MongoDB. It needs a server: set MONGODB_URI to run it. Without one the
 * suite is reported as skipped, by name, and a line on stderr says so.
 */
import { randomUUID } from 'node:crypto';
import { describe, it } from 'vitest';
import { storeContract } from './store.contract.js';

const uri = process.env.MONGODB_URI;

if (uri) {
  storeContract('mongodb', async () => {
    const { MongoStore } = await import('../../src/store/mongodb/mongo-store.js');
    const database = `mixtape-test-${randomUUID()}`;
    const store = new MongoStore(uri, database);
    await store.init();
    return {
      store,
      dispose: async () => {
        await store.dropDatabase();
        await store.close();
      },
    };
  });
} else {
  process.stderr.write('\n[store contract] MongoDB suite NOT RUN: MONGODB_URI is not set.\n');
  describe('store contract: mongodb — NOT RUN (set MONGODB_URI to run it)', () => {
    it.skip('needs a MongoDB server at MONGODB_URI', () => {});
  });
}
