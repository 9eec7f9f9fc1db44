/**
 * `npm run territory:import -- --all` or `-- --regions 52,53`: imports the official territory into the
 * configured database (DATABASE_URL, or the PGlite folder of DATA_DIR, which the server must not hold).
 */

import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  importTerritory,
  knownRegionCodes,
  TerritoryScopeError,
} from '../modules/territory/territory.import.js';
import { runCommand, UsageError } from './command.js';

const USAGE = `Usage :
  npm run territory:import -- --all              importe toute la France
  npm run territory:import -- --regions 52,53    importe les régions indiquées (codes INSEE)
Sans option, les régions de OPERATOR_REGIONS sont importées.`;

export { UsageError };

function parseOptions(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      options: {
        all: { type: 'boolean' },
        regions: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
      strict: true,
    }).values;
  } catch (error) {
    const { code, message } = error as { code?: string; message: string };
    // Node's messages are English; the option name is quoted in them.
    const quoted = /'([^' ]+)/.exec(message)?.[1] ?? '';
    const reason =
      code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
        ? `option inconnue ${quoted}`
        : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
          ? `valeur manquante ou invalide pour ${quoted || 'une option'}`
          : code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
            ? `argument inattendu ${quoted}`
            : 'arguments invalides';
    throw new UsageError(`Commande incorrecte : ${reason}.\n${USAGE}`);
  }
}

/** Returns the scope to import; `null` means the configured regions. */
export function parseTerritoryImportArgs(argv: string[]): {
  regions: string[] | 'all' | null;
  help: boolean;
} {
  const { all, regions, help } = parseOptions(argv);
  if (help) return { regions: null, help: true };
  if (all && regions !== undefined) {
    throw new UsageError(`Choisissez --all ou --regions, pas les deux.\n${USAGE}`);
  }
  if (all) return { regions: 'all', help: false };
  if (regions === undefined) return { regions: null, help: false };
  const codes = regions
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean);
  if (codes.length === 0 || codes.some((code) => !/^\d{2,3}$/.test(code))) {
    throw new UsageError(
      `--regions attend des codes région séparés par des virgules, par exemple 52 ou 52,53 (reçu : « ${regions} »).\n${USAGE}`,
    );
  }
  const known = new Set(knownRegionCodes());
  const unknown = codes.filter((code) => !known.has(code));
  if (unknown.length > 0) {
    throw new UsageError(
      `Code région inconnu : ${unknown.join(', ')}. Codes valides : ${[...known].sort().join(', ')}.`,
    );
  }
  return { regions: [...new Set(codes)], help: false };
}

const formatNumber = (n: number) => n.toLocaleString('fr-FR');

function run(): Promise<number> {
  return runCommand({
    argv: process.argv.slice(2),
    usage: USAGE,
    parse: parseTerritoryImportArgs,
    expected: [TerritoryScopeError],
    work: async (args, config, database) => {
      const scope = args.regions ?? config.regions;
      console.log(
        scope === 'all'
          ? 'Import du territoire de toute la France…'
          : `Import du territoire des régions ${scope.join(', ')}…`,
      );
      const report = await importTerritory(database.db, { regions: scope });
      console.log(
        [
          `Territoire importé (millésime @etalab/decoupage-administratif ${report.vintage}, périmètre ${report.scope === 'all' ? 'toute la France' : `régions ${report.scope}`}) :`,
          `  - ${formatNumber(report.regions)} régions, ${formatNumber(report.departements)} départements`,
          `  - ${formatNumber(report.communes)} communes (population ${formatNumber(report.population)})`,
          `  - ${formatNumber(report.epci)} EPCI`,
          `  - lignes créées ou modifiées : ${formatNumber(report.written.communes)} communes, ${formatNumber(report.written.epci)} EPCI`,
          `  - marquées comme supprimées : ${formatNumber(report.abolished.communes)} communes, ${formatNumber(report.abolished.epci)} EPCI`,
          `  - durée : ${(report.durationMs / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`,
        ].join('\n'),
      );
      return 0;
    },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then(
    (code) => process.exit(code),
    (error) => {
      console.error(`L'import du territoire a échoué : ${error instanceof Error ? error.message : error}`);
      process.exit(1);
    },
  );
}
