import { AsyncLocalStorage } from 'node:async_hooks';
import { hash, randomBytes } from 'node:crypto';
import type { Clock, IdSource, RequestHook, RequestScopes } from '../../core/kernel/ports.ts';

export const systemClock: Clock = { nowMs: () => Date.now() };

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 of bytes, as a big number (no modulo bias: every byte contributes). */
function base62(bytes: Uint8Array): string {
  let n = BigInt(`0x${Buffer.from(bytes).toString('hex') || '0'}`);
  let out = '';
  while (n > 0n) {
    out = BASE62[Number(n % 62n)] + out;
    n /= 62n;
  }
  return out;
}

/**
 * Ids: a 48-bit millisecond time then 80 random bits, in base62 of fixed width, so they sort by
 * creation time. Secrets: 32 random bytes in base62 (about 43 characters) after the prefix.
 */
export function systemIds(clock: Clock = systemClock): IdSource {
  return {
    newId(prefix) {
      const bytes = new Uint8Array(16);
      const time = BigInt(clock.nowMs());
      for (let i = 0; i < 6; i++) bytes[i] = Number((time >> BigInt(8 * (5 - i))) & 0xffn);
      bytes.set(randomBytes(10), 6);
      return `${prefix}_${base62(bytes).padStart(22, '0')}`;
    },
    newSecret(prefix) {
      return `${prefix}${base62(randomBytes(32)).padStart(43, '0')}`;
    },
    hashSecret(secret) {
      // One-shot hashing: no Hash object per verification.
      return hash('sha256', secret, 'hex');
    },
    fraction() {
      return randomBytes(4).readUInt32BE(0) / 2 ** 32;
    },
  };
}

/** Request scopes that follow a request across awaits (Node's AsyncLocalStorage). */
export function asyncScopes(): RequestScopes {
  const als = new AsyncLocalStorage<RequestHook>();
  return { current: () => als.getStore(), run: (hook, fn) => als.run(hook, fn) };
}
