/**
 * `npm run bench -- demo [dataDir]`: how long the demo world takes to generate, and to
 * generate and load into a store (in memory by default; pass a folder for the on-disk
 * embedded store that `npm start` uses).
 */
import fs from 'node:fs';
import { loadConfig } from '../src/config.js';
import { consoleProgress } from '../src/lib/progress.js';
import { generateDemoWorld, loadDemoWorld } from '../src/sim/demo-world.js';
import { openStore } from '../src/store/index.js';

export async function run(args: string[]): Promise<void> {
  const { demo } = loadConfig({ DEMO_DATA: 'true' });
  const dataDir = args[0] ?? ':memory:';
  if (dataDir !== ':memory:') fs.rmSync(dataDir, { recursive: true, force: true });

  let started = performance.now();
  const world = generateDemoWorld(demo);
  let events = 0;
  for (const batch of world.interactionBatches()) events += batch.events.length;
  const generateMs = performance.now() - started;

  const store = await openStore({ dataDir });
  started = performance.now();
  const loaded = await loadDemoWorld(store, demo, consoleProgress());
  const loadMs = performance.now() - started;
  await store.close();

  console.log(`demo world (seed ${demo.seed}): ${loaded.artists} artists, ${loaded.tracks} tracks, ${loaded.users} users, ${events} interactions`);
  console.log(`generate only:          ${(generateMs / 1000).toFixed(2)} s (${Math.round(events / (generateMs / 1000)).toLocaleString('en')} interactions/s)`);
  console.log(`generate + load (${dataDir}): ${(loadMs / 1000).toFixed(2)} s`);
}
