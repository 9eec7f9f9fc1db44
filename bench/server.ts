/** The real server entry, without the web build step of `npm start`: what the benchmark drives. */
import { main } from '../src/server/main.js';

await main();
