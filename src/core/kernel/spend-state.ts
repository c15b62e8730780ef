import type { SpendControls, SpentSince } from './ports.ts';

/** What an account has set to control its spending, as of `atMs`. */
export interface Limits extends SpendControls {
  atMs: number;
}

/** Credits used in the current day and month, as of `atMs`. */
export interface Spent {
  dayStartMs: number;
  monthStartMs: number;
  day: SpentSince;
  month: SpentSince;
  atMs: number;
}

/** What a process keeps in memory of spend controls (a leaf module: the context holds it). */
export interface SpendState {
  /** Whether any account has a limit or an auto top-up, or any key a limit (null: not known yet); skips all of this when false. */
  anyLimits: { value: boolean; atMs: number } | null;
  limits: Map<string, Limits>;
  spent: Map<string, Spent>;
}
