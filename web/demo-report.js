// Shows a platform's reading of one file (Article 6): the verdict badge, the label fields from the
// metadata beside what the watermark carries, where the watermark and the explicit label were
// found, and the findings. Plain DOM; each part has a data-role the browser test reads.
import { assess, countLabelCopies, payloadFromLabel, readMetadataLabel, verdictTier } from './aigc-mark.js';
import { describeError } from './demo-common.js';

const FIELDS = ['Label', 'ContentProducer', 'ProduceID', 'ReservedCode1', 'ContentPropagator', 'PropagateID', 'ReservedCode2'];
const TIER_TEXT = { verified: 'verified', possibly: 'possibly', suspected: 'suspected', none: 'none' };

/** The metadata label, or the reason it cannot be read, and how many copies the file carries. */
export function readMetadata(bytes) {
  try {
    return { metadata: readMetadataLabel(bytes), metadataError: null, metadataCopies: countLabelCopies(bytes) };
  } catch (error) {
    return { metadata: null, metadataError: { code: error?.code ?? 'ERROR', message: describeError(error) }, metadataCopies: countLabelCopies(bytes) };
  }
}

/** Article 6 over the three layers (no declaration in the demo). */
export function weigh(meta, watermark, explicitFound) {
  return assess({ ...meta, watermark: { found: watermark.found, payload: watermark.payload, checked: true }, explicitFound, declared: false });
}

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};

/** A two-column table of [name, value] rows; each row carries data-field=name. */
export function keyValueTable(role, rows) {
  return el('table', { 'data-role': role }, el('tbody', {}, ...rows.map(([k, v]) => el('tr', { 'data-field': k }, el('th', {}, k), el('td', {}, String(v))))));
}

/** What the watermark says for each field: its Label exactly, hashes checked against the metadata. */
function watermarkCell(field, payload, metadata) {
  if (!payload) return '—';
  if (field === 'Label') return payload.label;
  const expected = metadata ? payloadFromLabel(metadata, payload.keyed) : null;
  if (field === 'ContentProducer') return expected ? (expected.producerHash === payload.producerHash ? '✓ matches (hash)' : `✗ hash ${payload.producerHash}`) : `hash ${payload.producerHash}`;
  if (field === 'ProduceID') {
    if (payload.content.kind === 'minted') return payload.content.produceId;
    return expected && JSON.stringify(expected.content) === JSON.stringify(payload.content) ? '✓ matches (hash)' : `hash ${payload.content.produceIdHash}`;
  }
  return '';
}

function labelTable(metadata, payload) {
  const head = el('thead', {}, el('tr', {}, el('th', {}, 'field'), el('th', {}, 'metadata'), el('th', {}, 'watermark')));
  const rows = FIELDS.filter((f) => (metadata?.[f] ?? '') !== '' || ['Label', 'ContentProducer', 'ProduceID'].includes(f)).map((f) =>
    el('tr', { 'data-field': f }, el('th', {}, f), el('td', { 'data-source': 'metadata' }, metadata?.[f] ?? '—'), el('td', { 'data-source': 'watermark' }, watermarkCell(f, payload, metadata))),
  );
  return el('table', { 'data-role': 'label-fields' }, head, el('tbody', {}, ...rows));
}

/** A marked payload in a line: its Label and ProduceID (or the ProduceID's hash). */
export function watermarkText(p) {
  return `Label ${p.label}, ${p.content.kind === 'minted' ? `ProduceID ${p.content.produceId}` : `ProduceID hash ${p.content.produceIdHash}`}`;
}

const fixed = (x, digits) => (typeof x === 'number' ? x.toFixed(digits) : '—');

