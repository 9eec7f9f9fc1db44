/**
 * `npm test`: the type check (tsc) and the lint (Biome) run beside Vitest instead of before it. On a
 * 2-core machine they fill the time the browser files leave idle (their pages and servers wait more than
 * they compute). Vitest's output is shown as it comes; tsc's and Biome's once all three are done, with a
 * line per step. The command fails when any of them fails. Arguments go to Vitest (`npm test -- …`).
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const bin = (pkg, file) => path.join(path.dirname(require.resolve(`${pkg}/package.json`)), file);

/** Runs a Node script; its output is kept (`capture`) or passed through. Resolves with its exit code. */
function run(script, args, capture) {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, [script, ...args], {
      cwd: root,
      stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit',
    });
    const chunks = [];
    child.stdout?.on('data', (chunk) => chunks.push(chunk));
    child.stderr?.on('data', (chunk) => chunks.push(chunk));
    child.on('error', (error) => chunks.push(Buffer.from(`${error.message}\n`)));
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 1 : 0),
        output: Buffer.concat(chunks).toString(),
        seconds: Math.round((performance.now() - started) / 1000),
      }),
    );
  });
}

const steps = [
  ['Types (tsc)', run(bin('typescript', 'bin/tsc'), ['--noEmit'], true)],
  ['Lint (Biome)', run(bin('@biomejs/biome', 'bin/biome'), ['check'], true)],
  ['Tests (Vitest)', run(bin('vitest', 'vitest.mjs'), ['run', ...process.argv.slice(2)], false)],
];
const results = await Promise.all(steps.map(([, result]) => result));
let failed = 0;
steps.forEach(([name], index) => {
  const { code, output, seconds } = results[index];
  if (code !== 0) {
    failed = failed || code;
    if (output.trim()) console.error(`\n── ${name} ──\n${output.trimEnd()}`);
  }
  console.log(
    `${code === 0 ? '✓' : '✗'} ${name} : ${code === 0 ? 'réussi' : `échec (code ${code})`} en ${seconds} s`,
  );
});
process.exitCode = failed;
