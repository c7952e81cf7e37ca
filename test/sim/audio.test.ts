import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AudioFeatures } from '../../src/domain/types.js';
import { audioStyleOf, estimateTempo, renderTrackAudio, spectralCentroid, wavBytes, writeWav } from '../../src/sim/audio.js';
import { generateDemoWorld } from '../../src/sim/demo-world.js';

const RATE = 22050;
const track = (id: string, audioFeatures: AudioFeatures) => ({ id, audioFeatures });
const BRIGHT: AudioFeatures = { energy: 0.9, acousticness: 0.05, valence: 0.8, danceability: 0.8, tempo: 128, key: 9, mode: 1 };
const DARK: AudioFeatures = { energy: 0.2, acousticness: 0.9, valence: 0.3, danceability: 0.3, tempo: 128, key: 9, mode: 0 };

function correlation(xs: number[], ys: number[]): number {
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * (ys[i] - my);
    sxx += (x - mx) ** 2;
    syy += (ys[i] - my) ** 2;
  });
  return sxy / Math.sqrt(sxx * syy);
}

describe('track audio', () => {
  it('renders a deterministic mono clip per track id', () => {
    const a = renderTrackAudio(track('t1', BRIGHT), 2, RATE);
    expect(a).toHaveLength(2 * RATE);
    expect(renderTrackAudio(track('t1', BRIGHT), 2, RATE)).toEqual(a);
    expect(renderTrackAudio(track('t2', BRIGHT), 2, RATE)).not.toEqual(a);
    let peak = 0;
    for (const x of a) peak = Math.max(peak, Math.abs(x));
    expect(peak).toBeGreaterThan(0.1);
    expect(peak).toBeLessThanOrEqual(1);
  });

  it('puts the style’s tempo in the beat: onset autocorrelation recovers it', () => {
    for (const tempo of [72, 95, 120, 150, 174]) {
      for (const features of [BRIGHT, DARK]) {
        const samples = renderTrackAudio(track(`tempo-${tempo}`, { ...features, tempo }), 5, RATE);
        expect(Math.abs(estimateTempo(samples, RATE) / tempo - 1)).toBeLessThan(0.04);
      }
    }
  });

  it('sounds brighter for brighter styles: higher spectral centroid, louder for energy', () => {
    const bright = renderTrackAudio(track('b', BRIGHT), 4, RATE);
    const dark = renderTrackAudio(track('d', DARK), 4, RATE);
    expect(spectralCentroid(bright, RATE)).toBeGreaterThan(1.5 * spectralCentroid(dark, RATE));
    const rms = (s: Float32Array) => Math.sqrt(s.reduce((acc, x) => acc + x * x, 0) / s.length);
    expect(rms(bright)).toBeGreaterThan(rms(dark));
    expect(audioStyleOf(BRIGHT).hatsPerBeat).toBeGreaterThan(audioStyleOf(DARK).hatsPerBeat);
  });

  it('tracks the demo catalogue’s styles: tempo within 5 %, centroid follows brightness', () => {
    const world = generateDemoWorld({ seed: 3, users: 1, artists: 60, tracks: 80, days: 1 });
    const brightness: number[] = [];
    const centroids: number[] = [];
    let onTempo = 0;
    for (const t of world.tracks.slice(0, 24)) {
      const samples = renderTrackAudio(t, 4, RATE);
      const style = audioStyleOf(t.audioFeatures);
      if (Math.abs(estimateTempo(samples, RATE) / style.tempo - 1) < 0.05) onTempo++;
      brightness.push(style.brightness);
      centroids.push(spectralCentroid(samples, RATE));
    }
    expect(onTempo).toBeGreaterThanOrEqual(23);
    expect(correlation(brightness, centroids)).toBeGreaterThan(0.8);
  });

  it('writes a valid 16-bit PCM WAV', () => {
    const samples = Float32Array.from([0, 0.5, -0.5, 1, -1]);
    const bytes = wavBytes(samples, 8000);
    expect(bytes.toString('ascii', 0, 4)).toBe('RIFF');
    expect(bytes.toString('ascii', 8, 12)).toBe('WAVE');
    expect(bytes.readUInt32LE(24)).toBe(8000);
    expect(bytes.readUInt16LE(34)).toBe(16);
    expect(bytes.readUInt32LE(40)).toBe(10);
    expect([0, 1, 2, 3, 4].map((i) => bytes.readInt16LE(44 + 2 * i))).toEqual([0, 16384, -16384, 32767, -32768]);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mixtape-wav-')), 'clip.wav');
    writeWav(file, samples, 8000);
    expect(fs.readFileSync(file)).toEqual(bytes);
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