/** Where the watermark was read: the grid offset, the flip or turn, the scale and rotation undone, the layer (images); seconds in (audio). */
function watermarkRows(w) {
  if (!w.found) return [['found', 'no'], ['score', fixed(w.score, 3)]];
  const rows = [['found', 'yes'], ['score', fixed(w.score, 3)]];
  if (w.offset) rows.push(['offset', `${w.offset.x}, ${w.offset.y} px`]);
  if (w.orientation) rows.push(['orientation', w.orientation]);
  if (w.geometry) rows.push(['geometry', `scale ${fixed(w.geometry.scale, 3)}, rotation ${fixed(w.geometry.angle, 2)}°`]);
  if (w.layer) rows.push(['layer', w.layer]);
  if (typeof w.offsetSeconds === 'number') rows.push(['at', `${w.offsetSeconds.toFixed(2)} s`]);
  return rows;
}

function explicitRows(x) {
  if (!x.found) return [['found', 'no'], ['score', fixed(x.score, 3)]];
  if (x.box) return [['found', 'yes'], ['text', x.text], ['position', x.position], ['box', `${x.box.x}, ${x.box.y}  ${x.box.width}×${x.box.height}`], ['score', fixed(x.score, 3)]];
  return [['found', 'yes'], ['prompt', `rhythm at ${fixed(x.start, 2)}–${fixed(x.end, 2)} s, ${Math.round(x.frequency)} Hz`], ['score', fixed(x.score, 3)]];
}

/**
 * Fills `root` with the reading of one file. `watermark` is the detector's result,
 * `explicit` the explicit-label detector's, `meta` readMetadata's.
 */
export function renderReport(root, { file, meta, watermark, explicit, ms }) {
  const { verdict, findings, metadataState } = weigh(meta, watermark, explicit.found);
  const tier = verdictTier(verdict.label);
  root.replaceChildren(
    ...[el('p', {}, el('span', { class: `badge ${tier}`, 'data-role': 'verdict', 'data-tier': tier }, TIER_TEXT[tier]), ' ',
      el('span', { 'data-role': 'basis' }, verdict.label ? `Label ${verdict.label}, from ${verdict.basis}` : 'no label found'), ' ',
      el('span', { class: 'muted' }, `${file} · metadata ${metadataState}${ms ? ` · ${ms} ms` : ''}`)),
    el('h3', {}, 'Label fields'),
    labelTable(meta.metadata, watermark.found ? watermark.payload : null),
    meta.metadataError ? el('p', { 'data-role': 'metadata-error' }, `Metadata unreadable: ${meta.metadataError.message}`) : null,
    el('div', { class: 'cols' },
      el('div', {}, el('h3', {}, 'Watermark'), keyValueTable('watermark', watermarkRows(watermark))),
      el('div', {}, el('h3', {}, 'Explicit label'), keyValueTable('explicit', explicitRows(explicit)))),
    findings.length ? el('ul', { 'data-role': 'findings' }, ...findings.map((f) => el('li', { class: f.kind, 'data-code': f.code }, `${f.code}: ${f.message}`))) : null,
    ].filter(Boolean),
  );
  showDone(root);
  return { verdict, tier, findings };
}

export function showState(root, state, text) {
  root.dataset.state = state;
  root.classList.remove('muted');
  root.replaceChildren(el('p', { class: state === 'error' ? 'error' : 'muted' }, text));
}

/** Marks a filled-in result as done (the browser test waits on data-state). */
export function showDone(root) {
  root.classList.remove('muted');
  root.dataset.state = 'done';
}

/**
 * Wires a "pick a file, press Mark" pair: the button is enabled once a file is picked; `mark(file)`
 * does the work and returns the [name, value] rows shown in `outId`, or throws.
 */
export function wireMarkButton(fileId, buttonId, outId, pickText, mark) {
  const [input, button, out] = [fileId, buttonId, outId].map((id) => document.getElementById(id));
  input.addEventListener('change', () => {
    button.disabled = !input.files?.length;
    showState(out, 'idle', button.disabled ? pickText : 'Ready: press the button.');
  });
  button.addEventListener('click', async () => {
    const file = input.files?.[0];
    if (!file) return;
    button.disabled = true;
    showState(out, 'busy', 'Marking…');
    try {
      out.replaceChildren(keyValueTable('marked', await mark(file)));
      showDone(out);
    } catch (error) {
      showState(out, 'error', describeError(error));
    } finally {
      button.disabled = false;
    }
  });
}
