/**
 * Audio for simulated tracks: short mono clips synthesised from a track's style, so an audio
 * pipeline has ground truth to recover. What the style sets:
 *  - tempo → the beat: a kick on every beat, a snare on 2 and 4 when the track has energy,
 *    and notes struck on the beat;
 *  - energy and danceability → loudness and rhythm density (no hats, eighths or sixteenths);
 *  - acousticness → timbre: plucked, decaying harmonic tones when acoustic; sustained
 *    saw-like tones with a noise layer when electronic;
 *  - brightness (from energy, acousticness and valence) → how many harmonics and where a
 *    low-pass filter sits;
 *  - key and mode → the pitch set: a four-chord progression in the track's key, major or minor.
 * Everything random comes from an Rng seeded by the track id, so a track always sounds the same.
 *
 * Also here: writeWav, and the two measurements the tests use to check that styles differ
 * audibly (estimateTempo from onset autocorrelation, spectralCentroid).
 */
import fs from 'node:fs';
import type { AudioFeatures, Track } from '../domain/types.js';
import { hashString, Rng } from './random.js';

/** The synthesis parameters a track's style maps to: the ground truth of its clip. */
export interface AudioStyle {
  tempo: number;
  energy: number;
  danceability: number;
  acousticness: number;
  brightness: number;
  /** Pitch class of the key, 0 = C. */
  key: number;
  /** 1 major, 0 minor. */
  mode: number;
  /** Hat subdivisions per beat: 0, 2 or 4. */
  hatsPerBeat: number;
}

export function audioStyleOf(features: AudioFeatures | undefined): AudioStyle {
  const f = features ?? {};
  const energy = clamp01(f.energy ?? 0.5);
  const acousticness = clamp01(f.acousticness ?? 0.5);
  const valence = clamp01(f.valence ?? 0.5);
  const danceability = clamp01(f.danceability ?? 0.5);
  const density = 0.6 * energy + 0.4 * danceability;
  return {
    tempo: Math.min(200, Math.max(60, f.tempo ?? 110)),
    energy,
    danceability,
    acousticness,
    brightness: clamp01(0.5 * energy + 0.35 * (1 - acousticness) + 0.15 * valence),
    key: ((Math.round(f.key ?? 0) % 12) + 12) % 12,
    mode: f.mode === 0 ? 0 : 1,
    hatsPerBeat: density < 0.35 ? 0 : density < 0.62 ? 2 : 4,
  };
}

const MAJOR_PROGRESSION = [0, 7, 9, 5]; // I V vi IV, as semitones above the tonic
const MINOR_PROGRESSION = [0, 8, 3, 10]; // i VI III VII
const MAJOR_CHORDS = [[0, 4, 7], [0, 4, 7], [0, 3, 7], [0, 4, 7]];
const MINOR_CHORDS = [[0, 3, 7], [0, 4, 7], [0, 4, 7], [0, 4, 7]];

