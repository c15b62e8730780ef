import { describe, expect, it } from 'vitest';
import { pgFault } from '../../src/adapters/postgres/postgres-faults.ts';
import { parseHostList } from '../../src/adapters/postgres/postgres-hosts.ts';
import { sqliteFault } from '../../src/adapters/sqlite/sqlite-faults.ts';
import { StorageUnavailable } from '../../src/core/kernel/errors.ts';

const withCode = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('driver errors translated at the adapter edge', () => {
  it('turns a full disk, failing I/O or a lock held too long on SQLite into StorageUnavailable, and nothing else', () => {
    for (const code of [
      'SQLITE_FULL',
      'SQLITE_IOERR',
      'SQLITE_IOERR_WRITE',
      'SQLITE_CANTOPEN',
      'SQLITE_BUSY',
    ])
      expect(sqliteFault(withCode(code))).toBeInstanceOf(StorageUnavailable);
    const constraint = withCode('SQLITE_CONSTRAINT_UNIQUE');
    expect(sqliteFault(constraint)).toBe(constraint);
    expect(sqliteFault(new Error('a bug'))).toBeInstanceOf(Error);
    expect(sqliteFault(new Error('a bug'))).not.toBeInstanceOf(StorageUnavailable);
  });

  it('turns lost connections, shutdowns, a standby and a full disk on PostgreSQL into StorageUnavailable, not a bad statement', () => {
    for (const e of [
      withCode('ECONNREFUSED'),
      withCode('ECONNRESET'),
      withCode('57P01', 'terminating connection due to administrator command'),
      withCode('57P03', 'the database system is starting up'),
      withCode('08006'),
      withCode('53100', 'could not extend file: No space left on device'),
      withCode('25006', 'cannot execute INSERT in a read-only transaction'),
      withCode('55P03', 'canceling statement due to lock timeout'),
      withCode('25P03', 'terminating connection due to idle-in-transaction timeout'),
      new Error('Connection terminated unexpectedly'),
      new Error('timeout exceeded when trying to connect'),
    ])
      expect(pgFault(e), String(e)).toBeInstanceOf(StorageUnavailable);
    for (const code of ['23505', '40001', '42P01']) {
      const e = withCode(code);
      expect(pgFault(e)).toBe(e);
    }
    // Any error of a connection known to be broken is the database's.
    expect(pgFault(withCode('42601'), true)).toBeInstanceOf(StorageUnavailable);
  });
});

describe("libpq's host list", () => {
  it('reads every host in order, with the default port, IPv6 and the other parameters kept', () => {
    const list = parseHostList(
      'postgres://app:s%40cret@db1:5433,[::1],db3/billing?target_session_attrs=read-write&sslmode=disable',
    );
    expect(list.sessionAttrs).toBe('read-write');
    expect(list.targets).toEqual([
      { where: 'db1:5433', connectionString: 'postgres://app:s%40cret@db1:5433/billing?sslmode=disable' },
      { where: '[::1]:5432', connectionString: 'postgres://app:s%40cret@[::1]:5432/billing?sslmode=disable' },
      { where: 'db3:5432', connectionString: 'postgres://app:s%40cret@db3:5432/billing?sslmode=disable' },
    ]);
  });

  it('defaults to any session and refuses a target_session_attrs libpq does not know', () => {
    expect(parseHostList('postgresql://h/db').sessionAttrs).toBe('any');
    // One host stays as written, a socket folder included.
    expect(parseHostList('postgres://app@/db?host=/run/postgresql').targets[0]?.connectionString).toBe(
      'postgres://app@/db?host=%2Frun%2Fpostgresql',
    );
    expect(() => parseHostList('postgres://h/db?target_session_attrs=writable')).toThrow(
      /target_session_attrs/,
    );
  });
});
