import { type Config, ConfigError, loadConfig } from '../config.js';
import { type Database, DataDirLockedError, openDatabase } from '../platform/db/client.js';

/** A wrong command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * The frame every command-line tool shares: parse the arguments, read the configuration, open and
 * migrate the database (refusing a data folder another process holds), run, close. `expected` lists
 * the errors the tool reports as a plain French message with exit code 2.
 */
export async function runCommand<Args extends { help?: boolean }>(options: {
  argv: string[];
  usage: string;
  parse: (argv: string[]) => Args;
  expected?: (new (...args: never[]) => Error)[];
  work: (args: Args, config: Config, database: Database) => Promise<number>;
}): Promise<number> {
  let args: Args;
  let config: Config;
  try {
    args = options.parse(options.argv);
    if (args.help) {
      console.log(options.usage);
      return 0;
    }
    config = loadConfig();
  } catch (error) {
    if (error instanceof UsageError || error instanceof ConfigError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }

  let database: Database;
  try {
    database = await openDatabase({ url: config.DATABASE_URL, dataDir: config.dataDir });
  } catch (error) {
    if (error instanceof DataDirLockedError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  try {
    await database.migrate();
    return await options.work(args, config, database);
  } catch (error) {
    if (options.expected?.some((type) => error instanceof type)) {
      console.error((error as Error).message);
      return 2;
    }
    throw error;
  } finally {
    await database.close();
  }
}
