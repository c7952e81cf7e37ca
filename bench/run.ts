/**
 * `npm run bench -- <name> [args…]`: runs bench/<name>.ts, which prints its figures.
 * Benchmarks measure; tests assert. Record what a benchmark prints in docs/benchmarks.md
 * with the exact command.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const available = fs.readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'run.ts').map((f) => f.replace(/\.ts$/, ''));
const [name, ...args] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [args…]`);
  process.exit(2);
}
const module = (await import(pathToFileURL(path.join(here, `${name}.ts`)).href)) as { run(args: string[]): Promise<void> };
await module.run(args);
