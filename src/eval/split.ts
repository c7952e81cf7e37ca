/**
 * Train / validation / test splits for offline evaluation.
 *
 * Every split ends up as an {@link EvalSplit}: the part the hyperparameter search may see
 * (`tuning`: a training matrix and a validation matrix) and the part only the final
 * measurement sees (`test`: the matrix the final model is fitted on, the items to hide from
 * each user's ranking, and the held-out items). Keeping the two in separate objects is what
 * lets the runner hand the tuner the `tuning` part alone.
 *
 * ## Random split (Last.fm 2K, the RecBole protocol)
 *
 * All user–item pairs are binary. Per user, the items are sorted by index, shuffled with a
 * stream derived from the seed and the user's id (so one user's split does not depend on the
 * others, nor on the order of the input file), and cut 80/10/10: first part train, next
 * validation, last test. The sizes follow RecBole's `Dataset._calcu_split_ids`:
 * validation = ⌊0.1·n⌋, test = ⌊0.1·n⌋, train = the rest; then, while train keeps more than
 * one item, a part whose exact share is in (0, 1) gets one item from train (test first, then
 * validation). So 50 items → 40/5/5, 15 → 13/1/1, 9 → 7/1/1, 3 → 1/1/1, 2 → 1/0/1,
 * 1 → 1/0/0 (a user with one item is only trained on, never evaluated).
 *
 * RecBole shuffles the whole interaction table once and then groups it by user; shuffling
 * each user's items on its own gives the same distribution of splits (not the same draws).
 *
 * Validation ranks mask the user's training items; test ranks mask training and validation
 * items. The final model is trained on the training part only (validation only selects).
 *
 * ## Temporal split (Spotify listening histories)
 *
 * Positives are plays of at least `skipMs` (30 s); shorter plays are skips. Each user has a
 * cut-off time c (one global date, or per user: their last listen minus `testDays`, the test
 * window then running to the end of their history):
 *
 * - test: the final model trains on the user's plays before c (strength: 1, or the number of
 *   plays); the held-out items are those played after c (within `testDays` when given) that
 *   the user had never listened to before c, not even as a skip: discoveries, not repeats;
 *   the ranking masks every item with a play before c;
 * - tuning: the same rule one slice earlier. Training = plays before c − `validationDays`;
 *   validation = items first listened to in [c − validationDays, c) with a play in that slice.
 *
 * The final model thus also trains on the validation slice (the most recent weeks before the
 * cut-off): with time-ordered data, leaving them out would throw away the most relevant
 * history. Users without training plays before their cut-off are not evaluated (cold start).
 */
import { IdIndex, type InteractionMatrix, type Triple, buildMatrix } from '../models/cf/matrix.js';
import { Rng } from '../sim/random.js';

/** What the hyperparameter search may see: nothing of the test part. */
export interface TuningData {
  readonly train: InteractionMatrix;
  readonly validation: InteractionMatrix;
}

/** What the final measurement uses. */
export interface TestData {
  /** The matrix the final model is fitted on. */
  readonly train: InteractionMatrix;
  /** Items never ranked for a user: the union of these rows (training, validation). */
  readonly exclude: readonly InteractionMatrix[];
  /** The held-out items; users with an empty row are not evaluated. */
  readonly target: InteractionMatrix;
}

export interface EvalSplit {
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly tuning: TuningData;
  readonly test: TestData;
  /** Counts describing the split, for the report. */
  readonly stats: Record<string, number>;
  /**
   * More labelled data for stacked models (a learned ranker), made from the tuning part's
   * training data only — never validation or test cells: `count` pairs of a training matrix
   * and items held out from it, shaped like the validation part. Random split: folds of each
   * user's training items; temporal split: the validation rule applied 1, 2, … validation
   * slices earlier. Every cell of every matrix returned is a cell of `tuning.train`.
   * `rounds` (random split only; default 1): that many times `count` folds, each round from a
   * fresh seeded order of every user's training items, so the same item is held out again in
   * other company. A temporal split has one history to go back in and ignores it.
   */
  readonly stackingWindows?: (count: number, rounds?: number) => TuningData[];
}

/** Binary user–item pairs (duplicates allowed; they collapse). */
export interface PairData {
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly user: Int32Array;
  readonly item: Int32Array;
}

export interface RandomSplit {
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly train: InteractionMatrix;
  readonly validation: InteractionMatrix;
  readonly test: InteractionMatrix;
}

