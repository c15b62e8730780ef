/**
 * A fast non-cryptographic 64-bit hash of a string, as two 32-bit halves: FNV-1a and a
 * Murmur-style mix over the UTF-16 code units. For dedupe and content comparison, never secrets.
 * @example hash64('evt_1') // [-1730380337, 1202151010]
 */
export function hash64(s: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 13;
  }
  b = Math.imul(b ^ (b >>> 15), 0x85ebca6b);
  b ^= b >>> 13;
  return [a | 0, b | 0];
}

/** The 64-bit hash as 16 hex characters. */
export function hash64Hex(s: string): string {
  const [a, b] = hash64(s);
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
