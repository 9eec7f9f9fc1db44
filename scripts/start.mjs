/**
 * `npm start`: builds what is out of date — the web app (vite) and the server (tsc → dist/server) —
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

const serverBuilt = path.join(root, 'dist/server/.built');
if (
  mtime(serverBuilt) <
  Math.max(newestOf('src/server', 'src/contracts'), mtime(path.join(root, 'tsconfig.server.json')))
) {
  const tsc = path.join(path.dirname(require.resolve('typescript/package.json')), 'bin/tsc');
  run('Compilation du serveur…', tsc, ['-p', 'tsconfig.server.json']);
  fs.writeFileSync(serverBuilt, `${new Date().toISOString()}\n`);
}

await import(pathToFileURL(path.join(root, 'dist/server/server/serve.js')).href);
