import pg from 'pg';
import { StorageUnavailable } from '../../core/kernel/errors.ts';
import { isPgFault } from './postgres-faults.ts';

/** libpq's `target_session_attrs`: which server a new connection may keep. */
export type SessionAttrs = 'any' | 'read-write' | 'read-only' | 'primary' | 'standby' | 'prefer-standby';
const SESSION_ATTRS: readonly SessionAttrs[] = [
  'any',
  'read-write',
  'read-only',
  'primary',
  'standby',
  'prefer-standby',
];

/** The hosts of a connection URL, in order, each as a one-host URL node-postgres understands. */
export interface HostList {
  targets: { where: string; connectionString: string }[];
  sessionAttrs: SessionAttrs;
}

/**
 * Reads a `postgres://` URL with libpq's host list (`host1:port1,host2:port2`, `[::1]:5432`,
 * default port 5432) and its `target_session_attrs` (default `any`). Every other part of the URL
 * (user, password, database, parameters such as `sslmode`) is kept for each host.
 * @example parseHostList('postgres://app@db1:5432,db2:5432/billing?target_session_attrs=read-write')
 */
export function parseHostList(url: string): HostList {
  const m = /^(postgres(?:ql)?:\/\/)([^/?#]*)([^?#]*)(\?[^#]*)?$/.exec(url);
  if (!m) throw new Error('a PostgreSQL URL must look like postgres://user@host:port/database');
  const [, scheme, authority = '', path = '', query = ''] = m;
  const at = authority.lastIndexOf('@');
  const userinfo = at >= 0 ? authority.slice(0, at + 1) : '';
  const params = new URLSearchParams(query.slice(1));
  const attrs = params.get('target_session_attrs') ?? 'any';
  if (!SESSION_ATTRS.includes(attrs as SessionAttrs))
    throw new Error(`target_session_attrs must be one of ${SESSION_ATTRS.join(', ')}, not ${attrs}`);
  params.delete('target_session_attrs');
  const rest = `${path}${params.size > 0 ? `?${params}` : ''}`;
  const hostPorts = authority.slice(at + 1).split(',');
  const targets = hostPorts.map((hostPort) => {
    const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/.exec(hostPort);
    if (!hp) throw new Error(`cannot read the host ${hostPort} of the PostgreSQL URL`);
    const where = `${hp[1] || 'localhost'}:${hp[2] ?? '5432'}`;
    // One host: the URL as it was written (node-postgres reads every form of it, a socket too).
    const host = hostPorts.length === 1 ? hostPort : where;
    return { where, connectionString: `${scheme}${userinfo}${host}${rest}` };
  });
  return { targets, sessionAttrs: attrs as SessionAttrs };
}

/** Whether a connected server is what `attrs` asks for, checked as libpq checks it. */
async function fits(client: pg.Client, attrs: SessionAttrs): Promise<boolean> {
  if (attrs === 'any') return true;
  if (attrs === 'read-write' || attrs === 'read-only') {
    const r = await client.query<{ transaction_read_only: string }>('SHOW transaction_read_only');
    return (r.rows[0]?.transaction_read_only === 'on') === (attrs === 'read-only');
  }
  const r = await client.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby');
  return r.rows[0]?.standby === (attrs === 'standby');
}

/**
 * Opens one connection as libpq does for a host list: the hosts are tried in order and the first
 * that connects and fits `target_session_attrs` is kept (`prefer-standby`: a standby first, else
 * any). A connection that does not fit is closed. When none fits and every failure was the
 * database's availability (down, starting, not yet promoted), a `StorageUnavailable` names each
 * host's reason; another failure (a wrong password) is thrown as it is.
 */
export async function connectFirst(
  hosts: HostList,
  config: Omit<pg.ClientConfig, 'connectionString'>,
): Promise<pg.Client> {
  const passes: SessionAttrs[] =
    hosts.sessionAttrs === 'prefer-standby' ? ['standby', 'any'] : [hosts.sessionAttrs];
  const reasons: string[] = [];
  let other: unknown;
  for (const attrs of passes) {
    for (const target of hosts.targets) {
      const client = new pg.Client({ ...config, connectionString: target.connectionString });
      // An error of this connection while it is checked surfaces as the rejection below.
      client.on('error', () => undefined);
      try {
        await client.connect();
        if (await fits(client, attrs)) return client;
        reasons.push(`${target.where} is not ${attrs}`);
      } catch (error) {
        if (!isPgFault(error)) other ??= error;
        reasons.push(`${target.where}: ${(error as Error).message || String(error)}`);
      }
      await client.end().catch(() => undefined);
    }
  }
  if (other) throw other;
  throw new StorageUnavailable(
    `PostgreSQL: no host accepts a ${hosts.sessionAttrs} session (${reasons.join('; ')})`,
  );
}
