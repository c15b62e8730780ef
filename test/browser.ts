import { existsSync, mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { type Browser, chromium, type Page } from 'playwright-core';
import { describe } from 'vitest';

/** Debian's chromium, which .ci/run installs; the browser suites say so when it is missing. */
export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, 'artifacts');

export const hasChromium = existsSync(CHROMIUM);

/** `describe` when Chromium is here, otherwise a skipped suite and a line that says why. */
export function browserSuite(name: string, body: () => void) {
  if (!hasChromium) console.log(`SKIPPED: ${name} needs ${CHROMIUM} (apt-get install chromium)`);
  (hasChromium ? describe : describe.skip)(name, body);
}

export async function launchChromium(): Promise<Browser> {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A whole-page screenshot into test/artifacts, for a person to look at. Screenshots are not
 * assertions: Chromium under a loaded CI machine sometimes answers "Unable to capture
 * screenshot", so it is tried three times and then reported, without failing the test.
 */
export async function screenshot(page: Page, file: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.screenshot({ path: join(ARTIFACTS, file), fullPage: true, timeout: 10_000 });
      return;
    } catch (error) {
      if (attempt === 3) {
        console.warn(`screenshot ${file} not taken: ${(error as Error).message.split('\n')[0]}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 250 * attempt));
    }
  }
}

/** An app (`createApp`'s) served over HTTP on a free port of 127.0.0.1, for the browser to open. */
export async function serve(app: { fetch: (request: Request) => Response | Promise<Response> }): Promise<{
  base: string;
  server: Server;
}> {
  const server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}
