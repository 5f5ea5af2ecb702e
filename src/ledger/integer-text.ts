/**
 * A safe integer as decimal text, as `String(n)` writes it: in two halves when large (µs since
 * the epoch, 53-bit hashes), each a small integer, which V8 turns into text several times faster.
 */
export function integerText(n: number): string {
  if (!(n >= 1e9 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n))) return String(n);
  const high = Math.floor(n / 1e9);
  return `${high}${String(n - high * 1e9).padStart(9, "0")}`;
}
