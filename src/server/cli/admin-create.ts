/**
 * `npm run admin:create -- --email x@y.fr [--name "…"]`: creates (or promotes) an operator admin in the
 * configured database (DATABASE_URL, or the PGlite folder of DATA_DIR, which the server must not hold).
 * The password comes from SOCLE_ADMIN_PASSWORD or is typed without echo.
 */

import readline from 'node:readline/promises';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { AdminCreateError, accountExists, createOperatorAdmin } from '../modules/accounts/operator-admin.js';
import { passwordProblem } from '../modules/accounts/password.js';
import { runCommand, UsageError } from './command.js';

const USAGE = `Usage :
  npm run admin:create -- --email adresse@exemple.fr [--name "Prénom Nom"]
      [--operator-name "Syndicat mixte …" --operator-siren 123456789] [--reset-password]

Crée le compte d'un administrateur de l'opérateur, ou donne ce rôle à un compte existant.
  --operator-name, --operator-siren   nécessaires si l'organisation de l'opérateur n'existe pas encore
  --reset-password                    change aussi le mot de passe d'un compte existant
Le mot de passe (au moins 12 caractères) est lu dans SOCLE_ADMIN_PASSWORD, sinon demandé sans écho.`;

export { UsageError };

export interface AdminCreateArgs {
  help: boolean;
  email: string;
  name?: string;
  operatorName?: string;
  operatorSiren?: string;
  resetPassword: boolean;
}

const readOptions = (args: string[]) =>
  parseArgs({
    args,
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'operator-name': { type: 'string' },
      'operator-siren': { type: 'string' },
      'reset-password': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }).values;

export function parseAdminCreateArgs(argv: string[]): AdminCreateArgs {
  let values: ReturnType<typeof readOptions>;
  try {
    values = readOptions(argv);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const quoted = /'([^' ]+)/.exec(message)?.[1] ?? '';
    throw new UsageError(`Commande incorrecte : option inconnue ou incomplète ${quoted}.\n${USAGE}`);
  }
  if (values.help) return { help: true, email: '', resetPassword: false };
  if (typeof values.email !== 'string' || values.email.trim() === '') {
    throw new UsageError(`L'option --email est obligatoire.\n${USAGE}`);
  }
  return {
    help: false,
    email: values.email,
    name: values.name,
    operatorName: values['operator-name'],
    operatorSiren: values['operator-siren'],
    resetPassword: values['reset-password'] === true,
  };
}

/** Asks questions on the terminal without echoing the answers (one interface: typed-ahead lines survive). */
function hiddenPrompt() {
  let muted = false;
  const output = new Writable({
    write(chunk, encoding, callback) {
      if (!muted) process.stdout.write(chunk, encoding);
      callback();
    },
  });
  const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
  return {
    async ask(question: string): Promise<string> {
      process.stdout.write(question);
      muted = true;
      try {
        return await rl.question('');
      } finally {
        muted = false;
        process.stdout.write('\n');
      }
    },
    close: () => rl.close(),
  };
}

async function readPassword(): Promise<string> {
  const fromEnv = process.env.SOCLE_ADMIN_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    throw new AdminCreateError(
      'Aucun terminal pour saisir le mot de passe : définissez la variable SOCLE_ADMIN_PASSWORD.',
    );
  }
  const prompt = hiddenPrompt();
  try {
    for (;;) {
      const password = await prompt.ask('Mot de passe (au moins 12 caractères) : ');
      const problem = passwordProblem(password);
      if (problem) {
        console.error(problem);
        continue;
      }
      if ((await prompt.ask('Confirmez le mot de passe : ')) === password) return password;
      console.error('Les deux saisies diffèrent : recommencez.');
    }
  } finally {
    prompt.close();
  }
}

function run(): Promise<number> {
  return runCommand({
    argv: process.argv.slice(2),
    usage: USAGE,
    parse: parseAdminCreateArgs,
    expected: [AdminCreateError],
    work: async (args, _config, database) => {
      const exists = await accountExists(database.db, args.email);
      const password = !exists || args.resetPassword ? await readPassword() : undefined;
      const result = await createOperatorAdmin(database.db, {
        email: args.email,
        displayName: args.name,
        password,
        resetPassword: args.resetPassword,
        operatorName: args.operatorName,
        operatorSiren: args.operatorSiren,
      });
      if (result.operator.created)
        console.log(`Organisation de l'opérateur créée : ${result.operator.name}.`);
      console.log(
        result.accountCreated
          ? `Compte créé : ${args.email.trim().toLowerCase()} est administrateur de ${result.operator.name}.`
          : `${args.email.trim().toLowerCase()} est maintenant administrateur de ${result.operator.name}${result.passwordChanged ? ' (mot de passe changé, sessions fermées)' : ' (mot de passe inchangé)'}.`,
      );
      return 0;
    },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then(
    (code) => process.exit(code),
    (error) => {
      console.error(
        `La création de l'administrateur a échoué : ${error instanceof Error ? error.message : error}`,
      );
      process.exit(1);
    },
  );
}
