/**
 * GraphQL enums, registered from the domain's value lists so the two can never drift apart.
 */
import { registerEnumType } from 'type-graphql';
import {
  ACTIVITIES, type Activity, DEVICES, type Device, INTERACTION_TYPES, type InteractionType, PLAYLIST_KINDS,
  type PlaylistKind, TARGET_KINDS, type TargetKind, WEATHERS, type Weather,
} from '../../domain/types.js';
import { BLEND_DECISIONS } from '../../pipeline/index.js';

function enumObject<T extends string>(values: readonly T[]): Record<T, T> {
  return Object.fromEntries(values.map((v) => [v, v])) as Record<T, T>;
}

export const InteractionTypeEnum = enumObject<InteractionType>(INTERACTION_TYPES);
export const DeviceEnum = enumObject<Device>(DEVICES);
export const WeatherEnum = enumObject<Weather>(WEATHERS);
export const ActivityEnum = enumObject<Activity>(ACTIVITIES);
export const PlaylistKindEnum = enumObject<PlaylistKind>(PLAYLIST_KINDS);
export const TargetKindEnum = enumObject<TargetKind>(TARGET_KINDS);
export const SourceStateEnum = enumObject(['OK', 'EMPTY', 'TIMEOUT', 'FAILED'] as const);
export const BlendDecisionEnum = enumObject(['NOT_A_CANDIDATE', ...BLEND_DECISIONS] as const);
export const ExclusionReasonEnum = enumObject(['PLAYED', 'SKIPPED', 'DISLIKED'] as const);

registerEnumType(InteractionTypeEnum, {
  name: 'InteractionType',
  description: 'What a listener did. TAG carries a free-text tag; SKIP is a play stopped early.',
});
registerEnumType(DeviceEnum, { name: 'Device' });
registerEnumType(WeatherEnum, { name: 'Weather' });
registerEnumType(ActivityEnum, { name: 'Activity' });
registerEnumType(PlaylistKindEnum, { name: 'PlaylistKind' });
registerEnumType(TargetKindEnum, { name: 'TargetKind', description: 'Whether a recommendation or interaction is about a track or an artist.' });
registerEnumType(SourceStateEnum, { name: 'SourceState', description: 'How a candidate source fared for one request.' });
registerEnumType(BlendDecisionEnum, {
  name: 'BlendDecision',
  description: 'What blending did with a candidate: listed (PICKED, EXPLORATION), removed (EXCLUDED, ARTIST_CAP, ALBUM_CAP), or never got its turn (NOT_REACHED).',
});
registerEnumType(ExclusionReasonEnum, { name: 'ExclusionReason', description: 'Why an item is never recommended to a listener.' });