/** A mono clip of the track, samples in [-1, 1]. */
export function renderTrackAudio(track: Pick<Track, 'id' | 'audioFeatures'>, seconds = 5, sampleRate = 22050): Float32Array {
  const style = audioStyleOf(track.audioFeatures);
  const rng = new Rng(hashString(track.id), 'audio');
  const n = Math.max(0, Math.round(seconds * sampleRate));
  const drums = new Float32Array(n);
  const tonal = new Float32Array(n);
  const beat = 60 / style.tempo;
  const beatSamples = beat * sampleRate;
  const start = Math.floor(rng.next() * 0.05 * sampleRate); // a few ms of lead-in, per track
  const beats = Math.ceil((n - start) / beatSamples) + 1;

  // ---- drums ---------------------------------------------------------------------------------
  const kickGain = (0.3 + 0.6 * style.energy) * (1 - 0.5 * style.acousticness);
  const snareGain = style.energy > 0.45 ? 0.1 + 0.2 * style.energy : 0;
  const hatGain = (0.04 + 0.16 * style.energy) * (0.4 + 0.6 * style.brightness);
  for (let b = 0; b < beats; b++) {
    const at = start + Math.round(b * beatSamples);
    addKick(drums, at, kickGain, sampleRate);
    if (snareGain > 0 && b % 2 === 1) addSnare(drums, at, snareGain, sampleRate, rng);
    for (let s = 1; s < style.hatsPerBeat; s++) {
      if (rng.chance(0.15)) continue; // humanised: an occasional hat left out
      addHat(drums, at + Math.round((s * beatSamples) / style.hatsPerBeat), hatGain, sampleRate, rng);
    }
  }

  // ---- harmony: a chord per bar, notes struck on the beat -----------------------------------
  const tonic = 130.81 * Math.pow(2, style.key / 12); // C3 upwards
  const progression = style.mode === 1 ? MAJOR_PROGRESSION : MINOR_PROGRESSION;
  const chords = style.mode === 1 ? MAJOR_CHORDS : MINOR_CHORDS;
  const harmonics = 2 + Math.round(10 * style.brightness);
  const acoustic = style.acousticness;
  const tonalGain = 0.12 + 0.1 * (1 - style.energy);
  const noteDecay = 0.25 + 1.2 * acoustic; // seconds: plucked strings ring, synth notes are gated
  const noteSamples = Math.round(beatSamples * 0.95);
  for (let b = 0; b < beats; b++) {
    const bar = Math.floor(b / 4) % 4;
    const root = tonic * Math.pow(2, progression[bar] / 12);
    const chord = chords[bar];
    const at = start + Math.round(b * beatSamples);
    // Acoustic styles arpeggiate (one chord tone per beat), electronic ones strike the chord.
    const voices = acoustic > 0.5 ? [chord[b % 3]] : chord;
    for (const interval of voices) {
      const freq = root * Math.pow(2, interval / 12) * (acoustic > 0.5 && b % 4 === 3 ? 2 : 1);
      addNote(tonal, at, noteSamples, freq, harmonics, acoustic, noteDecay, tonalGain / Math.sqrt(voices.length), sampleRate);
    }
  }
  // Electronic timbre carries a noise layer, gated on the beat like the notes.
  const noiseGain = 0.05 * (1 - acoustic) * (0.5 + style.energy);
  if (noiseGain > 0.002) {
    for (let i = start; i < n; i++) {
      const phase = ((i - start) % beatSamples) / beatSamples;
      tonal[i] += noiseGain * (rng.next() * 2 - 1) * Math.exp(-4 * phase);
    }
  }

  // ---- brightness: a one-pole low-pass over the tonal bus ---------------------------------------
  const cutoff = 300 + 6000 * style.brightness * style.brightness;
  lowPass(tonal, cutoff, sampleRate);

  const out = new Float32Array(n);
  const master = 0.35 + 0.55 * style.energy;
  for (let i = 0; i < n; i++) out[i] = Math.tanh(master * (drums[i] + tonal[i]) * 1.5);
  return out;
}

function addKick(buf: Float32Array, at: number, gain: number, sampleRate: number): void {
  const length = Math.round(0.18 * sampleRate);
  let phase = 0;
  for (let i = 0; i < length && at + i < buf.length; i++) {
    if (at + i < 0) continue;
    const t = i / sampleRate;
    const freq = 45 + 75 * Math.exp(-t / 0.03);
    phase += (2 * Math.PI * freq) / sampleRate;
    buf[at + i] += gain * Math.sin(phase) * Math.exp(-t / 0.07);
  }
}

function addSnare(buf: Float32Array, at: number, gain: number, sampleRate: number, rng: Rng): void {
  const length = Math.round(0.15 * sampleRate);
  for (let i = 0; i < length && at + i < buf.length; i++) {
    const t = i / sampleRate;
    const env = Math.exp(-t / 0.045);
    buf[at + i] += gain * env * (0.7 * (rng.next() * 2 - 1) + 0.3 * Math.sin(2 * Math.PI * 185 * t));
  }
}

