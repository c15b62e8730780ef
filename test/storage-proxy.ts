import type { Tx } from '../src/core/kernel/ports.ts';

/**
 * A unit of work whose every repository call (`repo.method`) goes through `around`, for tests that
 * inject faults or pause a unit of work at a chosen step.
 */
export function aroundTx(
  tx: Tx,
  around: (name: string, call: () => Promise<unknown>) => Promise<unknown>,
): Tx {
  return new Proxy(tx, {
    get(target, repoName) {
      const repo = target[repoName as keyof Tx] as unknown as Record<string, unknown>;
      return new Proxy(repo, {
        get(r, method) {
          const f = r[method as string];
          if (typeof f !== 'function') return f;
          return (...args: unknown[]) =>
            around(`${String(repoName)}.${String(method)}`, () =>
              (f as (...a: unknown[]) => Promise<unknown>).apply(r, args),
            );
        },
      });
    },
  });
}
