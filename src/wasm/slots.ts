/**
 * Scratch slot numbers, one per buffer role, so kernels running in sequence
 * never hand out the same memory twice. Image and audio pipelines each own a range.
 */
export const SLOT = {
  eccBits: 0,
  eccCoded: 1,
  eccSoft: 2,
  eccSurvivors: 3,
  imagePixels: 4,
  imagePlane: 5,
  imageWork: 6,
  imageTile: 7,
  imageAux: 8,
  audioA: 10,
  audioB: 11,
  audioC: 12,
  audioD: 13,
  audioE: 14,
  audioF: 15,
} as const;
