/**
 * The domain records Mixtape stores and reasons about. These are plain data: the store
 * adapters persist them as they are, the services compute with them, and the GraphQL
 * layer exposes them through its own types. Nothing here knows about GraphQL or a database.
 */

export const INTERACTION_TYPES = ['PLAY', 'SKIP', 'LIKE', 'DISLIKE', 'SAVE', 'COMPLETE', 'TAG'] as const;
export type InteractionType = (typeof INTERACTION_TYPES)[number];

export const DEVICES = ['MOBILE', 'DESKTOP', 'WEB', 'SPEAKER', 'CAR', 'TV', 'WEARABLE', 'OTHER'] as const;
export type Device = (typeof DEVICES)[number];

export const WEATHERS = ['CLEAR', 'CLOUDY', 'RAIN', 'SNOW', 'STORM', 'FOG', 'HOT', 'COLD'] as const;
export type Weather = (typeof WEATHERS)[number];

export const ACTIVITIES = [
  'COMMUTE', 'WORK', 'STUDY', 'WORKOUT', 'RELAX', 'PARTY', 'SLEEP', 'COOKING', 'DRIVING', 'GAMING',
] as const;
export type Activity = (typeof ACTIVITIES)[number];

export const PLAYLIST_KINDS = ['USER', 'DISCOVER_WEEKLY', 'DAILY_MIX', 'RADIO', 'CONTEXT'] as const;
export type PlaylistKind = (typeof PLAYLIST_KINDS)[number];

export const TARGET_KINDS = ['TRACK', 'ARTIST'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

/** Coarse location only: Mixtape never stores coordinates finer than a city. */
export interface CoarseLocation {
  /** ISO 3166-1 alpha-2, upper case. */
  country: string;
  region?: string;
  city?: string;
}

/** Where and how a listener is listening. Every field is optional except the moment. */
export interface ListeningContext {
  /** Milliseconds since the epoch (UTC). */
  timestamp: number;
  /** IANA time zone of the listener, e.g. "Europe/Stockholm"; local hour and weekday derive from it. */
  timezone?: string;
  device?: Device;
  location?: CoarseLocation;
  weather?: Weather;
  activity?: Activity;
}

export interface User {
  id: string;
  displayName: string;
  country?: string;
  timezone?: string;
  /** Where the user came from: "demo", "lastfm-2k", "spotify-history", "api". */
  source: string;
  friendIds: string[];
  createdAt: number;
}

export interface TagCount {
  tag: string;
  count: number;
}

export interface Artist {
  id: string;
  name: string;
  genres: string[];
  tags: TagCount[];
  url?: string;
  imageUrl?: string;
  source: string;
}

export interface AudioFeatures {
  danceability?: number;
  energy?: number;
  key?: number;
  loudness?: number;
  mode?: number;
  speechiness?: number;
  acousticness?: number;
  instrumentalness?: number;
  liveness?: number;
  valence?: number;
  tempo?: number;
}

export interface Track {
  id: string;
  title: string;
  artistIds: string[];
  album?: string;
  durationMs?: number;
  /** ISO date (YYYY, YYYY-MM or YYYY-MM-DD as known). */
  releaseDate?: string;
  genres: string[];
  tags: string[];
  audioFeatures?: AudioFeatures;
  popularity?: number;
  /** Lower-cased, accent-folded title, album and artist names, for substring search. */
  searchText: string;
  source: string;
}

export interface Playlist {
  id: string;
  ownerId: string;
  name: string;
  description?: string;
  kind: PlaylistKind;
  trackIds: string[];
  /** Incremented on every change; lets a client detect concurrent edits. */
  revision: number;
  createdAt: number;
  updatedAt: number;
}

/**
 * One thing a user did with a track or an artist. `eventId` is chosen by the client and makes
 * ingestion idempotent: the store keeps the first event with a given id and ignores repeats.
 * `count` > 1 stands for aggregated plays (Last.fm play counts are user–artist totals).
 */
export interface Interaction {
  eventId: string;
  userId: string;
  targetKind: TargetKind;
  targetId: string;
  type: InteractionType;
  msPlayed?: number;
  count: number;
  /** The tag given, for TAG events. */
  tag?: string;
  context: ListeningContext;
  receivedAt: number;
}

export interface ModelVersion {
  id: string;
  model: string;
  createdAt: number;
  active: boolean;
  metrics: Record<string, number>;
  params: Record<string, unknown>;
  artifactPath?: string;
  dataWindow?: { from: number; to: number; interactions: number };
}
