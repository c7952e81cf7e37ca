/**
 * Keeps the pipeline's catalogue snapshots (src/pipeline/catalogue-index.ts) current: built
 * from the store at start-up (or on first use), rebuilt shortly after this process upserts
 * tracks or artists, and — where other processes write too — whenever `refreshIfChanged` sees
 * the store's write counter of those records move (or, in a store without one, their count
 * move or the snapshot grow old). Requests always
 * read a complete snapshot; a rebuild swaps the reference when it is done.
 */
import type { TargetKind } from '../domain/types.js';
import { hashString } from '../lib/hash.js';
import { CatalogueIndex } from '../pipeline/catalogue-index.js';
import type { Store } from '../store/ports.js';

const PAGE = 5000;
/** Upserts usually come in bursts of batches: rebuild once the burst is over. */
const REBUILD_DELAY_MS = 200;
/**
 * Without a write counter (MongoDB): read the catalogue again at least this often when
 * refreshIfChanged is called, even if counts did not move (updated records); the snapshot is
 * replaced only when a record changed.
 */
const MAX_AGE_MS = 10 * 60_000;

interface Snapshot {
  index: CatalogueIndex;
  count: number;
  builtAt: number;
  /** Of the records it was built from (Fingerprint). */
  fingerprint: string;
  /** The store's write counter of these records when they were read (stores that keep one). */
  recordsVersion?: number;
}

const RECORDS = { TRACK: 'tracks', ARTIST: 'artists' } as const;

export class CatalogueSnapshots {
  private readonly snapshots = new Map<TargetKind, Snapshot>();
  private readonly building = new Map<TargetKind, Promise<CatalogueIndex>>();
  private rebuildTimer?: NodeJS.Timeout;

  constructor(private readonly store: Store, private readonly log: (line: string) => void = () => {}) {}

  /** The current snapshot, building it on first use. */
  async get(kind: TargetKind): Promise<CatalogueIndex> {
    return this.snapshots.get(kind)?.index ?? this.build(kind);
  }

  /** The current snapshot if one is built (no waiting). */
  peek(kind: TargetKind): CatalogueIndex | undefined {
    return this.snapshots.get(kind)?.index;
  }

  /** Builds both snapshots now (start-up: the first request should not pay for it). */
  async warm(): Promise<void> {
    await Promise.all([this.build('TRACK'), this.build('ARTIST')]);
  }

  /** The catalogue changed in this process: rebuild soon, once a burst of upserts is over. */
  invalidate(): void {
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => {
      for (const kind of this.snapshots.keys()) {
        this.build(kind).catch((error: unknown) => this.log(`catalogue snapshot rebuild failed: ${String(error)}`));
      }
    }, REBUILD_DELAY_MS);
    this.rebuildTimer.unref();
  }

  /**
   * Rebuilds snapshots that other writers changed. Where the store counts record writes
   * (embedded: a counter per table, kept by triggers), exactly when that counter moved;
   * elsewhere when the store's count moved or the snapshot is older than MAX_AGE_MS (a record
   * may have been updated), and then the snapshot is replaced only if a record differs.
   */
  async refreshIfChanged(): Promise<void> {
    const feed = this.store.interactions.changes;
    for (const [kind, snapshot] of this.snapshots) {
      if (feed) {
        if (feed.recordsVersion(RECORDS[kind]) !== snapshot.recordsVersion) await this.build(kind);
        continue;
      }
      const count = await (kind === 'TRACK' ? this.store.tracks.count() : this.store.artists.count());
      if (count !== snapshot.count || Date.now() - snapshot.builtAt > MAX_AGE_MS) await this.build(kind);
    }
  }

  close(): void {
    clearTimeout(this.rebuildTimer);
  }

  private build(kind: TargetKind): Promise<CatalogueIndex> {
    let pending = this.building.get(kind);
    if (!pending) {
      pending = this.read(kind).finally(() => this.building.delete(kind));
      this.building.set(kind, pending);
    }
    return pending;
  }

  private async read(kind: TargetKind): Promise<CatalogueIndex> {
    const builtAt = Date.now();
    // Before the records: a write after this moment moves the counter past what is read.
    const recordsVersion = this.store.interactions.changes?.recordsVersion(RECORDS[kind]);
    const fingerprint = new Fingerprint();
    const read = async <T>(list: (after: string | undefined) => Promise<{ items: T[]; endKey?: string; hasNextPage: boolean }>): Promise<T[]> => {
      const records: T[] = [];
      for (let after: string | undefined, more = true; more; ) {
        const page = await list(after);
        for (const record of page.items) fingerprint.add(record);
        records.push(...page.items);
        after = page.endKey;
        more = page.hasNextPage;
      }
      return records;
    };
    const records = kind === 'TRACK'
      ? await read((after) => this.store.tracks.list({}, { first: PAGE, after }))
      : await read((after) => this.store.artists.list({}, { first: PAGE, after }));
    const previous = this.snapshots.get(kind);
    if (previous && previous.fingerprint === fingerprint.value()) {
      // Nothing changed: keep the snapshot object, and with it everything cached per snapshot
      // (listeners' profiles and source outputs, key maps), which a new object would drop.
      previous.builtAt = builtAt;
      previous.recordsVersion = recordsVersion;
      return previous.index;
    }
    const index = kind === 'TRACK'
      ? CatalogueIndex.ofTracks(records as Parameters<typeof CatalogueIndex.ofTracks>[0])
      : CatalogueIndex.ofArtists(records as Parameters<typeof CatalogueIndex.ofArtists>[0]);
    this.snapshots.set(kind, { index, count: index.size, builtAt, fingerprint: fingerprint.value(), recordsVersion });
    return index;
  }
}

/** Two 32-bit FNV-1a hashes of the records' JSON, in order: equal for the same catalogue. */
class Fingerprint {
  private low = 0x811c9dc5;
  private high = 0x01000193;

  add(record: unknown): void {
    const json = JSON.stringify(record);
    this.low = hashString(json, this.low);
    this.high = hashString(json, this.high ^ 0x5bd1e995);
  }

  value(): string {
    return `${this.low.toString(16)}-${this.high.toString(16)}`;
  }
}
