/** The usage feature's face: what other features, the engine's wiring and the edges may use. */
export * from './billing.ts';
export * from './disputes.ts';
export * from './metering.ts';
export * from './slice.ts';
export * from './usage-views.ts';
export * from './voids.ts';
