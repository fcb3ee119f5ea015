/**
 * The one event/box type of the package: a stretch of a recording, optionally bounded in
 * frequency, labelled and scored. Raven selection tables read and write it (plus Raven's own
 * fields), selection measurements take it, and detection and matching produce it.
 */
import { int, num, typeError } from '../validate.js';

/**
 * A time (and optionally frequency) box in a recording. Times in seconds from the start of the
 * recording, frequencies in Hz.
 */
export interface AudioEvent {
  /** Start in seconds from the start of the recording. */
  begin: number;
  /** End in seconds, >= begin. */
  end: number;
  /** Lower edge of the box in Hz, >= 0. Absent: 0 Hz. */
  lowFreq?: number;
  /** Upper edge of the box in Hz, >= lowFreq. Absent: the Nyquist frequency. */
  highFreq?: number;
  /** Class or annotation text. */
  label?: string;
  /** Detector or classifier score (any finite number; typically a probability in [0, 1]). */
  score?: number;
  /** Channel, 1-based as Raven numbers them. Absent: channel 1 (or all channels, where the consumer says so). */
  channel?: number;
}

/** Options of {@link checkEvent}. */
export interface CheckEventOptions {
  /** Smallest allowed `begin` (default: any finite number). */
  minBegin?: number;
}

/**
 * Checks that `value` is an AudioEvent (finite begin, end >= begin, lowFreq >= 0, highFreq >=
 * lowFreq, label a string, score finite, channel an integer >= 1), throwing TypeError /
 * RangeError with the house message shape naming `option` (e.g. `events[3].end`). Returns it.
 */
export function checkEvent(value: unknown, option: string, options: CheckEventOptions = {}): AudioEvent {
  if (value === null || typeof value !== 'object') throw typeError('an event { begin, end, lowFreq?, highFreq?, label?, score?, channel? }', option, value);
  const e = value as Record<string, unknown>;
  const begin = num(e.begin, `${option}.begin`, options.minBegin === undefined ? {} : { min: options.minBegin });
  num(e.end, `${option}.end`, { min: begin });
  const low = e.lowFreq === undefined ? 0 : num(e.lowFreq, `${option}.lowFreq`, { min: 0 });
  if (e.highFreq !== undefined) num(e.highFreq, `${option}.highFreq`, { min: low });
  if (e.label !== undefined && typeof e.label !== 'string') throw typeError('a string', `${option}.label`, e.label);
  if (e.score !== undefined) num(e.score, `${option}.score`);
  if (e.channel !== undefined) int(e.channel, `${option}.channel`, 1);
  return value as AudioEvent;
}
