import type pg from 'pg';
import { StorageUnavailable } from '../../core/kernel/errors.ts';
import { connectFirst, type HostList, parseHostList } from './postgres-hosts.ts';

export interface PgPoolOptions extends Omit<pg.ClientConfig, 'connectionString'> {
  /** A `postgres://` URL, with libpq's host list and `target_session_attrs` (see `parseHostList`). */
  url: string;
  /** Connections open at most. */
  max: number;
  /** How long `connect()` waits for a connection to come free before it fails as unavailable. */
  acquireTimeoutMs: number;
}

interface Waiter {
  resolve: (client: pg.PoolClient) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

/**
 * The connections of one PostgreSQL store. node-postgres's own pool opens every connection to one
 * host; this one opens each new connection through `connectFirst` (libpq's host list and
 * `target_session_attrs`), so after a failover new connections go to the promoted server. A
 * connection whose socket breaks (a restart, a failover) is marked at once, idle or lent, and
 * closed instead of being lent again; its error never reaches the process as an unhandled event.
 * Kysely's `PostgresDialect` takes it as its pool.
 * @example const pool = new PgPool({ url, max: 10, acquireTimeoutMs: 5000 }); const c = await pool.connect();
 */
export class PgPool {
  private readonly hosts: HostList;
  private readonly config: Omit<pg.ClientConfig, 'connectionString'>;
  private readonly idle: pg.PoolClient[] = [];
  private readonly waiting: Waiter[] = [];
  private readonly broken = new WeakSet<pg.Client>();
  private readonly closed = new WeakSet<pg.Client>();
  private readonly lent = new WeakSet<pg.Client>();
  /** Connections open or being opened. */
  private open = 0;
  private ended = false;

  constructor(private readonly options: PgPoolOptions) {
    const { url: _url, max: _max, acquireTimeoutMs: _timeout, ...config } = options;
    this.hosts = parseHostList(options.url);
    this.config = config;
  }

  /** A connection for one unit of work; give it back with `release()` (`release(error)` closes it). */
  connect(): Promise<pg.PoolClient> {
    if (this.ended) return Promise.reject(new Error('the PostgreSQL pool is closed'));
    const idle = this.idle.pop();
    if (idle) return Promise.resolve(this.lend(idle));
    if (this.open < this.options.max) return this.grow();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          reject(
            new StorageUnavailable(
              `PostgreSQL: no connection came free within ${this.options.acquireTimeoutMs} ms`,
            ),
          );
        }, this.options.acquireTimeoutMs),
      };
      this.waiting.push(waiter);
    });
  }

  /** One statement on a connection of the pool, outside any transaction. */
  async query(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
    const client = await this.connect();
    try {
      const result = await client.query(sql, params);
      client.release();
      return result;
    } catch (error) {
      client.release(this.isBroken(client) ? (error as Error) : undefined);
      throw error;
    }
  }

  /** Whether this connection's socket broke since it was opened (any error on it is then the database's). */
  isBroken(client: pg.PoolClient): boolean {
    return this.broken.has(client);
  }

  /** Closes idle connections now and lent ones as they come back; waiters are refused. */
  async end(): Promise<void> {
    this.ended = true;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.reject(new Error('the PostgreSQL pool is closed'));
    }
    await Promise.all(this.idle.splice(0).map((c) => this.close(c)));
  }

  private async grow(): Promise<pg.PoolClient> {
    this.open++;
    let client: pg.Client;
    try {
      client = await connectFirst(this.hosts, this.config);
    } catch (error) {
      this.open--;
      this.serveWaiters();
      throw error;
    }
    const lost = () => {
      this.broken.add(client);
      const i = this.idle.indexOf(client as pg.PoolClient);
      if (i >= 0) {
        this.idle.splice(i, 1);
        void this.close(client);
      }
    };
    client.on('error', lost);
    client.on('end', lost);
    const pooled: pg.PoolClient = Object.assign(client, {
      release: (error?: Error | boolean) => {
        if (!this.lent.delete(client)) throw new Error('a PostgreSQL connection was released twice');
        if (error || this.ended || this.broken.has(client)) void this.close(client);
        else this.giveBack(pooled);
      },
    });
    return this.lend(pooled);
  }

  private lend(client: pg.PoolClient): pg.PoolClient {
    this.lent.add(client);
    return client;
  }

  private giveBack(client: pg.PoolClient): void {
    const waiter = this.waiting.shift();
    if (!waiter) {
      this.idle.push(client);
      return;
    }
    clearTimeout(waiter.timer);
    waiter.resolve(this.lend(client));
  }

  private async close(client: pg.Client): Promise<void> {
    if (this.closed.has(client)) return;
    this.closed.add(client);
    this.open--;
    this.serveWaiters();
    await client.end().catch(() => undefined);
  }

  /** A connection closed or never opened leaves room: the first waiter gets a new one. */
  private serveWaiters(): void {
    if (this.ended || this.open >= this.options.max) return;
    const waiter = this.waiting.shift();
    if (!waiter) return;
    clearTimeout(waiter.timer);
    this.grow().then(waiter.resolve, waiter.reject);
  }
}
