// Copies the files the compiled server loads at run time besides its JavaScript — the
// WebAssembly kernels and the worker-thread boot files — from src/ to the same places in dist/.
import fs from 'node:fs';
import path from 'node:path';

const ASSET = /(\.wasm|-boot\.mjs)$/;
const from = path.resolve('src');
const to = path.resolve('dist');
let copied = 0;

function walk(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const source = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(source);
    else if (ASSET.test(entry.name)) {
      const target = path.join(to, path.relative(from, source));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(source, target);
      copied++;
    }
  }
}

walk(from);
console.log(`copied ${copied} run-time assets to dist/`);
