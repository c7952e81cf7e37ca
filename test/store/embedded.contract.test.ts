import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store.js';
import { storeContract } from './store.contract.js';

storeContract('embedded (in memory)', async () => {
  const store = new EmbeddedStore(':memory:');
  await store.init();
  return { store, dispose: () => store.close() };
});

storeContract('embedded (file)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-store-'));
  const store = new EmbeddedStore(path.join(dir, 'mixtape.db'));
  await store.init();
  return {
    store,
    dispose: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});
