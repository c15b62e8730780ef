import { randomBytes } from 'node:crypto';

/**
 * Request ids: `req_` and 32 hex digits, a random 64-bit prefix chosen when the process starts
 * followed by a 64-bit counter. Unique across processes and restarts (the prefix) and within a
 * process (the counter), at the cost of an increment instead of a random UUID a request.
 */
export function requestIds(): () => string {
  const prefix = `req_${randomBytes(8).toString('hex')}`;
  let next = 0;
  return () => prefix + (next++).toString(16).padStart(16, '0');
}
