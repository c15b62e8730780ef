import { describe, it } from 'vitest';

// The PostgreSQL adapter is issue 7. Until it exists this file says so plainly instead of
// passing silently; once it lands it runs storageConformance against TOLLGATE_PG_URL.
const url = process.env.TOLLGATE_PG_URL;

describe('storage conformance: postgres', () => {
  it.skip(
    url
      ? 'SKIPPED: TOLLGATE_PG_URL is set, but the PostgreSQL adapter is not built yet (issue 7)'
      : 'SKIPPED: TOLLGATE_PG_URL is not set, so the Postgres suite did not run',
    () => {},
  );
});
