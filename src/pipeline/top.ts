/**
 * Partial selection: the best `k` of `count` (item, score) pairs, best first, ties to the
 * smaller item number (so lists are deterministic). A bounded min-heap: O(count · log k).
 */
export function selectTop(items: ArrayLike<number>, scores: ArrayLike<number>, count: number, k: number): { items: Int32Array; scores: Float32Array } {
  const capacity = Math.max(0, Math.min(k, count));
  const heapItem = new Int32Array(capacity);
  const heapScore = new Float64Array(capacity);
  let size = 0;
  // a is "worse" than b: lower score, or equal score and larger item.
  const worse = (sa: number, ia: number, sb: number, ib: number) => sa < sb || (sa === sb && ia > ib);
  const siftDown = (s: number, i: number, n: number) => {
    let at = 0;
    for (;;) {
      const l = 2 * at + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && worse(heapScore[r], heapItem[r], heapScore[l], heapItem[l]) ? r : l;
      if (!worse(heapScore[c], heapItem[c], s, i)) break;
      heapScore[at] = heapScore[c];
      heapItem[at] = heapItem[c];
      at = c;
    }
    heapScore[at] = s;
    heapItem[at] = i;
  };
  for (let n = 0; n < count; n++) {
    const s = scores[n];
    const i = items[n];
    if (!(s > Number.NEGATIVE_INFINITY)) continue;
    if (size < capacity) {
      let at = size++;
      while (at > 0) {
        const parent = (at - 1) >> 1;
        if (!worse(s, i, heapScore[parent], heapItem[parent])) break;
        heapScore[at] = heapScore[parent];
        heapItem[at] = heapItem[parent];
        at = parent;
      }
      heapScore[at] = s;
      heapItem[at] = i;
    } else if (capacity > 0 && worse(heapScore[0], heapItem[0], s, i)) {
      siftDown(s, i, size);
    }
  }
  const outItems = new Int32Array(size);
  const outScores = new Float32Array(size);
  for (let end = size; end > 0; end--) {
    outItems[end - 1] = heapItem[0];
    outScores[end - 1] = heapScore[0];
    if (end > 1) siftDown(heapScore[end - 1], heapItem[end - 1], end - 1);
  }
  return { items: outItems, scores: outScores };
}
