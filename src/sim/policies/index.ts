/**
 * The built-in policies by name, and a GraphQL endpoint URL as a policy:
 *
 *   random, popularity, oracle, oracle-no-context,
 *   cf-als, cf-bpr, cf-item-knn       (the project's CF models, trained directly)
 *   mixtape, mixtape-popularity       (the project's service, in process)
 *   http(s)://host:port/graphql       (a running server)
 */
import type { World } from '../world.js';
import { CF_ALGORITHMS, type CfAlgorithm, CfPolicy } from './cf.js';
import { HttpPolicy } from './http.js';
import { MixtapePolicy } from './mixtape.js';
import { OraclePolicy } from './oracle.js';
import type { Policy } from './policy.js';
import { PopularityPolicy } from './popularity.js';
import { RandomPolicy } from './random.js';

export type { Policy } from './policy.js';

export const POLICY_NAMES = [
  'random', 'popularity', 'oracle', 'oracle-no-context', ...CF_ALGORITHMS.map((a) => `cf-${a}`), 'mixtape', 'mixtape-popularity',
] as const;

export interface PolicyOptions {
  /** Batch learners retrain every this many simulated days. */
  retrainDays?: number;
  /** Admin token for a GraphQL endpoint. */
  token?: string;
  log?: (line: string) => void;
}

export function isPolicyName(name: string): boolean {
  return (POLICY_NAMES as readonly string[]).includes(name) || /^https?:\/\//.test(name);
}

export async function createPolicy(name: string, world: World, options: PolicyOptions = {}): Promise<Policy> {
  const retrainDays = Math.max(1, Math.floor(options.retrainDays ?? 1));
  if (/^https?:\/\//.test(name)) return HttpPolicy.create(name, world, { token: options.token });
  switch (name) {
    case 'random':
      return new RandomPolicy(world);
    case 'popularity':
      return new PopularityPolicy(world);
    case 'oracle':
      return new OraclePolicy(world, true);
    case 'oracle-no-context':
      return new OraclePolicy(world, false);
    case 'mixtape':
      return MixtapePolicy.create(world, { train: true, retrainDays, log: options.log });
    case 'mixtape-popularity':
      return MixtapePolicy.create(world, { train: false, retrainDays, log: options.log });
    default:
      if (name.startsWith('cf-') && (CF_ALGORITHMS as readonly string[]).includes(name.slice(3))) {
        return CfPolicy.create(world, name.slice(3) as CfAlgorithm, retrainDays);
      }
      throw new RangeError(`unknown policy "${name}": use one of ${POLICY_NAMES.join(', ')} or a GraphQL endpoint URL`);
  }
}
