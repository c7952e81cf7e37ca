import { beforeAll, describe, expect, it } from 'vitest';
import { renderReportSvg } from '../../src/sim/plot.js';
import { type PolicyRun, simulate, type SimulationReport } from '../../src/sim/runner.js';
import type { WorldConfig } from '../../src/sim/world.js';

const TINY: WorldConfig = { seed: 11, users: 50, artists: 150, tracks: 1000, warmupDays: 5, days: 3 };
const SMALL: WorldConfig = { seed: 1, users: 150, artists: 400, tracks: 3000, warmupDays: 7, days: 3 };
const CF_WORLD: WorldConfig = { seed: 1, users: 200, artists: 300, tracks: 2000, warmupDays: 14, days: 3 };

function run(report: SimulationReport, policy: string): PolicyRun {
  const found = report.runs.find((r) => r.policy === policy);
  if (!found) throw new Error(`no run of ${policy}`);
  return found;
}

describe('simulation runner', () => {
  it('gives byte-identical JSON and SVG for the same seed, and different output for another', async () => {
    const policies = ['random', 'popularity', 'oracle', 'cf-als'];
    const first = await simulate(TINY, policies);
    const second = await simulate(TINY, policies);
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(renderReportSvg(second)).toBe(renderReportSvg(first));
    const other = await simulate({ ...TINY, seed: 12 }, policies);
    expect(JSON.stringify(other.runs)).not.toBe(JSON.stringify(first.runs));

    expect(first.simulation).toMatchObject({ seed: 11, users: 50, days: 3, k: 10 });
    expect(first.simulation.sessions).toBeGreaterThan(100);
    for (const r of first.runs) {
      expect(r.days).toHaveLength(3);
      expect(r.overall.slates).toBe(first.simulation.sessions);
      expect(r.overall.shown).toBe(10 * r.overall.slates);
      expect(r.overall.invalidItems).toBe(0);
      expect(r.days.reduce((s, d) => s + d.slates, 0)).toBe(r.overall.slates);
      expect(r.segments['activity:COMMUTE']?.slates).toBeGreaterThan(0);
      expect(Object.keys(r.segments).some((k) => k.startsWith('time:weekday-'))).toBe(true);
    }
  }, 60_000);

  describe('on a small world', () => {
    let report: SimulationReport;
    beforeAll(async () => {
      report = await simulate(SMALL, ['random', 'popularity', 'oracle', 'oracle-no-context']);
    }, 60_000);

    it('orders the baselines: oracle ≫ popularity > random, with regret the other way round', () => {
      const random = run(report, 'random').overall;
      const popularity = run(report, 'popularity').overall;
      const oracle = run(report, 'oracle').overall;
      expect(oracle.streamRate).toBeGreaterThan(popularity.streamRate + 0.2);
      expect(popularity.streamRate).toBeGreaterThan(random.streamRate + 0.02);
      expect(popularity.streamRate).toBeGreaterThan(1.15 * random.streamRate);
      expect(oracle.skipRate).toBeLessThan(popularity.skipRate);
      expect(popularity.skipRate).toBeLessThan(random.skipRate);
      // The oracle's slate is the regret baseline: none for itself, most for random.
      expect(oracle.regret).toBe(0);
      expect(popularity.regret).toBeLessThan(random.regret);
      expect(oracle.expectedStreams).toBeCloseTo(oracle.oracleExpectedStreams, 6);
    });

    it('makes context real: ignoring it costs stream rate on commutes', () => {
      const withContext = run(report, 'oracle').segments['activity:COMMUTE'];
      const without = run(report, 'oracle-no-context').segments['activity:COMMUTE'];
      expect(withContext.slates).toBeGreaterThan(50);
      expect(withContext.streamRate).toBeGreaterThan(without.streamRate + 0.03);
      expect(without.regret).toBeGreaterThan(0.2);
      expect(run(report, 'oracle').overall.streamRate).toBeGreaterThan(run(report, 'oracle-no-context').overall.streamRate + 0.05);
    });
  });

  it('CF trained on the simulated log beats the service’s popularity on stream rate', async () => {
    const report = await simulate(CF_WORLD, ['mixtape-popularity', 'mixtape'], { retrainDays: 7 });
    const popularity = run(report, 'mixtape-popularity').overall;
    const cf = run(report, 'mixtape').overall;
    expect(cf.streamRate).toBeGreaterThan(popularity.streamRate + 0.01);
    expect(cf.regret).toBeLessThan(popularity.regret);
    expect(popularity.invalidItems).toBe(0);
    expect(cf.invalidItems).toBe(0);
  }, 60_000);
});