function addHat(buf: Float32Array, at: number, gain: number, sampleRate: number, rng: Rng): void {
  const length = Math.round(0.035 * sampleRate);
  let previous = 0;
  for (let i = 0; i < length && at + i < buf.length; i++) {
    const t = i / sampleRate;
    const white = rng.next() * 2 - 1;
    buf[at + i] += gain * (white - previous) * Math.exp(-t / 0.012); // first difference: a crude high-pass
    previous = white;
  }
}

function addNote(
  buf: Float32Array,
  at: number,
  length: number,
  freq: number,
  harmonics: number,
  acoustic: number,
  decaySeconds: number,
  gain: number,
  sampleRate: number,
): void {
  const nyquist = sampleRate / 2;
  // Acoustic: partials fall off steeply (1/h²) and ring out; electronic: saw-like (1/h), gated.
  const rolloff = 1 + acoustic;
  const amps: number[] = [];
  for (let h = 1; h <= harmonics && h * freq < nyquist * 0.9; h++) amps.push(1 / Math.pow(h, rolloff));
  const norm = amps.reduce((s, a) => s + a, 0);
  const attack = Math.round(0.004 * sampleRate);
  for (let i = 0; i < length && at + i < buf.length; i++) {
    if (at + i < 0) continue;
    const t = i / sampleRate;
    let v = 0;
    for (let h = 0; h < amps.length; h++) v += amps[h] * Math.sin(2 * Math.PI * (h + 1) * freq * t);
    const env = Math.min(1, i / attack) * Math.exp(-t / decaySeconds) * (i > length - attack ? (length - i) / attack : 1);
    buf[at + i] += (gain * v * env) / norm;
  }
}

function lowPass(buf: Float32Array, cutoffHz: number, sampleRate: number): void {
  const a = 1 - Math.exp((-2 * Math.PI * cutoffHz) / sampleRate);
  let y = 0;
  for (let i = 0; i < buf.length; i++) {
    y += a * (buf[i] - y);
    buf[i] = y;
  }
}

/** Writes mono samples in [-1, 1] as a 16-bit PCM WAV file. */
export function writeWav(path: string, samples: Float32Array, sampleRate: number): void {
  fs.writeFileSync(path, wavBytes(samples, sampleRate));
}

export function wavBytes(samples: Float32Array, sampleRate: number): Buffer {
  const data = samples.length * 2;
  const buf = Buffer.alloc(44 + data);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + data, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16); // fmt chunk size
  buf.writeUInt16LE(1, 20); // PCM
  buf.writeUInt16LE(1, 22); // mono
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28); // byte rate
  buf.writeUInt16LE(2, 32); // block align
  buf.writeUInt16LE(16, 34); // bits per sample
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(data, 40);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i]));
    buf.writeInt16LE(Math.round(s < 0 ? s * 32768 : s * 32767), 44 + 2 * i);
  }
  return buf;
}

// ---- measurements ---------------------------------------------------------------------------------

const HOP = 256;

/**
 * Tempo in bpm (60–200) from the autocorrelation of an onset envelope: log frame energies
 * every 256 samples, their positive differences, and the lag with the strongest self-similarity.
 */
