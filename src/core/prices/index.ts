/** The prices feature's face: what other features, the engine's wiring and the edges may use. */
export * from './pricing.ts';
export * from './tax.ts';
