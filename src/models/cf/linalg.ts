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
