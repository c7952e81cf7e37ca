import { afterEach, describe, expect, it, vi } from 'vitest';
import { parseArgv, parseCommandArgs, parseSeeds } from '../../src/eval/cli-options.js';

describe('command-line options', () => {
  afterEach(() => vi.restoreAllMocks());

  it('parseArgv reads --name value, --name=value, bare flags and positionals, and refuses the rest', () => {
    const args = parseArgv(['lastfm-2k', '--data', 'dir', '--seeds=1,2', '--quick'], ['data', 'seeds'], ['quick']);
    expect(args.positional).toEqual(['lastfm-2k']);
    expect(Object.fromEntries(args.options)).toEqual({ data: 'dir', seeds: '1,2' });
    expect([...args.flags]).toEqual(['quick']);
    expect(() => parseArgv(['--bogus'], ['data'], [])).toThrow(/unknown option --bogus/);
    expect(() => parseArgv(['--data'], ['data'], [])).toThrow(/--data needs a value/);
    expect(() => parseArgv(['--quick=1'], [], ['quick'])).toThrow(/--quick takes no value/);
  });

  it('parseCommandArgs: --help prints the usage and stops with 0, a bad option prints why and the usage and stops with 2', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    expect(parseCommandArgs(['--help'], ['data'], [], 'Usage: x')).toBe(0);
    expect(out).toHaveBeenCalledWith('Usage: x');
    expect(parseCommandArgs(['--bogus'], ['data'], [], 'Usage: x')).toBe(2);
    expect(err).toHaveBeenCalledWith('unknown option --bogus\n\nUsage: x');
    const args = parseCommandArgs(['a', '--data', 'd'], ['data'], [], 'Usage: x');
    expect(typeof args === 'number' ? args : args.options.get('data')).toBe('d');
  });

  it('parseSeeds: a count, a list, one seed alone with a trailing comma, and clear errors', () => {
    expect(parseSeeds(undefined, false)).toEqual([1, 2, 3, 4, 5]);
    expect(parseSeeds(undefined, true)).toEqual([1]);
    expect(parseSeeds('2', false)).toEqual([1, 2]);
    expect(parseSeeds('3,4', false)).toEqual([3, 4]);
    expect(parseSeeds('2,', false)).toEqual([2]);
    expect(() => parseSeeds('0', false)).toThrow(/at least 1/);
    expect(() => parseSeeds('1,1', false)).toThrow(/twice/);
    expect(() => parseSeeds(',', false)).toThrow(/count or a list/);
    expect(() => parseSeeds('1,,2', false)).toThrow(/count or a list/);
    expect(() => parseSeeds('x', false)).toThrow(/count or a list/);
  });
});
