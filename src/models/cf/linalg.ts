/**
 * Small dense linear algebra on k × k row-major Float64 matrices (k ≈ 8…256): Cholesky solves
 * for ALS fold-in and the symmetric eigendecomposition (cyclic Jacobi) that lets the ALS
 * solver work in the eigenbasis of the Gram matrix.
 */

/**
 * Solves A x = b for symmetric positive definite A (k × k, row-major) in place: A is
 * overwritten by its Cholesky factor, b by x. Returns false when A is not positive definite
 * (a pivot ≤ 0), leaving A and b in an unspecified state.
 */
export function choleskySolve(a: Float64Array, b: Float64Array, k: number): boolean {
  // Factor A = L Lᵀ, L stored in the lower triangle.
  for (let j = 0; j < k; j++) {
    const jo = j * k;
    let diagonal = a[jo + j];
    for (let p = 0; p < j; p++) diagonal -= a[jo + p] * a[jo + p];
    if (!(diagonal > 0)) return false;
    const ljj = Math.sqrt(diagonal);
    a[jo + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      const io = i * k;
      let s = a[io + j];
      for (let p = 0; p < j; p++) s -= a[io + p] * a[jo + p];
      a[io + j] = s / ljj;
    }
  }
  // Forward substitution L y = b.
  for (let i = 0; i < k; i++) {
    const io = i * k;
    let s = b[i];
    for (let p = 0; p < i; p++) s -= a[io + p] * b[p];
    b[i] = s / a[io + i];
  }
  // Back substitution Lᵀ x = y.
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let p = i + 1; p < k; p++) s -= a[p * k + i] * b[p];
    b[i] = s / a[i * k + i];
  }
  return true;
}

/**
 * Eigendecomposition of a symmetric k × k matrix: A = V diag(values) Vᵀ, the eigenvectors
 * being the columns of V (row-major: V[r·k + c] is component r of vector c). Cyclic Jacobi
 * rotations until the off-diagonal mass is negligible; accurate to working precision and
 * deterministic. `a` is not modified.
 */
export function symmetricEigen(a: Float64Array, k: number): { values: Float64Array; vectors: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(k * k);
  for (let i = 0; i < k; i++) v[i * k + i] = 1;
  let total = 0;
  for (let i = 0; i < k * k; i++) total += m[i] * m[i];
  const tolerance = 1e-26 * total;
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < k; p++) for (let q = p + 1; q < k; q++) off += m[p * k + q] * m[p * k + q];
    if (off <= tolerance) break;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const apq = m[p * k + q];
        if (apq === 0 || apq * apq <= tolerance * 1e-6) continue;
        const app = m[p * k + p];
        const aqq = m[q * k + q];
        // Rotation angle that zeroes m[p][q]: t = tan θ, the smaller root of t² + 2τt − 1 = 0.
        const tau = (aqq - app) / (2 * apq);
        const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = t * c;
        // Apply Jᵀ M J on rows/columns p and q.
        for (let r = 0; r < k; r++) {
          const mrp = m[r * k + p];
          const mrq = m[r * k + q];
          m[r * k + p] = c * mrp - s * mrq;
          m[r * k + q] = s * mrp + c * mrq;
        }
        for (let r = 0; r < k; r++) {
          const mpr = m[p * k + r];
          const mqr = m[q * k + r];
          m[p * k + r] = c * mpr - s * mqr;
          m[q * k + r] = s * mpr + c * mqr;
        }
        m[p * k + q] = 0;
        m[q * k + p] = 0;
        for (let r = 0; r < k; r++) {
          const vrp = v[r * k + p];
          const vrq = v[r * k + q];
          v[r * k + p] = c * vrp - s * vrq;
          v[r * k + q] = s * vrp + c * vrq;
        }
      }
    }
  }
  const values = new Float64Array(k);
  for (let i = 0; i < k; i++) values[i] = m[i * k + i];
  return { values, vectors: v };
}

/** Σ a[ao + p] · b[bo + p] for p < length, four partial sums (the dense inverse's inner loop). */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, length: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let p = 0;
  for (; p + 3 < length; p += 4) {
    s0 += a[ao + p] * b[bo + p];
    s1 += a[ao + p + 1] * b[bo + p + 1];
    s2 += a[ao + p + 2] * b[bo + p + 2];
    s3 += a[ao + p + 3] * b[bo + p + 3];
  }
  for (; p < length; p++) s0 += a[ao + p] * b[bo + p];
  return s0 + s1 + s2 + s3;
}

/**
 * The inverse of a symmetric positive definite n × n matrix (row-major), for n in the
 * thousands (EASE's Gram matrix): A = L Lᵀ, then Tᵀ = L⁻¹ and A⁻¹ = Tᵀᵀ … = T Tᵀ. Every inner
 * loop is a dot product of two contiguous rows, n³/2 multiply-adds in all. `a` is overwritten
 * (its lower triangle by L). Throws when A is not positive definite.
 */
export function choleskyInverse(a: Float64Array, n: number, onRow?: (done: number, total: number) => void): Float64Array {
  // L, row by row: L[i][j] = (A[i][j] − L[i][:j]·L[j][:j]) / L[j][j].
  for (let i = 0; i < n; i++) {
    const io = i * n;
    for (let j = 0; j < i; j++) a[io + j] = (a[io + j] - dot(a, io, a, j * n, j)) / a[j * n + j];
    const diagonal = a[io + i] - dot(a, io, a, io, i);
    if (!(diagonal > 0)) throw new RangeError(`choleskyInverse: not positive definite (pivot ${i})`);
    a[io + i] = Math.sqrt(diagonal);
    if (onRow && i % 256 === 255) onRow(i + 1, 3 * n);
  }
  // T = (L⁻¹)ᵀ, upper triangular: (L⁻¹)[i][j] = −L[i][j:i]·(L⁻¹)[j:i][j] / L[i][i], read along T's row j.
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const io = i * n;
    const lii = a[io + i];
    for (let j = 0; j < i; j++) t[j * n + i] = -dot(a, io + j, t, j * n + j, i - j) / lii;
    t[io + i] = 1 / lii;
    if (onRow && i % 256 === 255) onRow(n + i + 1, 3 * n);
  }
  // A⁻¹ = L⁻ᵀ L⁻¹: A⁻¹[r][c] = Σ_{k ≥ max(r, c)} T[r][k] T[c][k].
  const inverse = new Float64Array(n * n);
  for (let c = 0; c < n; c++) {
    const co = c * n;
    for (let r = 0; r <= c; r++) {
      const v = dot(t, r * n + c, t, co + c, n - c);
      inverse[r * n + c] = v;
      inverse[co + r] = v;
    }
    if (onRow && c % 256 === 255) onRow(2 * n + c + 1, 3 * n);
  }
  return inverse;
}
