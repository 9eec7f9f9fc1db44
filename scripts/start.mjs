/**
 * `npm start`: builds what is out of date — the web app (vite) and the server (esbuild → dist/server) —
 * then runs the compiled server in this process. Plain JavaScript on purpose: no TypeScript loader
 * stays in the server's memory (tsx costs ~35 MB resident).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);
const newestOf = (...dirs) => Math.max(...dirs.map((dir) => newestMtime(path.join(root, dir))));

function run(message, script, args) {
  console.log(message);
  const result = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`Échec : ${path.relative(root, script)} ${args.join(' ')} (code ${result.status}).`);
    process.exit(result.status ?? 1);
  }
}

const webBuilt = path.join(root, 'dist/web/index.html');
if (mtime(webBuilt) < newestOf('src/web', 'src/contracts')) {
  const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin/vite.js');
  run("Construction de l'application web…", vite, ['build', '--logLevel', 'warn']);
}

/** The server's sources as tsconfig.server.json lists them: no tests, no declarations. */
function serverSources(dir, found = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (full !== path.join(root, 'src/server/test')) serverSources(full, found);
    } else if (entry.name.endsWith('.ts') && !/\.(test|test-support|d)\.ts$/.test(entry.name)) {
      found.push(full);
    }
  }
  return found;
}

const serverBuilt = path.join(root, 'dist/server/.built');
if (
  mtime(serverBuilt) <
  Math.max(newestOf('src/server', 'src/contracts'), mtime(path.join(root, 'tsconfig.server.json')))
) {
  // Transpiled file by file by esbuild (under a second) rather than compiled by tsc (~25 s): the types
  // are checked by `npm test`, and the sources are written for it (isolatedModules,
  // verbatimModuleSyntax, imports ending in .js), so each file translates alone, to the same paths.
  console.log('Compilation du serveur…');
  const esbuild = await import('esbuild');
  try {
    await esbuild.build({
      entryPoints: [
        ...serverSources(path.join(root, 'src/server')),
        ...serverSources(path.join(root, 'src/contracts')),
      ],
      outdir: path.join(root, 'dist/server'),
      outbase: path.join(root, 'src'),
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
    });
  } catch (error) {
    console.error(`Échec de la compilation du serveur : ${error.message}`);
    process.exit(1);
  } finally {
    await esbuild.stop();
  }
  fs.writeFileSync(serverBuilt, `${new Date().toISOString()}\n`);
}

await import(pathToFileURL(path.join(root, 'dist/server/server/serve.js')).href);
