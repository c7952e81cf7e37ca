/**
 * Times demo generation and loading with the default demo config (not a test; run by hand):
 *   npx tsx test/sim/measure-demo-load.ts            # in-memory store
 *   npx tsx test/sim/measure-demo-load.ts ./tmp-dir  # embedded store on disk, as `npm start` uses it
 */
import { loadConfig } from '../../src/config.js';
import { consoleProgress } from '../../src/lib/progress.js';
import { generateDemoWorld, loadDemoWorld } from '../../src/sim/demo-world.js';
import { openStore } from '../../src/store/index.js';

const { demo } = loadConfig({ DEMO_DATA: 'true' });

let started = performance.now();
const world = generateDemoWorld(demo);
let events = 0;
for (const batch of world.interactionBatches()) events += batch.events.length;
console.log(`generation only: ${events} interactions in ${Math.round(performance.now() - started)} ms`);

const store = await openStore({ dataDir: process.argv[2] ?? ':memory:' });
started = performance.now();
const result = await loadDemoWorld(store, demo, consoleProgress());
console.log(`generation + load (${process.argv[2] ?? ':memory:'}):`, result, `wall ${Math.round(performance.now() - started)} ms`);
await store.close();
