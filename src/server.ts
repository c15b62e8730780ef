/** `npm start`: the standalone server. */
import { serveStandalone } from './serve.ts';

await serveStandalone();
