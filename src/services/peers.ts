/**
 * The port through which API processes that serve the same store on one machine tell each
 * other what they learned (implementations: src/server/peer-bus.ts). Each process keeps online
 * state in memory (popularity counts, cached histories, the active model versions); what one
 * process learns from a write, the others must learn too:
 *
 * - `signals`: events this process stored. Peers apply them to their own online state and
 *   drop the listeners' cached histories. (The events are already stored; peers never store.)
 * - `models`: a model version was activated or rolled back here; peers re-read the active
 *   versions now instead of at the next periodic sync.
 */
import type { Interaction } from '../domain/types.js';

export type PeerMessage = { kind: 'signals'; events: readonly Interaction[] } | { kind: 'models' };

export interface PeerBus {
  publish(message: PeerMessage): void;
  /** Messages from the other processes (never this process's own). */
  subscribe(listener: (message: PeerMessage) => Promise<void>): void;
}
