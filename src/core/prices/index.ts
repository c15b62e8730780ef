/** The prices feature's face: what other features, the engine's wiring and the edges may use. */

export * from './exchange-rates.ts';
export * from './price-list.ts';
export * from './pricing.ts';
export * from './rate-card.ts';
export * from './slice.ts';
export * from './tax.ts';