export const RECBOLE_RATIOS: readonly number[] = [0.8, 0.1, 0.1];

/**
 * The part sizes RecBole gives a group of `total` interactions for `ratios` (train first).
 * Same floating-point steps as RecBole, so the same sizes for every total.
 */
export function recboleSplitCounts(total: number, ratios: readonly number[] = RECBOLE_RATIOS): number[] {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`total must be a natural number, got ${total}`);
  if (ratios.length < 2 || ratios.some((r) => !(r >= 0))) throw new RangeError('ratios: at least two shares, none negative');
  let sum = 0;
  for (const r of ratios) sum += r;
  const shares = ratios.map((r) => r / sum);
  const counts = shares.map((s) => Math.floor(s * total));
  counts[0] = total - counts.slice(1).reduce((a, b) => a + b, 0);
  for (let i = 1; i < shares.length; i++) {
    if (counts[0] <= 1) break;
    const exact = shares[shares.length - i] * total;
    if (exact > 0 && exact < 1) {
      counts[counts.length - i]++;
      counts[0]--;
    }
  }
  return counts;
}

/** The items of each user, deduplicated and sorted by index. */
function itemsByUser(data: PairData): Int32Array[] {
  const sets: Set<number>[] = Array.from({ length: data.users.size }, () => new Set());
  for (let k = 0; k < data.user.length; k++) sets[data.user[k]].add(data.item[k]);
  return sets.map((s) => Int32Array.from(s).sort());
}

/** The RecBole-style random split of binary pairs: per user, seeded shuffle, then 80/10/10. */
export function randomSplit(data: PairData, seed: number, ratios: readonly number[] = RECBOLE_RATIOS): RandomSplit {
  if (ratios.length !== 3) throw new RangeError('randomSplit needs three ratios: train, validation, test');
  const root = new Rng(seed, 'eval/random-split');
  const parts: Triple[][] = [[], [], []];
  const rows = itemsByUser(data);
  for (let u = 0; u < rows.length; u++) {
    const items = Array.from(rows[u]);
    root.fork(data.users.ids[u]).shuffle(items);
    const counts = recboleSplitCounts(items.length, ratios);
    let at = 0;
    for (let p = 0; p < 3; p++) {
      for (let k = 0; k < counts[p]; k++) parts[p].push({ user: u, item: items[at++], value: 1 });
    }
  }
  const build = (triples: Triple[]): InteractionMatrix => buildMatrix(data.users.size, data.items.size, triples);
  return { users: data.users, items: data.items, train: build(parts[0]), validation: build(parts[1]), test: build(parts[2]) };
}

/** A random split in the evaluation layout: validation masks train; test masks train + validation. */
export function randomEvalSplit(data: PairData, seed: number, ratios: readonly number[] = RECBOLE_RATIOS): EvalSplit {
  const s = randomSplit(data, seed, ratios);
  return {
    users: s.users,
    items: s.items,
    tuning: { train: s.train, validation: s.validation },
    test: { train: s.train, exclude: [s.train, s.validation], target: s.test },
    stackingWindows: (count, rounds) => randomStackingFolds(s.train, s.validation, seed, count, rounds),
    stats: {
      users: s.users.size,
      items: s.items.size,
      train: s.train.indices.length,
      validation: s.validation.indices.length,
      test: s.test.indices.length,
      usersWithValidation: usersWithItems(s.validation),
      usersWithTest: usersWithItems(s.test),
    },
  };
}

/**
 * The same protocol one level down, inside the tuning part, for choices that concern the final
 * fit and the test ranking themselves (which a validation score cannot see): the tuning part's
 * training matrix loses one stacking fold F (shaped like validation), the model is tuned on
 * {train − F, F}, fitted on train − F, and ranks the validation part with train − F and F
 * masked, as a real run ranks test with train and validation masked. The test part is never
 * read. Random splits only (where the final model trains on the tuning part's training matrix).
 */
