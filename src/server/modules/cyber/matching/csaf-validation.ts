import type { CsafTest } from '@secvisogram/csaf-validator-lib/validate.js';
import type { FieldError } from '../../../platform/errors.js';

/**
 * CSAF 2.0 validation with the BSI's Secvisogram validator (@secvisogram/csaf-validator-lib): the
 * strict JSON schema and the mandatory tests of section 6.1 (the "basic" preset). Loaded on first
 * use: it pulls in ajv and its schemas.
 */
let loaded: Promise<{
  validate: typeof import('@secvisogram/csaf-validator-lib/validate.js').default;
  schema: import('@secvisogram/csaf-validator-lib/validate.js').CsafTest[];
  tests: import('@secvisogram/csaf-validator-lib/validate.js').CsafTest[];
}> | null = null;

function load() {
  loaded ??= (async () => {
    const [{ default: validate }, basic] = await Promise.all([
      import('@secvisogram/csaf-validator-lib/validate.js'),
      import('@secvisogram/csaf-validator-lib/basic.js'),
    ]);
    const schema: CsafTest[] = [];
    const tests: CsafTest[] = [];
    for (const [name, test] of Object.entries(basic)) {
      if (name === 'default' || typeof test !== 'function') continue;
      (name.startsWith('csaf_2_0') ? schema : tests).push(test as CsafTest);
    }
    return { validate, schema, tests };
  })();
  return loaded;
}

/** At most this many messages are returned (a broken document may fail hundreds of checks). */
const MAX_ERRORS = 20;

/** The document's faults as field errors (path `body/<json pointer>`), empty when valid. */
export async function csafErrors(doc: unknown): Promise<FieldError[]> {
  const { validate, schema, tests } = await load();
  // The schema first: the mandatory tests of section 6.1 read the document as the schema describes it
  // (a list of null makes them throw), so they run only on a document the schema accepts.
  let result = await validate(schema, doc);
  if (result.isValid) result = await validate(tests, doc);
  if (result.isValid) return [];
  const errors: FieldError[] = [];
  for (const test of result.tests) {
    for (const error of test.errors) {
      errors.push({
        path: `body${error.instancePath.replaceAll('/', '.')}`,
        message: `${error.instancePath || '/'} : ${error.message} (contrôle ${test.name})`,
      });
      if (errors.length >= MAX_ERRORS) return errors;
    }
  }
  return errors;
}
