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
  imagePlaneY: 5,
  imagePlaneA: 6,
  imagePlaneB: 7,
  imagePlaneC: 8,
  imageAux: 9,
  audioA: 10,
  audioB: 11,
  audioC: 12,
  audioD: 13,
  audioE: 14,
  audioF: 15,
  imageCellsA: 16,
  imageCellsB: 17,
  imagePlaneD: 18,
  imageTaps: 19,
  workingPlaneY: 20,
  workingAux: 21,
  /** The lattice search's transform scratch and the warped plane: the image's pixels stay intact for the working-size search. */
  imageSyncTmp: 22,
  imageWarp: 23,
  /** The explicit label detector's shrunk luma, and its templates and searches (src/explicit/image-kernels.ts). */
  explicitPlane: 24,
  explicitTemplate: 25,
  /** A 16-bit WAV span's frames on their way into the core, and the marked frames on their way out (src/audio/wav.ts). */
  audioPcmIn: 26,
  audioPcmOut: 27,
} as const;