export function nestedEvalSplit(split: EvalSplit, seed: number): EvalSplit {
  if (split.test.train !== split.tuning.train) throw new RangeError('nested evaluation needs a random split (the final model trains on the tuning part\'s training matrix)');
  const [inner] = randomStackingFolds(split.tuning.train, split.tuning.validation, seed, 1);
  const target = split.tuning.validation;
  return {
    users: split.users,
    items: split.items,
    tuning: inner,
    test: { train: inner.train, exclude: [inner.train, inner.validation], target },
    // A stream of their own: with `seed`, each user's remaining items would be shuffled by the
    // very stream that chose the fold from them.
    stackingWindows: (count, rounds) => randomStackingFolds(inner.train, inner.validation, seed + 7919, count, rounds),
    stats: {
      users: split.users.size,
      items: split.items.size,
      train: inner.train.indices.length,
      validation: inner.validation.indices.length,
      test: target.indices.length,
      usersWithValidation: usersWithItems(inner.validation),
      usersWithTest: usersWithItems(target),
    },
  };
}

/**
 * `count` folds of the training matrix for stacking: per user, the training items in a seeded
 * order (a stream derived from the seed and the user index); fold k holds out the k-th run of m
 * items, m = the user's number of validation items (so the folds are shaped like validation),
 * when the user keeps at least two training items and has a k-th run; the rest trains. With
 * `rounds` > 1 the whole set is made again from a new order per round (round r's stream forks
 * the user's by r): rounds × count folds, round 0 the same as with one round.
 */
export function randomStackingFolds(train: InteractionMatrix, validation: InteractionMatrix, seed: number, count: number, rounds = 1): TuningData[] {
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError(`stacking rounds must be a positive integer, got ${rounds}`);
  const root = new Rng(seed, 'eval/stacking-folds');
  const folds: TuningData[] = [];
  for (let round = 0; round < rounds; round++) {
    const orders: number[][] = [];
    for (let u = 0; u < train.users; u++) {
      const items = Array.from(train.indices.subarray(train.indptr[u], train.indptr[u + 1]));
      if (items.length > 0) (round === 0 ? root.fork(u) : root.fork(u).fork(round)).shuffle(items);
      orders.push(items);
    }
    for (let k = 0; k < count; k++) {
      const kept: Triple[] = [];
      const held: Triple[] = [];
      for (let u = 0; u < train.users; u++) {
        const items = orders[u];
        const m = validation.indptr[u + 1] - validation.indptr[u];
        const hold = m > 0 && items.length - m >= 2 && (k + 1) * m <= items.length;
        items.forEach((item, r) => (hold && r >= k * m && r < (k + 1) * m ? held : kept).push({ user: u, item, value: 1 }));
      }
      folds.push({ train: buildMatrix(train.users, train.items, kept), validation: buildMatrix(train.users, train.items, held) });
    }
  }
  return folds;
}

