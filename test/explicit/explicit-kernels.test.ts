// The explicit image detector's WASM kernels (assembly/explicit.ts) against its TypeScript engine:
// the same planes and templates bit for bit, so the same detections, on both core flavours.
import { describe, expect, it } from 'vitest';
import '../../src/wasm/node-source.js';
import { BUNDLED_GLYPHS, LABEL_POSITIONS, PRESET_EXPLICIT_TEXTS, drawExplicitLabel } from '../../src/explicit/index.js';
import { TYPESCRIPT_ENGINE, detectExplicitLabel, detectExplicitLabelWith, type TemplateSpec } from '../../src/explicit/detect-image.js';
import { explicitEngine } from '../../src/explicit/image-kernels.js';
import { layoutText } from '../../src/explicit/layout.js';
import { loadCore } from '../../src/wasm/core.js';
import { gradientImage, lcg, texturedImage } from '../support/images.js';
import { jpegHalf } from '../support/tools.js';

const FLAVOURS = ['simd', 'scalar'] as const;

describe.each(FLAVOURS)('explicit detector kernels, %s core', (flavour) => {
  it('shrink the luma plane and blur it exactly as the TypeScript engine does', async () => {
    const engine = explicitEngine(await loadCore(flavour));
    for (const [w, h, k] of [[37, 23, 1], [101, 67, 2], [250, 199, 3], [413, 301, 5]]) {
      const rgba = texturedImage(w, h, w + k, 90);
      const ours = engine.plane(rgba, w, h, k);
      const reference = TYPESCRIPT_ENGINE.plane(rgba, w, h, k);
      expect([ours.w, ours.h]).toEqual([Math.floor(w / k), Math.floor(h / k)]);
      expect(ours.raw).toEqual(reference.raw);
      expect(ours.v).toEqual(reference.v);
    }
  });

  it('build the same templates: offsets, values, zones and per-glyph sums', async () => {
    const engine = explicitEngine(await loadCore(flavour));
    const rnd = lcg(5);
    for (const text of [...PRESET_EXPLICIT_TEXTS, 'AI']) {
      for (let i = 0; i < 4; i++) {
        const g = 9 + rnd() * 40;
        const layout = layoutText(BUNDLED_GLYPHS, text, g);
        const spec: TemplateSpec = { layout, ring: Math.max(1, Math.round(g * 0.15)), halo: Math.max(2, Math.round(g * 0.1)) };
        const planeWidth = 200 + Math.floor(rnd() * 300);
        const ours = engine.views(spec, planeWidth);
        const reference = TYPESCRIPT_ENGINE.views(spec, planeWidth);
        expect([ours.w, ours.h, ours.ring]).toEqual([reference.w, reference.h, reference.ring]);
        for (const view of ['coarse', 'fine'] as const) {
          const { offsets, t, ends, sums } = reference[view];
          expect(ours[view].offsets, `${text} ${g} ${view}`).toEqual(offsets);
          expect(ours[view].t).toEqual(t);
          expect(ours[view].ends).toEqual(ends);
          expect(ours[view].sums).toEqual(sums);
        }
        expect(ours.zones()).toEqual(reference.zones());
        // A real template: most of its support inside the strokes or on the ring around them.
        expect(ours.fine.offsets.length).toBeGreaterThan(ours.coarse.offsets.length * 3);
        expect(ours.zones().filter((z) => z === 1).length).toBeGreaterThan(0);
      }
    }
  });

  it('search a plane as the TypeScript engine does, edges and flat patches included', async () => {
    const engine = explicitEngine(await loadCore(flavour));
    const w = 300, h = 220;
    const labelled = drawExplicitLabel(texturedImage(w, h, 3, 70), w, h, { position: 'bottom-left', heightFraction: 0.1 });
    const layout = layoutText(BUNDLED_GLYPHS, 'AI生成', 22);
    const spec: TemplateSpec = { layout, ring: 3, halo: 2 };
    for (const rgba of [labelled.rgba, gradientImage(w, h)]) {
      const ours = engine.plane(rgba, w, h, 1);
      const reference = TYPESCRIPT_ENGINE.plane(rgba, w, h, 1);
      // Origins inside, at and past every edge, and over the label.
      const origins = [{ x: 0, y: 0 }, { x: -3, y: 5 }, { x: w - 10, y: h - 10 }, { x: 40, y: 60 }, { x: labelled.textBox.x - 3, y: labelled.textBox.y - 3 }];
      for (const [view, reach, step] of [['coarse', 4, 2], ['fine', 2, 1]] as const) {
        const found = engine.search(ours, engine.views(spec, w), view, origins, reach, step);
        expect(found).toEqual(TYPESCRIPT_ENGINE.search(reference, TYPESCRIPT_ENGINE.views(spec, w), view, origins, reach, step));
        // A plane the engine did not compute itself is copied in: the same answer.
        expect(engine.search(reference, engine.views(spec, w), view, origins, reach, step)).toEqual(found);
        if (rgba === labelled.rgba) expect(found.some((f) => Math.abs(f.r) > 0.1)).toBe(true);
      }
    }
  });

  it('give the same detections on labelled, attacked and unlabelled images', async () => {
    const engine = explicitEngine(await loadCore(flavour));
    const rnd = lcg(17);
    let found = 0;
    for (const [i, position] of LABEL_POSITIONS.entries()) {
      const w = 260 + Math.floor(rnd() * 300), h = 220 + Math.floor(rnd() * 200);
      const plain = texturedImage(w, h, 40 + i, 30 + rnd() * 60);
      const labelled = drawExplicitLabel(plain, w, h, { position, text: PRESET_EXPLICIT_TEXTS[i % 3], heightFraction: 0.05 + rnd() * 0.08 });
      const attacked = await jpegHalf(labelled.rgba, w, h);
      for (const image of [{ rgba: plain, width: w, height: h }, { rgba: labelled.rgba, width: w, height: h }, attacked]) {
        const reference = detectExplicitLabel(image.rgba, image.width, image.height);
        expect(detectExplicitLabelWith(engine, image.rgba, image.width, image.height)).toEqual(reference);
        if (reference.found) found++;
      }
    }
    const flat = gradientImage(640, 480);
    expect(detectExplicitLabelWith(engine, flat, 640, 480)).toEqual(detectExplicitLabel(flat, 640, 480));
    // The comparison covered real finds, not only misses: every label as drawn, most after the attack.
    expect(found).toBeGreaterThanOrEqual(LABEL_POSITIONS.length + 4);
  });

  it('refuse a plane size that does not match the pixels', async () => {
    const engine = explicitEngine(await loadCore(flavour));
    expect(() => engine.plane(new Uint8Array(40), 4, 3, 1)).toThrow(RangeError);
    expect(() => engine.plane(new Uint8Array(48), 4, 3, 5)).toThrow(RangeError);
  });
});
