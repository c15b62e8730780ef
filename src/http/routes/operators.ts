import { z } from '@hono/zod-openapi';
import { AUDIT_PAGE_MAX, OPERATOR_SCOPES } from '../../core/access/index.ts';
import type { Engine } from '../../core/engine.ts';
import type { AuditEntry, OperatorToken } from '../../core/kernel/model.ts';
import { isoUtc } from '../../core/kernel/time.ts';
import { unwrap } from '../errors.ts';
import { type AppType, jsonRoute, on, plainRoute, rawRoute } from './common.ts';

const token = (t: OperatorToken) => ({
  id: t.id,
  object: 'operator_token',
  name: t.name,
  scopes: t.scopes,
  hint: t.hint,
  created_at: isoUtc(t.createdAtMs),
  revoked_at: t.revokedAtMs === null ? null : isoUtc(t.revokedAtMs),
});

const auditLine = (e: AuditEntry) => ({
  id: e.id,
  at: isoUtc(e.atMs),
  actor: { kind: e.actor.kind, token_id: e.actor.tokenId, name: e.actor.name },
  action: e.action,
  target_id: e.targetId,
  request_id: e.requestId,
  ip: e.ip,
  amounts: e.amounts,
});

/** Operator tokens (admin scope: the edge lets only `admin` call a non-GET here) and the audit log. */
export function operatorRoutes(app: AppType, engine: Engine): void {
  for (const register of [postOperatorTokens, getOperatorTokens, deleteOperatorTokensId, getAuditLog])
    register(app, engine);
}

function postOperatorTokens(app: AppType, engine: Engine): void {
  on(
    app,
    jsonRoute(
      'post',
      '/v1/operator_tokens',
      'Create an operator token with scopes (the token is in this answer only)',
      z.strictObject({
        name: z.string().max(100),
        scopes: z
          .array(z.enum(OPERATOR_SCOPES as [string, ...string[]]))
          .min(1)
          .max(3),
      }),
      201,
    ),
    async (c) => {
      const r = unwrap(await engine.operators.create(c.req.valid('json')));
      return c.json({ ...token(r.token), token: r.secret }, 201);
    },
  );
}

function getOperatorTokens(app: AppType, engine: Engine): void {
  on(app, plainRoute('get', '/v1/operator_tokens', 'List the operator tokens not revoked'), async (c) => {
    return c.json({ data: (await engine.operators.list()).map(token) }, 200);
  });
}

function deleteOperatorTokensId(app: AppType, engine: Engine): void {
  on(
    app,
    rawRoute('delete', '/v1/operator_tokens/{id}', 'Revoke an operator token at once', 'none'),
    async (c) => {
      unwrap(await engine.operators.revoke(c.req.valid('param').id));
      return c.body(null, 204);
    },
  );
}

function getAuditLog(app: AppType, engine: Engine): void {
  on(
    app,
    plainRoute(
      'get',
      '/v1/audit_log',
      'Every change made with an operator token, the portal or the CLI, oldest first',
      z.object({
        limit: z.coerce.number().int().min(1).max(AUDIT_PAGE_MAX).default(100),
        cursor: z.string().max(64).optional(),
      }),
    ),
    async (c) => {
      const q = c.req.valid('query');
      const page = await engine.audit.list(q.limit, q.cursor);
      return c.json({ data: page.data.map(auditLine), next_cursor: page.nextCursor }, 200);
    },
  );
}