export function estimateTempo(samples: Float32Array, sampleRate: number): number {
  const frames = Math.floor(samples.length / HOP);
  // Two bands: below ~250 Hz (kicks, bass notes) and everything; the low band counts double,
  // so a backbeat's broadband snare does not turn the bar into the period.
  const low = Float32Array.from(samples);
  lowPass(low, 250, sampleRate);
  const eLow = new Float64Array(frames);
  const eAll = new Float64Array(frames);
  let meanLow = 0;
  let meanAll = 0;
  for (let f = 0; f < frames; f++) {
    for (let i = f * HOP; i < (f + 1) * HOP; i++) {
      eLow[f] += low[i] * low[i];
      eAll[f] += samples[i] * samples[i];
    }
    meanLow += eLow[f] / frames;
    meanAll += eAll[f] / frames;
  }
  // Log energies with a floor at 1 % of the mean: near-silent gaps must not look like huge onsets.
  const onset = new Float64Array(frames);
  for (let f = 1; f < frames; f++) {
    const dLow = Math.log(0.01 * meanLow + 1e-12 + eLow[f]) - Math.log(0.01 * meanLow + 1e-12 + eLow[f - 1]);
    const dAll = Math.log(0.01 * meanAll + 1e-12 + eAll[f]) - Math.log(0.01 * meanAll + 1e-12 + eAll[f - 1]);
    onset[f] = 2 * Math.max(0, dLow) + Math.max(0, dAll);
  }
  // Smooth (a beat that straddles two frames must look like one that does not), centre.
  const smooth = new Float64Array(frames);
  const taps = [1, 2, 3, 2, 1];
  for (let f = 0; f < frames; f++) {
    for (let j = 0; j < taps.length; j++) {
      const g = f + j - 2;
      if (g >= 0 && g < frames) smooth[f] += (taps[j] * onset[g]) / 9;
    }
  }
  let mean = 0;
  for (const x of smooth) mean += x / frames;
  for (let f = 0; f < frames; f++) onset[f] = smooth[f] - mean;
  const hopSeconds = HOP / sampleRate;
  const minLag = Math.floor(60 / 200 / hopSeconds);
  const maxLag = Math.ceil(60 / 60 / hopSeconds);
  const scores = new Float64Array(maxLag + 2);
  for (let lag = Math.max(1, minLag - 1); lag <= maxLag + 1 && lag < frames; lag++) {
    let s = 0;
    for (let f = lag; f < frames; f++) s += onset[f] * onset[f - lag];
    scores[lag] = s / (frames - lag);
  }
  let best = minLag;
  for (let lag = minLag; lag <= maxLag && lag < frames; lag++) if (scores[lag] > scores[best]) best = lag;
  // Octave check: a bar-level pattern (snares on 2 and 4) can make twice the beat period win;
  // prefer half the lag when it is nearly as self-similar.
  for (;;) {
    const half = Math.round(best / 2);
    if (half < minLag) break;
    let peak = half;
    for (const lag of [half - 1, half + 1]) if (lag >= minLag && scores[lag] > scores[peak]) peak = lag;
    if (scores[peak] < 0.6 * scores[best]) break;
    best = peak;
  }
  // Parabolic refinement around the peak.
  const a = scores[best - 1] ?? 0;
  const b = scores[best];
  const c = scores[best + 1] ?? 0;
  const denom = a - 2 * b + c;
  const shift = denom < 0 ? (0.5 * (a - c)) / denom : 0;
  return 60 / ((best + Math.max(-0.5, Math.min(0.5, shift))) * hopSeconds);
}

/** Mean spectral centroid in Hz over 1024-sample frames (Hann window), weighted by frame magnitude. */
export function spectralCentroid(samples: Float32Array, sampleRate: number): number {
  const size = 1024;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let weighted = 0;
  let total = 0;
  for (let start = 0; start + size <= samples.length; start += size / 2) {
    for (let i = 0; i < size; i++) {
      re[i] = samples[start + i] * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (size - 1)));
      im[i] = 0;
    }
    fft(re, im);
    for (let k = 1; k < size / 2; k++) {
      const mag = Math.hypot(re[k], im[k]);
      weighted += mag * ((k * sampleRate) / size);
      total += mag;
    }
  }
  return total > 0 ? weighted / total : 0;
}

/** In-place iterative radix-2 FFT; the length must be a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j], re[i]];
      [im[i], im[j]] = [im[j], im[i]];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const angle = (-2 * Math.PI) / len;
    const wr = Math.cos(angle);
    const wi = Math.sin(angle);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const ar = re[i + k + len / 2] * cr - im[i + k + len / 2] * ci;
        const ai = re[i + k + len / 2] * ci + im[i + k + len / 2] * cr;
        re[i + k + len / 2] = re[i + k] - ar;
        im[i + k + len / 2] = im[i + k] - ai;
        re[i + k] += ar;
        im[i + k] += ai;
        const next = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = next;
      }
    }
  }
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
