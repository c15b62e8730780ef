import { StorageUnavailable } from '../../core/kernel/errors.ts';

/**
 * SQLite result codes (better-sqlite3 puts the extended code on `error.code`) that mean the store
 * cannot answer now rather than that the statement is wrong: the disk is full, I/O failed, the
 * file cannot be opened, another process held the lock past `busy_timeout`, or memory ran out.
 * SQLite rolls the transaction back on each of them; nothing is half-written.
 */
const UNAVAILABLE = /^SQLITE_(FULL|IOERR|CANTOPEN|BUSY|NOMEM|PROTOCOL|NOLFS)(_|$)/;

/**
 * The error to rethrow for one thrown by SQLite: a `StorageUnavailable` for a fault of the store,
 * the error itself otherwise (a constraint, a bug).
 * @example await db.run(fn).catch((e) => { throw sqliteFault(e); })
 */
export function sqliteFault(error: unknown): unknown {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || !UNAVAILABLE.test(code)) return error;
  const message = error instanceof Error ? error.message : code;
  return new StorageUnavailable(`SQLite: ${message} (${code})`, { cause: error });
}
