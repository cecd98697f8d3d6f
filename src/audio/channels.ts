/**
 * Planar audio as the embedder reads and writes it: span by span, so a file's samples can
 * go straight from its bytes into the WASM core and back out into the output bytes,
 * without a full-length float copy of every channel on the way (src/audio/file.ts).
 */

/** Channels of equal length, read in spans. */
export interface ChannelSource {
  readonly count: number;
  /** Samples per channel. */
  readonly length: number;
  /** Fills `into` with channel `c` from sample `start` on (start + into.length <= length). */
  read(c: number, start: number, into: Float32Array): void;
}

/**
 * Receives marked samples of channel `c` from sample `start` on; `samples` is only valid
 * during the call. The embedder sends span by span, every channel of a span in channel
 * order before the next span (a WAV writer converting in the core relies on it).
 */
export type ChannelSink = (c: number, start: number, samples: Float32Array) => void;

export function arraySource(channels: readonly Float32Array[]): ChannelSource {
  return {
    count: channels.length,
    length: channels[0]?.length ?? 0,
    read: (c, start, into) => into.set(channels[c].subarray(start, start + into.length)),
  };
}

/** A sink that collects the marked channels into new arrays. */
export function arraySink(count: number, length: number): { channels: Float32Array[]; write: ChannelSink } {
  const channels = Array.from({ length: count }, () => new Float32Array(length));
  return { channels, write: (c, start, samples) => channels[c].set(samples, start) };
}
