/**
 * Online metrics of a simulation run, accumulated per slate: overall, per context segment
 * (the keys of contextSegments: "time:weekday-morning", "activity:COMMUTE", "device:CAR" …)
 * and per simulated day (the learning curve).
 */
import { contextSegments } from '../domain/context-segments.js';
import type { ListeningContext } from '../domain/types.js';
import type { ItemResponse } from './response.js';

/** What the report's numbers mean; written into every JSON report. */
export const METRIC_DEFINITIONS: Readonly<Record<string, string>> = {
  slates: 'recommendation lists shown (one per session)',
  shown: 'tracks shown (slates × their length)',
  plays: 'tracks the listener started (reached in the list)',
  streams: 'plays of 30 s or more (not skipped)',
  streamRate: 'streams / shown',
  skipRate: 'skips / plays',
  completionRate: 'plays to the end / plays',
  likeRate: 'likes / shown',
  saveRate: 'saves / shown',
  discoveryAcceptance: 'streams of tracks by artists new to the listener / plays',
  newArtistShare: 'plays of tracks by artists new to the listener / plays',
  newArtistStreamRate: 'streams / plays, among plays of tracks by artists new to the listener',
  expectedStreams: 'expected streams per slate from the hidden appeal, noise-free (response.expectedStreams)',
  oracleExpectedStreams: 'the same for the oracle’s slate in the same moment',
  regret: 'oracleExpectedStreams − expectedStreams, per slate',
  invalidItems: 'returned ids that were unknown, repeated or beyond k (dropped)',
};

export interface SlateRecord {
  shown: number;
  invalid: number;
  responses: readonly ItemResponse[];
  expectedStreams: number;
  oracleExpectedStreams: number;
}

export interface MetricSummary {
  slates: number;
  shown: number;
  plays: number;
  streams: number;
  streamRate: number;
  skipRate: number;
  completionRate: number;
  likeRate: number;
  saveRate: number;
  discoveryAcceptance: number;
  newArtistShare: number;
  newArtistStreamRate: number;
  expectedStreams: number;
  oracleExpectedStreams: number;
  regret: number;
  invalidItems: number;
}

export class MetricTally {
  slates = 0;
  shown = 0;
  invalid = 0;
  plays = 0;
  streams = 0;
  skips = 0;
  completes = 0;
  likes = 0;
  saves = 0;
  newArtistPlays = 0;
  newArtistStreams = 0;
  expected = 0;
  oracleExpected = 0;

  add(record: SlateRecord): void {
    this.slates++;
    this.shown += record.shown;
    this.invalid += record.invalid;
    this.expected += record.expectedStreams;
    this.oracleExpected += record.oracleExpectedStreams;
    for (const r of record.responses) {
      this.plays++;
      const streamed = r.outcome !== 'SKIP';
      if (streamed) this.streams++;
      else this.skips++;
      if (r.outcome === 'COMPLETE') this.completes++;
      if (r.liked) this.likes++;
      if (r.saved) this.saves++;
      if (r.newArtist) {
        this.newArtistPlays++;
        if (streamed) this.newArtistStreams++;
      }
    }
  }

  summary(): MetricSummary {
    return {
      slates: this.slates,
      shown: this.shown,
      plays: this.plays,
      streams: this.streams,
      streamRate: ratio(this.streams, this.shown),
      skipRate: ratio(this.skips, this.plays),
      completionRate: ratio(this.completes, this.plays),
      likeRate: ratio(this.likes, this.shown),
      saveRate: ratio(this.saves, this.shown),
      discoveryAcceptance: ratio(this.newArtistStreams, this.plays),
      newArtistShare: ratio(this.newArtistPlays, this.plays),
      newArtistStreamRate: ratio(this.newArtistStreams, this.newArtistPlays),
      expectedStreams: ratio(this.expected, this.slates),
      oracleExpectedStreams: ratio(this.oracleExpected, this.slates),
      regret: ratio(this.oracleExpected - this.expected, this.slates),
      invalidItems: this.invalid,
    };
  }
}

export interface DaySummary extends MetricSummary {
  day: number;
  /** The local date the day's sessions fall on, YYYY-MM-DD. */
  date: string;
}

export interface MetricsReport {
  overall: MetricSummary;
  segments: Record<string, MetricSummary>;
  days: DaySummary[];
}

export class MetricsCollector {
  private readonly overall = new MetricTally();
  private readonly segments = new Map<string, MetricTally>();
  private readonly days: { date: string; tally: MetricTally }[] = [];

  add(record: SlateRecord, context: ListeningContext, day: number, date: string): void {
    this.overall.add(record);
    for (const key of contextSegments(context)) {
      let tally = this.segments.get(key);
      if (!tally) this.segments.set(key, (tally = new MetricTally()));
      tally.add(record);
    }
    while (this.days.length <= day) this.days.push({ date: '', tally: new MetricTally() });
    this.days[day].date = date;
    this.days[day].tally.add(record);
  }

  report(): MetricsReport {
    const segments: Record<string, MetricSummary> = {};
    for (const key of [...this.segments.keys()].sort()) segments[key] = this.segments.get(key)!.summary();
    return {
      overall: this.overall.summary(),
      segments,
      days: this.days.map(({ date, tally }, day) => ({ day, date, ...tally.summary() })),
    };
  }
}

/** Rounded to 6 decimals so reports read well and compare byte for byte. */
function ratio(num: number, den: number): number {
  return den > 0 ? Math.round((num / den) * 1e6) / 1e6 : 0;
}
