/** The reports feature's face: what other features, the engine's wiring and the edges may use. */
export * from './finance-reports.ts';
export * from './slice.ts';
export * from './trace.ts';
