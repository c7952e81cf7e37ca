/**
 * Wraps a store and records every repository call with its arguments, so tests can assert
 * how many store round trips a GraphQL request caused.
 */
import type { Store } from '../../src/store/ports.js';

export interface StoreCall {
  repository: string;
  method: string;
  args: unknown[];
}

export function countingStore(inner: Store): { store: Store; calls: StoreCall[] } {
  const calls: StoreCall[] = [];
  const wrap = <R extends object>(repository: string, target: R): R =>
    new Proxy(target, {
      get(obj, prop, receiver) {
        const value = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          calls.push({ repository, method: String(prop), args });
          return value.apply(obj, args);
        };
      },
    });
  const store: Store = {
    kind: inner.kind,
    users: wrap('users', inner.users),
    artists: wrap('artists', inner.artists),
    tracks: wrap('tracks', inner.tracks),
    playlists: wrap('playlists', inner.playlists),
    interactions: wrap('interactions', inner.interactions),
    modelVersions: wrap('modelVersions', inner.modelVersions),
    init: () => inner.init(),
    close: () => inner.close(),
  };
  return { store, calls };
}
