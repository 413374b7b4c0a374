/**
 * Selection helpers shared by the build steps that keep each document's heaviest terms (reorder.ts,
 * clustered-lists.ts).
 */

/** The k-th largest of a[0..n) for 1 ≤ k ≤ n (Hoare's selection; reorders a). */
export function kthLargest(a: Float32Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  const target = k - 1; // position in descending order
  while (lo < hi) {
    const pivot = a[(lo + hi) >>> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] > pivot) i++;
      while (a[j] < pivot) j--;
      if (i <= j) {
        const x = a[i];
        a[i++] = a[j];
        a[j--] = x;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else break;
  }
  return a[target];
}
