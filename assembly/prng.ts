// Keyed PRNG (xoshiro128**) for spreading signs, interleaving and bin choices.
// Seeded from the 64-bit key seed plus a stream number, so each use of the key
// (image chips, audio bins, ...) draws an independent sequence.

let s0: u32 = 0;
let s1: u32 = 0;
let s2: u32 = 0;
let s3: u32 = 0;

function splitmix(x: u64): u64 {
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

export function seedPrng(seedHi: u32, seedLo: u32, stream: u32): void {
  const a = splitmix(((<u64>seedHi) << 32) | seedLo);
  const b = splitmix(a ^ (<u64>stream * 0xd1b54a32d192ed03));
  s0 = <u32>a;
  s1 = <u32>(a >> 32);
  s2 = <u32>b;
  s3 = <u32>(b >> 32);
  if ((s0 | s1 | s2 | s3) == 0) s0 = 1;
}

export function nextU32(): u32 {
  const result = rotl<u32>(s1 * 5, 7) * 9;
  const t = s1 << 9;
  s2 ^= s0;
  s3 ^= s1;
  s1 ^= s2;
  s0 ^= s3;
  s2 ^= t;
  s3 = rotl<u32>(s3, 11);
  return result;
}

/** Uniform integer in [0, n). */
export function nextBelow(n: u32): u32 {
  return <u32>((<u64>nextU32() * <u64>n) >> 32);
}

/** +1 or -1. */
export function nextSign(): f32 {
  return (nextU32() & 0x80000000) != 0 ? -1.0 : 1.0;
}

/** Fills `count` i32 at `ptr` with a keyed permutation of 0..count-1 (Fisher-Yates). */
export function keyedPermutation(ptr: usize, count: i32): void {
  for (let i = 0; i < count; i++) store<i32>(ptr + (<usize>i << 2), i);
  for (let i = count - 1; i > 0; i--) {
    const j = <i32>nextBelow(<u32>(i + 1));
    const a = load<i32>(ptr + (<usize>i << 2));
    store<i32>(ptr + (<usize>i << 2), load<i32>(ptr + (<usize>j << 2)));
    store<i32>(ptr + (<usize>j << 2), a);
  }
}
