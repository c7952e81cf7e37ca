/**
 * The recommendation pipeline's public surface: what the service, the training job and tests
 * use. Internal helpers (top-k selection, key maps) stay behind their own modules.
 */
export { BLEND_DECISIONS, type BlendDecision } from './blend.js';
export { AUDIO_FEATURES, CatalogueIndex } from './catalogue-index.js';
export type { CfModelView } from './cf-view.js';
export { debugItem, type ItemDebug, type SourceDebug } from './debug.js';
export { computeFeatures, FEATURE_COUNT, FEATURE_NAMES } from './features.js';
export { ItemStats } from './item-stats.js';
export { type Gathered, type PipelineItem, type PipelineResult, type PipelineTrace, RecommendationPipeline } from './pipeline.js';
export { type TrackArtists, trackArtistsOf, type UserProfile, userProfile } from './profile.js';
export { BLEND_RANKER } from './ranking/rank.js';
export { LambdaMartRanker, type LearnedRanker, WeightedBlend } from './ranking/ranker.js';
export { loadRanker, RANKER_FILE, saveRanker } from './ranking/ranker-file.js';
export { DEFAULT_PIPELINE_SETTINGS, MAX_CANDIDATES_LIMIT, type PipelineSettings, pipelineSettings } from './settings.js';
export { CfSource, defaultSources, FreshReleasesSource, ItemToItemSource, PopularSource, SocialSource, TagAffinitySource } from './sources/index.js';
export type { CandidateSource, PipelineModels, SourceInput, SourceOutput } from './sources/source.js';
export * from './types.js';
