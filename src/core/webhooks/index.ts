/** The webhooks feature's face: what other features, the engine's wiring and the edges may use. */

export * from './slice.ts';
export * from './webhooks.ts';
