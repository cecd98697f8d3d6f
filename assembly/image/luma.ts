// RGBA bytes -> luma plane (BT.601 weights). The mark is luma-only, so it
// survives grayscale conversion and chroma subsampling.

export function rgbaToLuma(pix: usize, count: i32, out: usize): void {
  for (let i = 0; i < count; i++) {
    const p = pix + (<usize>i << 2);
    const y: f32 = 0.299 * <f32>load<u8>(p) + 0.587 * <f32>load<u8>(p + 1) + 0.114 * <f32>load<u8>(p + 2);
    store<f32>(out + (<usize>i << 2), y);
  }
}
