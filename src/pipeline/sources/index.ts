/** The candidate sources, one per file, and the default set in SOURCE_NAMES order. */
import { CfSource } from './cf.js';
import { FreshReleasesSource } from './fresh.js';
import { ItemToItemSource } from './item-to-item.js';
import { PopularSource } from './popular.js';
import { SocialSource } from './social.js';
import type { CandidateSource } from './source.js';
import { TagAffinitySource } from './tag-affinity.js';

export { CfSource, FreshReleasesSource, ItemToItemSource, PopularSource, SocialSource, TagAffinitySource };
export type { CandidateSource, PipelineModels, SourceInput, SourceOutput } from './source.js';

export function defaultSources(): CandidateSource[] {
  return [new CfSource(), new ItemToItemSource(), new SocialSource(), new TagAffinitySource(), new PopularSource(), new FreshReleasesSource()];
}
