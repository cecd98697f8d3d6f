// 16-bit PCM samples in and out of a WAV file's interleaved bytes, one channel at a time,
// by the rule src/audio/wav.ts applies in TypeScript to every other sample format: in,
// int / 32768; out, floor(x * 32768 + 0.5) in f64, clamped to the 16-bit range (NaN
// writes 0, as a typed-array store of NaN does). The same results, bit for bit, at a
// fraction of the cost of a strided typed-array loop in JavaScript.

const FROM_INT16: f32 = 1.0 / 32768.0; // a power of two: int * FROM_INT16 is exact, as int / 32768 is

/**
 * dst[i] = sample c of frame i of the little-endian int16 frames at src (`channels` samples
 * each) over 32768, for i in [0, n).
 */
export function pcm16Read(src: usize, channels: i32, c: i32, n: i32, dst: usize): void {
  const stride = <usize>channels << 1;
  let p = src + (<usize>c << 1);
  let i = 0;
  if (ASC_FEATURE_SIMD && channels == 2) {
    // Four frames (16 bytes) per step; channel 0 is the low half of each 32-bit lane, channel 1 the high.
    const scale = f32x4.splat(FROM_INT16);
    const q = src;
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(q + (<usize>i << 2));
      const lane = c == 0 ? i32x4.shr_s(i32x4.shl(v, 16), 16) : i32x4.shr_s(v, 16);
      v128.store(dst + (<usize>i << 2), f32x4.mul(f32x4.convert_i32x4_s(lane), scale));
    }
    p += <usize>i * stride;
  } else if (ASC_FEATURE_SIMD && channels == 1) {
    const scale = f32x4.splat(FROM_INT16);
    for (; i + 8 <= n; i += 8) {
      const v = v128.load(src + (<usize>i << 1));
      v128.store(dst + (<usize>i << 2), f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_low_i16x8_s(v)), scale));
      v128.store(dst + (<usize>i << 2) + 16, f32x4.mul(f32x4.convert_i32x4_s(i32x4.extend_high_i16x8_s(v)), scale));
    }
    p += <usize>i * stride;
  }
  for (; i < n; i++, p += stride) store<f32>(dst + (<usize>i << 2), <f32>load<i16>(p) * FROM_INT16);
}

/** One f32 sample as a 16-bit PCM integer: floor(x * 32768 + 0.5) in f64, clamped; NaN gives 0. */
@inline function toInt16(x: f32): i32 {
  const q = Math.floor(<f64>x * 32768.0 + 0.5);
  if (q != q) return 0;
  return q > 32767.0 ? 32767 : q < -32768.0 ? -32768 : <i32>q;
}

/**
 * Writes src[i] for i in [0, n) as sample c of frame i of the little-endian int16 frames at
 * dst (`channels` samples each), converted by toInt16; the other channels' bytes are left
 * as they are.
 */
export function pcm16Write(src: usize, n: i32, channels: i32, c: i32, dst: usize): void {
  const stride = <usize>channels << 1;
  let p = dst + (<usize>c << 1);
  let i = 0;
  if (ASC_FEATURE_SIMD && (channels == 1 || channels == 2)) {
    // Four samples per step, toInt16 lane by lane: the f64 steps are the same, trunc_sat maps
    // NaN to 0 and the clamp to the 16-bit range does the rest.
    const scale = f64x2.splat(32768.0);
    const half = f64x2.splat(0.5);
    const top = i32x4.splat(32767);
    const bottom = i32x4.splat(-32768);
    // Stereo: the channel's half of each frame's 32-bit lane.
    const mask = c == 0 ? i32x4.splat(0xffff) : i32x4.splat(0xffff0000);
    for (; i + 4 <= n; i += 4) {
      const x = v128.load(src + (<usize>i << 2));
      const lo = i32x4.trunc_sat_f64x2_s_zero(f64x2.floor(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(x), scale), half)));
      const hi = i32x4.trunc_sat_f64x2_s_zero(f64x2.floor(f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1)), scale), half)));
      const q = i32x4.max_s(i32x4.min_s(i32x4.shuffle(lo, hi, 0, 1, 4, 5), top), bottom);
      if (channels == 1) {
        v128.store64_lane(dst + (<usize>i << 1), i16x8.narrow_i32x4_s(q, q), 0);
      } else {
        const at = dst + (<usize>i << 2);
        const lanes = c == 0 ? v128.and(q, mask) : i32x4.shl(q, 16);
        v128.store(at, v128.bitselect(lanes, v128.load(at), mask));
      }
    }
    p += <usize>i * stride;
  }
  for (; i < n; i++, p += stride) store<i16>(p, <i16>toInt16(load<f32>(src + (<usize>i << 2))));
}
