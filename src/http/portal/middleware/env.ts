/** The portal's middleware works on the app's one Hono environment (src/http/env.ts). */
export type { Env as PortalEnv } from '../../env.ts';
