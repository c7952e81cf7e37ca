/**
 * The implicit-feedback matrix every collaborative model trains on: users × items in CSR
 * form over dense integer indices, with a raw strength per cell (a play count, or 1 when
 * the data is binary). `IdIndex` maps the store's string ids to those indices and back.
 */

export interface InteractionMatrix {
  readonly users: number;
  readonly items: number;
  /** Row pointers: the items of user u are indices[indptr[u] .. indptr[u+1]). Length users + 1. */
  readonly indptr: Int32Array;
  /** Item index of each non-zero, sorted ascending within a row. */
  readonly indices: Int32Array;
  /** Raw strength of each non-zero (> 0). */
  readonly values: Float32Array;
}

export class IdIndex {
  private readonly byId = new Map<string, number>();
  readonly ids: string[] = [];

  static from(ids: Iterable<string>): IdIndex {
    const index = new IdIndex();
    for (const id of ids) index.add(id);
    return index;
  }

  /** The index of `id`, adding it when new. */
  add(id: string): number {
    let i = this.byId.get(id);
    if (i === undefined) {
      i = this.ids.length;
      this.byId.set(id, i);
      this.ids.push(id);
    }
    return i;
  }

  get(id: string): number | undefined {
    return this.byId.get(id);
  }

  get size(): number {
    return this.ids.length;
  }
}

/** One observed (user, item, strength) triple; duplicates are summed when the matrix is built. */
export interface Triple {
  user: number;
  item: number;
  value: number;
}

/** Builds a CSR matrix from triples (any order; duplicate cells are summed). */
export function buildMatrix(users: number, items: number, triples: Iterable<Triple>): InteractionMatrix {
  const rows: Map<number, number>[] = Array.from({ length: users }, () => new Map());
  for (const { user, item, value } of triples) {
    if (user < 0 || user >= users || item < 0 || item >= items) throw new RangeError(`cell (${user}, ${item}) is outside ${users} × ${items}`);
    if (!(value > 0)) continue;
    const row = rows[user];
    row.set(item, (row.get(item) ?? 0) + value);
  }
  const indptr = new Int32Array(users + 1);
  let nnz = 0;
  for (let u = 0; u < users; u++) {
    nnz += rows[u].size;
    indptr[u + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let u = 0; u < users; u++) {
    const cells = [...rows[u]].sort((a, b) => a[0] - b[0]);
    let at = indptr[u];
    for (const [item, value] of cells) {
      indices[at] = item;
      values[at] = value;
      at++;
    }
  }
  return { users, items, indptr, indices, values };
}

/** The transpose (items × users), for item-side computations. */
export function transpose(m: InteractionMatrix): InteractionMatrix {
  const counts = new Int32Array(m.items + 1);
  for (let k = 0; k < m.indices.length; k++) counts[m.indices[k] + 1]++;
  for (let i = 0; i < m.items; i++) counts[i + 1] += counts[i];
  const indptr = counts.slice();
  const next = counts.slice(0, m.items);
  const indices = new Int32Array(m.indices.length);
  const values = new Float32Array(m.indices.length);
  for (let u = 0; u < m.users; u++) {
    for (let k = m.indptr[u]; k < m.indptr[u + 1]; k++) {
      const at = next[m.indices[k]]++;
      indices[at] = u;
      values[at] = m.values[k];
    }
  }
  return { users: m.items, items: m.users, indptr, indices, values };
}

/** Number of non-zeros of user u. */
export function rowLength(m: InteractionMatrix, u: number): number {
  return m.indptr[u + 1] - m.indptr[u];
}
