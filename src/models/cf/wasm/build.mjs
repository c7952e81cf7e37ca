// `npm run build:wasm`: compiles the project's AssemblyScript kernels into .wasm binaries
// beside their sources, each with the options in the asconfig.json of its folder:
// - als: src/models/cf/wasm/als.ts → als.wasm (ALS training);
// - similarity: src/pipeline/wasm/similarity.ts → similarity.wasm (serving cosines).
// `npm run wasm:check` (also run by test/models/cf/als-wasm.test.ts and
// test/pipeline/similarity-wasm.test.ts) compiles in memory and fails when a committed binary
// differs, so the binary that a fresh clone runs cannot drift from its source.
//
// `node build.mjs [--check] [name…]`: only the named kernels, all of them by default.
//
// Plain JavaScript so that it runs without a TypeScript loader, like worker-boot.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const here = path.dirname(fileURLToPath(import.meta.url));
const KERNELS = {
  als: { dir: here, wasm: 'als.wasm' },
  similarity: { dir: path.resolve(here, '../../../pipeline/wasm'), wasm: 'similarity.wasm' },
};

const check = process.argv.includes('--check');
const names = process.argv.slice(2).filter((arg) => !arg.startsWith('--'));
for (const name of names) {
  if (!(name in KERNELS)) {
    console.error(`unknown kernel ${name} (known: ${Object.keys(KERNELS).join(', ')})`);
    process.exit(1);
  }
}

/** The binary asc makes of the kernel in `dir` (its asconfig.json), or exits on a compile error. */
async function compile(dir) {
  let built = null;
  const output = [];
  const sink = { write: (text) => output.push(String(text)) };
  const { error } = await asc.main(['--config', path.join(dir, 'asconfig.json'), '--baseDir', dir], {
    stdout: sink,
    stderr: sink,
    writeFile(name, contents) {
      if (name.endsWith('.wasm')) built = contents;
    },
  });
  if (error || !built) {
    console.error(output.join(''));
    console.error(`asc failed in ${path.relative(process.cwd(), dir)}: ${error ? error.message : 'no .wasm produced'}`);
    process.exit(1);
  }
  if (output.length > 0) console.error(output.join(''));
  return Buffer.from(built);
}

let failed = false;
for (const name of names.length > 0 ? names : Object.keys(KERNELS)) {
  const { dir, wasm } = KERNELS[name];
  const target = path.join(dir, wasm);
  const bytes = await compile(dir);
  if (check) {
    const committed = fs.existsSync(target) ? fs.readFileSync(target) : Buffer.alloc(0);
    if (!committed.equals(bytes)) {
      console.error(`${path.relative(process.cwd(), target)} does not match its source (${committed.length} bytes committed, ${bytes.length} built): run npm run build:wasm`);
      failed = true;
      continue;
    }
    console.log(`${path.relative(process.cwd(), target)} matches its source (${bytes.length} bytes)`);
  } else {
    fs.writeFileSync(target, bytes);
    console.log(`wrote ${path.relative(process.cwd(), target)} (${bytes.length} bytes)`);
  }
}
if (failed) process.exit(1);
