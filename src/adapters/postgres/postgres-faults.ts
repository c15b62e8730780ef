import { StorageUnavailable } from '../../core/kernel/errors.ts';

/**
 * Errors that mean the database cannot answer now, not that the statement is wrong: the socket
 * (refused, reset, timed out), SQLSTATE class 08 (connection exception), 53 (insufficient
 * resources: disk full, out of memory, too many connections), 57P01-57P03 (shut down, crashed,
 * starting up), 58030 (I/O error), 25006 (read-only transaction: this host is a standby now,
 * after a failover), 55P03 (a lock not had within `lock_timeout`) and 25P03 (a session left idle
 * in a transaction past its limit).
 */
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const SQLSTATE = /^(08|53)...$|^57P0[123]$|^58030$|^25006$|^55P03$|^25P03$/;
// node-postgres reports a lost or timed-out connection by message only.
const MESSAGE =
  /^Connection terminated|is not queryable|^timeout expired$|timeout exceeded when trying to connect/;

/** Whether `error` is a fault of the database's availability (see `pgFault`). */
export function isPgFault(error: unknown): boolean {
  if (error instanceof StorageUnavailable) return true;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK.has(code) || SQLSTATE.test(code))) return true;
  return typeof message === 'string' && MESSAGE.test(message);
}

/**
 * The error to rethrow for one thrown by node-postgres: a `StorageUnavailable` for a fault of the
 * database (or any error of a connection known to be broken), the error itself otherwise.
 * @example catch (e) { throw pgFault(e, pool.isBroken(client)); }
 */
export function pgFault(error: unknown, connectionBroken = false): unknown {
  if (error instanceof StorageUnavailable) return error;
  if (!connectionBroken && !isPgFault(error)) return error;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' && message ? message : String(code ?? error);
  return new StorageUnavailable(`PostgreSQL: ${text}${typeof code === 'string' ? ` (${code})` : ''}`, {
    cause: error,
  });
}
