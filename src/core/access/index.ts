/** The access feature's face: what other features, the engine's wiring and the edges may use. */
export * from './accounts.ts';
export * from './keys.ts';
export * from './operators.ts';
export * from './portal.ts';
export * from './slice.ts';
