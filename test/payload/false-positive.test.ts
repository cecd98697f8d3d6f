import { expect, it } from 'vitest';
import { getCore } from '../../src/node.js';
import { decodeChannel } from '../../src/wasm/channel-code.js';
import { PAYLOAD_BITS } from '../../src/payload/payload.js';
import { agreementTail, falsePositiveChance } from '../../src/payload/false-positive.js';
import { lcg } from '../support/images.js';

it('never understates how often random soft bits reach an agreement (the null the confidence is calibrated on)', async () => {
  const core = await getCore();
  const rand = lcg(2026);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() + 1e-12)) * Math.cos(2 * Math.PI * rand());
  const draws = 4000;
  const rhos = Array.from({ length: draws }, () => decodeChannel(core, Float32Array.from({ length: 306 }, gauss), PAYLOAD_BITS).agreement);
  for (const rho of [0.56, 0.57, 0.58, 0.59, 0.6]) {
    const seen = rhos.filter((r) => r >= rho).length / draws;
    const modelled = agreementTail(rho);
    // The model may overstate the tail, never understate it beyond sampling error.
    expect(seen, `ρ ≥ ${rho}`).toBeLessThanOrEqual(modelled + 3 * Math.sqrt((modelled * (1 - modelled)) / draws) + 1 / draws);
  }
});

it('scales with the decodes made and the 32-bit check code', () => {
  expect(falsePositiveChance(0.5, 13, false)).toBe(1);
  expect(falsePositiveChance(0.62, 1, true)).toBeCloseTo(agreementTail(0.62) * 2 ** -32, 25);
  expect(falsePositiveChance(0.62, 13, true)).toBeCloseTo(13 * agreementTail(0.62) * 2 ** -32, 25);
  expect(falsePositiveChance(0.95, 13, true)).toBeLessThan(1e-30);
  // Monotone: a stronger agreement is never more likely by chance.
  let last = 1;
  for (let rho = 0.5; rho <= 1; rho += 0.005) {
    const p = agreementTail(rho);
    expect(p).toBeLessThanOrEqual(last);
    last = p;
  }
});