export function usersWithItems(m: InteractionMatrix): number {
  let n = 0;
  for (let u = 0; u < m.users; u++) if (m.indptr[u + 1] > m.indptr[u]) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Temporal split

/** Listens in columns (one entry per listen; any order). */
export interface ListenLog {
  readonly users: IdIndex;
  readonly items: IdIndex;
  readonly user: Int32Array;
  readonly item: Int32Array;
  /** End time, ms since the epoch (UTC). */
  readonly time: Float64Array;
  readonly msPlayed: Float64Array;
}

export const DAY_MS = 86_400_000;

export interface TemporalSplitOptions {
  /** A global cut-off (ms since the epoch), or 'per-user': each user's last listen − testDays. */
  cutoff: number | 'per-user';
  /** Length of the test window after the cut-off; required for 'per-user', else unlimited by default. */
  testDays?: number;
  /** Length of the validation slice just before the cut-off. */
  validationDays: number;
  /** Plays shorter than this are skips, never positives. */
  skipMs: number;
  /** Training cell values: 1 per item, or the number of plays. */
  strength: 'binary' | 'plays';
  /**
   * Also mask, in the test ranking, the items a user listened to before the cut-off only
   * briefly (skips): they can never be test items (those were never listened to before), so
   * ranking them only wastes places. Off by default (the published protocol masks plays only).
   */
  maskSkips?: boolean;
}

export const DEFAULT_TEMPORAL: TemporalSplitOptions = { cutoff: 'per-user', testDays: 28, validationDays: 14, skipMs: 30_000, strength: 'plays' };

/**
 * What a listening log knows about a training matrix's users beyond the matrix itself, as of
 * that matrix's cut-off (never later): the items each user listened to only briefly (skips:
 * every listen shorter than `skipMs`, and no longer one, before the cut-off), and the plays of
 * the last `recentDays` before the cut-off (play counts). A temporal split registers one per
 * training matrix it makes (tuning, final, stacking windows); `listeningContextOf(train)` finds it.
 */
export interface ListeningContext {
  readonly skips: InteractionMatrix;
  readonly recent: InteractionMatrix;
  readonly recentDays: number;
}

export const RECENT_DAYS = 28;

const listeningContexts = new WeakMap<InteractionMatrix, () => ListeningContext>();

/** The listening context registered for a training matrix of a temporal split, if any. */
export function listeningContextOf(train: InteractionMatrix): ListeningContext | undefined {
  return listeningContexts.get(train)?.();
}

/** Registers, lazily, the listening context of `train`, whose cut-off for user u is `cutoffOf(u)`. */
function registerListening(train: InteractionMatrix, log: ListenLog, cutoffOf: (u: number) => number, skipMs: number): void {
  let made: ListeningContext | undefined;
  listeningContexts.set(train, () => {
    if (made) return made;
    const nUsers = log.users.size;
    const nItems = log.items.size;
    const played = new Set<number>();
    const listened = new Set<number>();
    const recent: Triple[] = [];
    for (let k = 0; k < log.user.length; k++) {
      const u = log.user[k];
      const t = log.time[k];
      const c = cutoffOf(u);
      if (!(t < c)) continue;
      const key = u * nItems + log.item[k];
      listened.add(key);
      if (log.msPlayed[k] >= skipMs) {
        played.add(key);
        if (t >= c - RECENT_DAYS * DAY_MS) recent.push({ user: u, item: log.item[k], value: 1 });
      }
    }
    const skips: Triple[] = [];
    for (const key of listened) if (!played.has(key)) skips.push({ user: Math.floor(key / nItems), item: key % nItems, value: 1 });
    const m = buildMatrix(nUsers, nItems, skips);
    m.values.fill(1);
    made = { skips: m, recent: buildMatrix(nUsers, nItems, recent), recentDays: RECENT_DAYS };
    return made;
  });
}

/**
 * The validation rule applied k = 1..count validation slices earlier: window k trains on the
 * plays before c − (k + 1)·V and holds out the items first listened to in [c − (k + 1)·V,
 * c − k·V) with a play there (V = validationDays, c = the user's cut-off); users without
 * plays before the window are left out. All of it lies before c − V: inside the tuning part's
 * training plays.
 */
export function temporalStackingWindows(log: ListenLog, cutoff: Float64Array, options: TemporalSplitOptions, count: number): TuningData[] {
  const { validationDays, skipMs, strength } = options;
  const nItems = log.items.size;
  const nUsers = log.users.size;
  const first = new Map<number, number>();
  for (let k = 0; k < log.user.length; k++) {
    const c = log.user[k] * nItems + log.item[k];
    const t = first.get(c);
    if (t === undefined || log.time[k] < t) first.set(c, log.time[k]);
  }
  const windows: TuningData[] = [];
  for (let w = 1; w <= count; w++) {
    const trainTriples: Triple[] = [];
    const held = new Map<number, Triple>();
    for (let k = 0; k < log.user.length; k++) {
      if (log.msPlayed[k] < skipMs) continue;
      const u = log.user[k];
      const start = cutoff[u] - (w + 1) * validationDays * DAY_MS;
      const end = cutoff[u] - w * validationDays * DAY_MS;
      const t = log.time[k];
      if (t < start) trainTriples.push({ user: u, item: log.item[k], value: 1 });
      else if (t < end) {
        const c = u * nItems + log.item[k];
        if ((first.get(c) as number) >= start) held.set(c, { user: u, item: log.item[k], value: 1 });
      }
    }
    const train = buildMatrix(nUsers, nItems, trainTriples);
    if (strength === 'binary') train.values.fill(1);
    registerListening(train, log, (u) => cutoff[u] - (w + 1) * validationDays * DAY_MS, skipMs);
    const known = [...held.values()].filter((t) => train.indptr[t.user + 1] > train.indptr[t.user]);
    windows.push({ train, validation: buildMatrix(nUsers, nItems, known) });
  }
  return windows;
}

export function temporalSplit(log: ListenLog, options: TemporalSplitOptions): EvalSplit {
  const { validationDays, skipMs, strength } = options;
  if (!(validationDays > 0)) throw new RangeError('validationDays must be positive');
  if (options.cutoff === 'per-user' && !(options.testDays !== undefined && options.testDays > 0)) {
    throw new RangeError('a per-user cut-off needs testDays > 0');
  }
  const nUsers = log.users.size;
  const nItems = log.items.size;
  const n = log.user.length;

  // Per-user cut-off.
  const cutoff = new Float64Array(nUsers);
  if (options.cutoff === 'per-user') {
    cutoff.fill(-Infinity);
    for (let k = 0; k < n; k++) if (log.time[k] > cutoff[log.user[k]]) cutoff[log.user[k]] = log.time[k];
    for (let u = 0; u < nUsers; u++) cutoff[u] -= (options.testDays as number) * DAY_MS;
  } else {
    cutoff.fill(options.cutoff);
  }
  // Per user, the test window runs to the end of the history; after a global date, for testDays.
  const window = options.cutoff === 'per-user' || options.testDays === undefined ? Infinity : options.testDays * DAY_MS;
  const testEnd = (u: number): number => cutoff[u] + window;
  const validStart = (u: number): number => cutoff[u] - validationDays * DAY_MS;

  // First listen (of any length) per (user, item).
  const first = new Map<number, number>();
  const key = (u: number, i: number): number => u * nItems + i;
  for (let k = 0; k < n; k++) {
    const c = key(log.user[k], log.item[k]);
    const t = first.get(c);
    if (t === undefined || log.time[k] < t) first.set(c, log.time[k]);
  }

  const tuneTrain: Triple[] = [];
  const finalTrain: Triple[] = [];
  const validation = new Map<number, Triple>();
  const test = new Map<number, Triple>();
  let skips = 0;
  for (let k = 0; k < n; k++) {
    if (log.msPlayed[k] < skipMs) {
      skips++;
      continue;
    }
    const u = log.user[k];
    const i = log.item[k];
    const t = log.time[k];
    // One per play: buildMatrix sums them into play counts (reset to 1 for 'binary').
    if (t < validStart(u)) tuneTrain.push({ user: u, item: i, value: 1 });
    if (t < cutoff[u]) {
      finalTrain.push({ user: u, item: i, value: 1 });
      const c = key(u, i);
      if (t >= validStart(u) && (first.get(c) as number) >= validStart(u)) validation.set(c, { user: u, item: i, value: 1 });
    } else if (t < testEnd(u)) {
      const c = key(u, i);
      if ((first.get(c) as number) >= cutoff[u]) test.set(c, { user: u, item: i, value: 1 });
    }
  }

  const trainMatrix = (triples: Triple[]): InteractionMatrix => {
    const m = buildMatrix(nUsers, nItems, triples);
    if (strength === 'binary') m.values.fill(1);
    return m;
  };
  const tuning = { train: trainMatrix(tuneTrain), validation: buildMatrix(nUsers, nItems, validation.values()) };
  const train = trainMatrix(finalTrain);
  registerListening(tuning.train, log, validStart, skipMs);
  registerListening(train, log, (u) => cutoff[u], skipMs);

  // Cold-start users (nothing to train on before their cut-off) are not evaluated.
  const known = (m: InteractionMatrix) => (t: Triple) => m.indptr[t.user + 1] > m.indptr[t.user];
  const validationKnown = [...validation.values()].filter(known(tuning.train));
  const testKnown = [...test.values()].filter(known(train));
  const target = buildMatrix(nUsers, nItems, testKnown);
  const valid = buildMatrix(nUsers, nItems, validationKnown);

  const trainedItems = new Uint8Array(nItems);
  for (let k = 0; k < train.indices.length; k++) trainedItems[train.indices[k]] = 1;
  let coldTestCells = 0;
  for (let k = 0; k < target.indices.length; k++) if (!trainedItems[target.indices[k]]) coldTestCells++;

  return {
    users: log.users,
    items: log.items,
    tuning: { train: tuning.train, validation: valid },
    test: { train, exclude: options.maskSkips ? [train, listeningContextOf(train)?.skips as InteractionMatrix] : [train], target },
    stackingWindows: (count) => temporalStackingWindows(log, cutoff, options, count),
    stats: {
      users: nUsers,
      items: nItems,
      listens: n,
      skips,
      tuningTrain: tuning.train.indices.length,
      validation: valid.indices.length,
      usersWithValidation: usersWithItems(valid),
      train: train.indices.length,
      test: target.indices.length,
      usersWithTest: usersWithItems(target),
      coldStartUsersDropped: usersWithItems(buildMatrix(nUsers, nItems, test.values())) - usersWithItems(target),
      testCellsOnItemsWithoutTraining: coldTestCells,
    },
  };
}
