/**
 * PeerBus implementations: over a cluster worker's IPC channel (the primary relays every
 * worker's message to every other worker: cluster.ts), and in memory for tests.
 */
import type { PeerBus, PeerMessage } from '../services/peers.js';

/** Envelope on the IPC channel, so that cluster control messages are never mistaken for peer messages. */
export interface PeerEnvelope {
  mixtapePeer: PeerMessage;
}

export function isPeerEnvelope(value: unknown): value is PeerEnvelope {
  return typeof value === 'object' && value !== null && 'mixtapePeer' in value;
}

/**
 * The bus of a cluster worker: publishes through its IPC channel to the primary, which relays.
 * A listener that fails is logged; the message is not retried (the periodic model sync and
 * the history cache's TTL bound what a lost message can leave stale).
 */
export function ipcPeerBus(log: (line: string) => void = console.error): PeerBus {
  if (!process.send) throw new Error('ipcPeerBus: this process has no IPC channel (not a cluster worker)');
  const send = process.send.bind(process);
  return {
    publish: (message) => {
      send({ mixtapePeer: message } satisfies PeerEnvelope);
    },
    subscribe: (listener) => {
      process.on('message', (value: unknown) => {
        if (!isPeerEnvelope(value)) return;
        listener(value.mixtapePeer).catch((error: unknown) => log(`peer message ${value.mixtapePeer.kind} failed: ${String(error)}`));
      });
    },
  };
}

/**
 * An in-memory bus joining several apps in one process (tests): each member's messages reach
 * every other member, asynchronously, as IPC would deliver them.
 */
export class LocalPeerNetwork {
  private readonly listeners: ((message: PeerMessage) => Promise<void>)[][] = [];
  private pending: Promise<unknown> = Promise.resolve();

  member(): PeerBus {
    const index = this.listeners.length;
    this.listeners.push([]);
    return {
      publish: (message) => {
        // structuredClone: a peer gets a copy, as it would over IPC.
        const copy = structuredClone(message);
        this.listeners.forEach((listeners, member) => {
          if (member === index) return;
          for (const listener of listeners) this.pending = this.pending.then(() => listener(copy));
        });
      },
      subscribe: (listener) => {
        this.listeners[index].push(listener);
      },
    };
  }

  /** Resolves once every message published so far has been handled. */
  async settled(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.pending;
      await seen;
    } while (seen !== this.pending);
  }
}
