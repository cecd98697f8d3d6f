// RGBA bytes -> one weighted plane. Luma (BT.601 weights) carries the native tile, so it
// survives grayscale conversion and chroma subsampling; the working-size layer is read off
// a plane that also weighs in B, where its blue–yellow part lies.

export function rgbaToLuma(pix: usize, count: i32, out: usize): void {
  rgbaToPlane(pix, count, out, 0.299, 0.587, 0.114);
}

/** out[i] = wr·R + wg·G + wb·B of pixel i. */
export function rgbaToPlane(pix: usize, count: i32, out: usize, wr: f32, wg: f32, wb: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vr = f32x4.splat(wr);
    const vg = f32x4.splat(wg);
    const vb = f32x4.splat(wb);
    for (; i + 4 <= count; i += 4) {
      // Regroup four RGBA pixels as RRRR GGGG BBBB AAAA, then widen each group to f32.
      const planar = i8x16.shuffle(v128.load(pix + (<usize>i << 2)), v128.splat<i8>(0), 0, 4, 8, 12, 1, 5, 9, 13, 2, 6, 10, 14, 3, 7, 11, 15);
      const rg = i16x8.extend_low_i8x16_u(planar);
      const ba = i16x8.extend_high_i8x16_u(planar);
      const r = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(rg));
      const g = f32x4.convert_i32x4_u(i32x4.extend_high_i16x8_u(rg));
      const b = f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(ba));
      v128.store(out + (<usize>i << 2), f32x4.add(f32x4.add(f32x4.mul(r, vr), f32x4.mul(g, vg)), f32x4.mul(b, vb)));
    }
  }
  for (; i < count; i++) {
    const p = pix + (<usize>i << 2);
    const y: f32 = wr * <f32>load<u8>(p) + wg * <f32>load<u8>(p + 1) + wb * <f32>load<u8>(p + 2);
    store<f32>(out + (<usize>i << 2), y);
  }
}

/** 1 when every pixel has R = G = B (a gray image, which must stay gray), else 0; stops at the first coloured pixel. */
export function isGray(pix: usize, count: i32): i32 {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // Byte k against byte k + 1: lanes 4p (R = G) and 4p + 1 (G = B) must match; the others are masked in.
    const ignored = i8x16(0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1, 0, 0, -1, -1);
    for (; i + 4 <= count; i += 4) {
      const v = v128.load(pix + (<usize>i << 2));
      const next = i8x16.shuffle(v, v, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 15);
      if (!i8x16.all_true(v128.or(i8x16.eq(v, next), ignored))) return 0;
    }
  }
  for (; i < count; i++) {
    const p = pix + (<usize>i << 2);
    const g = load<u8>(p + 1);
    if (load<u8>(p) != g || load<u8>(p + 2) != g) return 0;
  }
  return 1;
}
