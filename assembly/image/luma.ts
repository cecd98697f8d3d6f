// RGBA bytes -> luma plane (BT.601 weights). The mark is luma-only, so it
// survives grayscale conversion and chroma subsampling.

export function rgbaToLuma(pix: usize, count: i32, out: usize): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const wr = f32x4.splat(0.299);
    const wg = f32x4.splat(0.587);
    const wb = f32x4.splat(0.114);
    for (; i + 4 <= count; i += 4) {
      // Regroup four RGBA pixels as RRRR GGGG BBBB AAAA, then widen each group to f32.
      const planar = i8x16.shuffle(v128.load(pix + (<usize>i << 2)), v128.splat<i8>(0), 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
      const rg = i16x8.extend_low_i8x16_u(planar);
      const ba = i16x8.extend_high_i8x16_u(planar);
      const r = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(rg));
      const g = f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(rg));
      const b = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(ba));
      v128.store(out + (<usize>i << 2), f32x4.add(f32x4.add(f32x4.mul(r, wr), f32x4.mul(g, wg)), f32x4.mul(b, wb)));
    }
  }
  for (; i < count; i++) {
    const p = pix + (<usize>i << 2);
    const y: f32 = 0.299 * <f32>load<u8>(p) + 0.587 * <f32>load<u8>(p + 1) + 0.114 * <f32>load<u8>(p + 2);
    store<f32>(out + (<usize>i << 2), y);
  }
}
