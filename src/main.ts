/**
 * Entry point of `npm start`: configuration → store (with the demo world on first start) →
 * services → GraphQL over HTTP. SIGINT/SIGTERM drain and exit.
 */
import 'reflect-metadata';
import { MixtapeApp } from './app.js';
import { ConfigError, describeMode, loadConfig } from './config.js';
import { consoleProgress } from './lib/progress.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const mode = describeMode(config);
  console.log(`Mixtape starting: ${mode.store} store, ${mode.execution} execution, data in ${config.mongodbUri ? 'MongoDB' : config.dataDir}`);
  const app = await MixtapeApp.create(config, { progress: consoleProgress() });
  const url = await app.listen();
  console.log(`Mixtape ready at ${url}${config.env === 'production' ? '' : ' (open it in a browser for Apollo Sandbox)'}`);
  if (!config.adminToken && config.env !== 'production') {
    console.log('No ADMIN_TOKEN set: every request has admin rights (local sandbox). Set ADMIN_TOKEN to enforce access rules.');
  }
  const stop = (signal: string) => {
    console.log(`${signal}: draining …`);
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) console.error(error.message);
  else console.error('Mixtape failed to start:', error);
  process.exit(1);
});
