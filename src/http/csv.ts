import type { Context } from 'hono';

/**
 * A text cell: quoted when it holds a separator (`,` or `;`), a quote or a line break, and prefixed with `'` when it begins with a
 * character a spreadsheet would read as a formula (`= + - @`, tab, CR), so an event id such as
 * `=HYPERLINK(...)` opens as text.
 */
export const csvCell = (v: string): string => {
  const text = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  // `;` too: spreadsheets in locales whose list separator it is split the cell there.
  return /[",;\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/**
 * A CSV file streamed from `lines` (each ending in a newline), in chunks of about 64 KiB, so
 * memory stays flat however many rows there are. A failure part-way (the store going down) fails
 * the transfer itself, so the client sees a broken download, never a shorter file that looks whole.
 * The caller reads what can fail before answering (a refusal is a JSON error, not a cut CSV).
 */
export function csvAnswer(
  c: Context,
  filename: string,
  header: string,
  lines: AsyncIterable<string>,
): Response {
  const encoder = new TextEncoder();
  const rows = lines[Symbol.asyncIterator]();
  let pending = header;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (pending.length < 64 * 1024) {
          const next = await rows.next();
          if (next.done) {
            if (pending) controller.enqueue(encoder.encode(pending));
            controller.close();
            return;
          }
          pending += next.value;
        }
        controller.enqueue(encoder.encode(pending));
        pending = '';
      } catch (error) {
        controller.error(error);
      }
    },
    async cancel() {
      await rows.return?.(undefined);
    },
  });
  return c.body(body, 200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
  });
}
