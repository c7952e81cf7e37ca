import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MixtapeApp } from '../../src/app.js';
import { serverEnvFor } from '../../src/sim/policies/http.js';
import { simulate } from '../../src/sim/runner.js';
import type { WorldConfig } from '../../src/sim/world.js';
import { ADMIN_TOKEN, createTestApp } from '../helpers/app.js';

const CONFIG: WorldConfig = { seed: 21, users: 30, artists: 60, tracks: 400, warmupDays: 2, days: 1 };

describe('a running server as a policy (GraphQL over HTTP)', () => {
  let app: MixtapeApp;
  let url: string;
  beforeAll(async () => {
    app = await createTestApp({ env: serverEnvFor(CONFIG) });
    url = await app.listen();
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('asks the server for slates and records the listeners’ reactions there', async () => {
    const before = await app.store.interactions.count();
    const report = await simulate(CONFIG, [url], { token: ADMIN_TOKEN });
    const run = report.runs[0];
    expect(run.policy).toBe(url);
    expect(run.overall.slates).toBe(report.simulation.sessions);
    expect(run.overall.slates).toBeGreaterThan(10);
    expect(run.overall.invalidItems).toBe(0);
    expect(run.overall.plays).toBeGreaterThan(run.overall.slates);
    expect(await app.store.interactions.count()).toBeGreaterThan(before + run.overall.plays - 1);
  }, 60_000);

  it('refuses a server that holds another world', async () => {
    await expect(simulate({ ...CONFIG, seed: 22 }, [url], { token: ADMIN_TOKEN })).rejects.toThrow(/does not hold this world/);
  }, 60_000);
});
