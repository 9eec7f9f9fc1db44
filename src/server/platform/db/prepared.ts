import type { Executor } from './client.js';

/** What drizzle's builders hand their session when they prepare (PgSession.prepareQuery's arguments). */
type PrepareArguments = unknown[];

interface DrizzlePrepared<R> {
  execute(placeholders?: Record<string, unknown>): Promise<R>;
}

interface SessionOf {
  session: { prepareQuery(...args: PrepareArguments): DrizzlePrepared<unknown> & Record<string, unknown> };
}

/** The settings drizzle's builders set on the prepared query after `prepareQuery` (select joins). */
const AFTER_PREPARE = ['joinsNotNullableMap'] as const;

/**
 * A statement of fixed shape whose SQL is built once per process instead of on every call: drizzle
 * otherwise rebuilds a select's SQL text from its builder each time (~50–150 µs of CPU for a page's
 * select with joins and subqueries), although only the values change. `build` receives an executor
 * and returns the query with `sql.placeholder(name)` where values go; the returned function runs it
 * on any executor (the database, a request's transaction, PGlite or PostgreSQL) with the values.
 *
 * The first call builds it on a stand-in session that only records what drizzle would prepare; each
 * call then asks the executor's own session to prepare that recorded query, which costs an object,
 * and executes it as drizzle does (same statement name, same row mapping). On PostgreSQL the
 * statement is named `name`, so each connection parses and plans it once.
 */
export function preparedStatement<R>(
  name: string,
  build: (db: Executor) => { prepare(name: string): DrizzlePrepared<R> },
): (db: Executor, values: Record<string, unknown>) => Promise<R> {
  let recorded: { args: PrepareArguments; after: Record<string, unknown> } | null = null;
  const record = (db: Executor) => {
    let args: PrepareArguments | null = null;
    const after: Record<string, unknown> = {};
    // What the builder gets back from prepareQuery: it sets its extras on it (joinsNotNullableMap)
    // and its auth token (always undefined here) through setToken, which returns it.
    const preparedStandIn: object = new Proxy(
      { setToken: () => preparedStandIn },
      {
        set: (_target, key, value) => {
          after[String(key)] = value;
          return true;
        },
      },
    );
    const recordingSession = {
      prepareQuery: (...given: PrepareArguments) => {
        args = given;
        return preparedStandIn;
      },
    };
    build(Object.assign(Object.create(db), { session: recordingSession }) as Executor).prepare(name);
    if (!args) throw new Error(`preparedStatement ${name}: the builder prepared nothing`);
    for (const key of Object.keys(after)) {
      if (!(AFTER_PREPARE as readonly string[]).includes(key)) {
        throw new Error(`preparedStatement ${name}: drizzle set ${key} on its prepared query, unknown here`);
      }
    }
    return { args: args as PrepareArguments, after };
  };
  return (db, values) => {
    recorded ??= record(db);
    const query = (db as unknown as SessionOf).session.prepareQuery(...recorded.args);
    Object.assign(query, recorded.after);
    return query.execute(values) as Promise<R>;
  };
}
