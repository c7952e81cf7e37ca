// `npm run build:wasm`: compiles als.ts (AssemblyScript) into als.wasm beside it, with the
// options in asconfig.json. `npm run wasm:check` (also run by test/models/cf/als-wasm.test.ts)
// compiles in memory and fails when the committed als.wasm differs, so the binary that a
// fresh clone runs cannot drift from its source.
//
// Plain JavaScript so that it runs without a TypeScript loader, like worker-boot.mjs.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const here = path.dirname(fileURLToPath(import.meta.url));
const target = path.join(here, 'als.wasm');
const check = process.argv.includes('--check');

let built = null;
const output = [];
const sink = { write: (text) => output.push(String(text)) };
const { error } = await asc.main(['--config', path.join(here, 'asconfig.json'), '--baseDir', here], {
  stdout: sink,
  stderr: sink,
  writeFile(name, contents) {
    if (name.endsWith('.wasm')) built = contents;
  },
});
if (error || !built) {
  console.error(output.join(''));
  console.error(`asc failed: ${error ? error.message : 'no .wasm produced'}`);
  process.exit(1);
}
if (output.length > 0) console.error(output.join(''));
const bytes = Buffer.from(built);
if (check) {
  const committed = fs.existsSync(target) ? fs.readFileSync(target) : Buffer.alloc(0);
  if (!committed.equals(bytes)) {
    console.error(`${path.relative(process.cwd(), target)} does not match its source (${committed.length} bytes committed, ${bytes.length} built): run npm run build:wasm`);
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), target)} matches its source (${bytes.length} bytes)`);
} else {
  fs.writeFileSync(target, bytes);
  console.log(`wrote ${path.relative(process.cwd(), target)} (${bytes.length} bytes)`);
}
