/** Storage ports of access: accounts, API keys, portal sessions, operator tokens, the audit log and kept requests. */
import type {
  Account,
  ApiKey,
  ApiKeyStatus,
  AuditEntry,
  KeptAnswer,
  KeptRequest,
  OperatorToken,
} from '../model.ts';

export interface AccountRepo {
  insert(account: Account): Promise<void>;
  get(id: string): Promise<Account | undefined>;
  /** Reads the account and, where storage has concurrent writers, locks it to the end of the unit of work. */
  lock(id: string): Promise<Account | undefined>;
  /** Locks several accounts, in id order, in one step (see `lock`). */
  lockMany(ids: string[]): Promise<void>;
  findByExternalId(externalId: string): Promise<Account | undefined>;
  update(account: Account): Promise<void>;
  /** Accounts newest first (created, then id), after the cursor account; only those with this email or external id if given. */
  list(filter: { email?: string; externalId?: string; limit: number; afterId?: string }): Promise<Account[]>;
}

export interface KeyRepo {
  insert(key: ApiKey): Promise<void>;
  get(id: string): Promise<ApiKey | undefined>;
  countActive(accountId: string): Promise<number>;
  setStatus(id: string, status: ApiKeyStatus, atMs: number): Promise<void>;
  /** Writes the nickname and spend limit. */
  update(key: ApiKey): Promise<void>;
  list(accountId: string): Promise<ApiKey[]>;
  findByHash(secretHash: string): Promise<ApiKey | undefined>;
  /** Writes `last_used_at` for many keys at once. */
  touch(lastUsed: { id: string; atMs: number }[]): Promise<void>;
}

export interface PortalSession {
  accountId: string;
  csrf: string;
  expiresAtMs: number;
}

export interface PortalRepo {
  insertLink(link: { tokenHash: string; accountId: string; expiresAtMs: number }): Promise<void>;
  /** The account of an unused, unexpired link, leaving the link as it is. */
  findLink(tokenHash: string, nowMs: number): Promise<string | undefined>;
  /** Removes an unused, unexpired link and answers its account; a link opens once. */
  takeLink(tokenHash: string, nowMs: number): Promise<string | undefined>;
  insertSession(session: PortalSession & { tokenHash: string; createdAtMs: number }): Promise<void>;
  getSession(tokenHash: string): Promise<PortalSession | undefined>;
  deleteSession(tokenHash: string): Promise<void>;
  /** Removes the links and sessions expired at `nowMs`. */
  purgeExpired(nowMs: number): Promise<void>;
}

/** Operator tokens; only hashes of their secrets are stored. */
export interface OperatorRepo {
  insert(token: OperatorToken): Promise<void>;
  get(id: string): Promise<OperatorToken | undefined>;
  /** Every token, revoked ones included, oldest first. */
  list(): Promise<OperatorToken[]>;
  revoke(id: string, atMs: number): Promise<void>;
}

/** The audit log: appended to, never edited. */
export interface AuditRepo {
  /** Appends lines; a line whose id is stored already is left as it is. */
  append(entries: AuditEntry[]): Promise<void>;
  /** Entries in the order they were appended, after the one with the cursor id. */
  list(limit: number, afterId?: string): Promise<AuditEntry[]>;
}

/** Kept requests by caller and `Idempotency-Key` (API.md "Retries: every change happens once"). */
export interface IdempotencyRepo {
  /** Stores the claim unless the caller's key is stored already; answers the row as it is after. */
  claim(row: KeptRequest): Promise<KeptRequest>;
  /**
   * Takes over a claim from `fromOwner` (whose lease ran out) while no answer is kept: true when
   * this call won it (a compare-and-set, so of two retries at once one runs).
   */
  takeOver(
    scope: string,
    key: string,
    fromOwner: string,
    owner: string,
    leaseUntilMs: number,
    /** Also a claim whose change committed (a use case that finds its own work again). */
    evenIfCommitted: boolean,
  ): Promise<boolean>;
  /**
   * Marks the change committed, in the change's own transaction: false when `owner` no longer
   * holds the claim (a retry took it over), and the change must then not commit.
   */
  committed(
    scope: string,
    key: string,
    owner: string,
    atMs: number,
    targetId: string | null,
  ): Promise<boolean>;
  /** Keeps the answer of the request `owner` ran. */
  keep(scope: string, key: string, owner: string, answer: KeptAnswer): Promise<void>;
  /** Gives the claim up with no answer kept: deleted if nothing committed, else left for its twin to report. */
  release(scope: string, key: string, owner: string): Promise<void>;
  /** Deletes kept requests created before `beforeMs`; answers how many. */
  purge(beforeMs: number): Promise<number>;
}
