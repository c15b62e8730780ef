import type { Engine } from '../core/engine.ts';
import type { Refusal } from '../core/kernel/errors.ts';
import type { KeptAnswer } from '../core/kernel/model.ts';
import type { RequestInput } from '../core/kernel/retries.ts';

/** How a change went: it ran (with what its work answered), its kept answer replayed, or refused. */
export type ChangeOutcome<R> =
  | { kind: 'ran'; value: R }
  | { kind: 'replay'; answer: KeptAnswer }
  | { kind: 'refused'; refusal: Refusal };

/**
 * The one path of every change made through the API or the portal (core/kernel/retries.ts): the
 * request is admitted (with an Idempotency-Key: claimed, or its kept answer replayed, or a twin
 * refused), `work` runs so that each unit of work commits the audit line (and the key's mark)
 * with its change, and `answerOf` says what its answer was (null for a 5xx: the key is given back;
 * a 2xx that ran no unit of work of its own is still a line). Answers how it went; `onKeepError`
 * hears a change that committed but whose answer could not be kept.
 * @example const outcome = await runChange(engine, input, () => handler(c), keptOf, log)
 */
export async function runChange<R>(
  engine: Engine,
  input: RequestInput,
  work: () => Promise<R>,
  answerOf: (value: R) => Promise<KeptAnswer | null>,
  onKeepError: (error: unknown) => void,
): Promise<ChangeOutcome<R>> {
  const admission = await engine.requests.begin(input);
  if (admission.kind === 'refused') return { kind: 'refused', refusal: admission.refusal };
  if (admission.kind === 'replay') return { kind: 'replay', answer: admission.answer };
  const { request } = admission;
  let value: R;
  try {
    value = await engine.requests.run(request.hook, work);
  } catch (error) {
    await request.finish(null).catch(() => undefined);
    throw error;
  }
  try {
    await request.finish(await answerOf(value));
  } catch (error) {
    // The change committed with its audit line; only the kept answer is missing. A retry is told
    // the first request made its change (never that it may run again).
    onKeepError(error);
  }
  return { kind: 'ran', value };
}
