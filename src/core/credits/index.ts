/** The credits feature's face: what other features, the engine's wiring and the edges may use. */

export * from './allowances.ts';
export * from './auto-top-up.ts';
export * from './auto-top-up-charges.ts';
export * from './credits.ts';
export * from './holds.ts';
export * from './invoices.ts';
export * from './payment-notices.ts';
export * from './refunds.ts';
export * from './slice.ts';
