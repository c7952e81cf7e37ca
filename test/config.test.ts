import { describe, expect, it } from 'vitest';
import { ConfigError, describeMode, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('needs nothing set: embedded defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ env: 'development', port: 4000, maxInteractionBatch: 500, maxPageSize: 100 });
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(describeMode(config)).toEqual({ store: 'embedded', execution: 'in-process' });
  });

  it('selects MongoDB and BullMQ from their URLs', () => {
    const config = loadConfig({ MONGODB_URI: 'mongodb://db:27017', REDIS_URL: 'redis://cache:6379' });
    expect(describeMode(config)).toEqual({ store: 'mongodb', execution: 'bullmq' });
  });

  it('reports every bad variable at once, naming each', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://cache', MONGODB_URI: 'not a url', NODE_ENV: 'staging', DEMO_DATA: 'maybe' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'REDIS_URL', 'MONGODB_URI', 'NODE_ENV', 'DEMO_DATA']) expect(problems).toContain(name);
  });

  it('pre-warms 2000 listeners by default; RECOMMEND_PREWARM_LISTENERS=0 turns it off, and a bad value is named', () => {
    expect(loadConfig({}).recommend.prewarmListeners).toBe(2000);
    expect(loadConfig({ RECOMMEND_PREWARM_LISTENERS: '0' }).recommend.prewarmListeners).toBe(0);
    expect(() => loadConfig({ RECOMMEND_PREWARM_LISTENERS: '-1' })).toThrow(/RECOMMEND_PREWARM_LISTENERS must be an integer from 0/);
    expect(() => loadConfig({ RECOMMEND_PREWARM_LISTENERS: 'all' })).toThrow(/RECOMMEND_PREWARM_LISTENERS/);
  });

  it('refuses production without an admin token, and short tokens', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_TOKEN must be set/);
    expect(() => loadConfig({ ADMIN_TOKEN: 'short' })).toThrow(/at least 16/);
  });
});
