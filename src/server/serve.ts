/** The compiled server's entry (`npm start` runs dist/server/server/serve.js; see scripts/start.mjs). */
import { main } from './main.js';

await main();
