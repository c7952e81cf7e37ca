/**
 * Writes the GraphQL schema to schema/schema.graphql (`npm run schema`), or with --check
 * fails when the committed file differs from what the code builds (`npm run schema:check`).
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import { buildMixtapeSchema, printMixtapeSchema } from '../resolvers/schema.js';

const file = path.resolve('schema/schema.graphql');
const printed = printMixtapeSchema(await buildMixtapeSchema());

if (process.argv.includes('--check')) {
  const committed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (committed !== printed) {
    console.error(`${path.relative(process.cwd(), file)} is out of date with the resolvers: run \`npm run schema\` and commit the result.`);
    process.exit(1);
  }
  console.log('schema/schema.graphql is up to date.');
} else {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, printed);
  console.log(`Wrote ${path.relative(process.cwd(), file)}`);
}
