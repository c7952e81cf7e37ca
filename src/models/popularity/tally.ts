/**
 * Weighted counts per id, with the chart's head — the first `headSize` ids by count, ties by
 * id — kept in order as counts grow, so a chart read is always current and never a sort.
 *
 * Re-sorting every count on a read (at most once a second while events arrived) cost a sort of
 * the whole catalogue per chart: on a 100k-track world under 50 plays a second that, with the
 * context charts built from it, took most of the CPU and cut serving fivefold
 * (docs/benchmarks.md). Counts only grow (skips and dislikes count nothing), so an id moves
 * up, never down, and one that is outside the head enters it only by passing its last entry.
 * Invariant: every id outside the head orders after the head's last entry.
 */
export class Tally {
  readonly counts = new Map<string, number>();
  total = 0;
  /** [id, count] in chart order; entries are updated in place. */
  private readonly head: [string, number][] = [];
  private readonly inHead = new Set<string>();

  constructor(readonly headSize: number) {
    if (!(headSize >= 1)) throw new RangeError(`headSize must be at least 1, got ${headSize}`);
  }

  /** Adds a positive weight to an id's count. */
  add(id: string, weight: number): void {
    if (!(weight > 0)) throw new RangeError(`a tally only grows: weight ${weight}`);
    const before = this.counts.get(id) ?? 0;
    const after = before + weight;
    this.counts.set(id, after);
    this.total += weight;
    const head = this.head;
    if (this.inHead.has(id)) {
      // Its entry is the first that does not order before (before, id).
      let at = this.insertionPoint(before, id);
      const entry = head[at];
      entry[1] = after;
      // Move it up past the entries it now beats; most moves are short.
      while (at > 0 && precedes(after, id, head[at - 1])) {
        head[at] = head[at - 1];
        at--;
      }
      head[at] = entry;
    } else if (head.length < this.headSize) {
      this.insert(id, after);
    } else if (precedes(after, id, head[head.length - 1])) {
      // The last entry leaves the head: it still orders before every id outside it.
      this.inHead.delete(head.pop()![0]);
      this.insert(id, after);
    }
  }

  share(id: string): number {
    return this.total > 0 ? (this.counts.get(id) ?? 0) / this.total : 0;
  }

  /** The first `headSize` ids by count (ties by id), best first: current, read without copying. */
  chart(): readonly (readonly [string, number])[] {
    return this.head;
  }

  private insert(id: string, count: number): void {
    this.head.splice(this.insertionPoint(count, id), 0, [id, count]);
    this.inHead.add(id);
  }

  /** The first position whose entry does not order before (count, id). */
  private insertionPoint(count: number, id: string): number {
    let low = 0;
    let high = this.head.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const [midId, midCount] = this.head[mid];
      if (midCount > count || (midCount === count && midId < id)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/** Chart order: higher count first, then the smaller id. */
function precedes(count: number, id: string, entry: readonly [string, number]): boolean {
  return count > entry[1] || (count === entry[1] && id < entry[0]);
}
