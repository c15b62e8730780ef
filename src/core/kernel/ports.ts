/**
 * The ports the core needs from the outside world. Storage ports are async and coarse: one
 * method is one step of a use case. Adapters live in `src/adapters`.
 * Each family has its own file in `ports/`; this is their face.
 */

export type * from './ports/access.ts';
export type * from './ports/edges.ts';
export type * from './ports/money.ts';
export type * from './ports/prices.ts';
export type * from './ports/spend.ts';
export type * from './ports/storage.ts';
export type * from './ports/system.ts';
export type * from './ports/usage.ts';
export type * from './ports/webhooks.ts';
