// Demo page for dist/browser: plain DOM, the library's universal bundle, canvas for pixels.
// Images here; audio in demo-audio.js; the reading of a file in demo-report.js.
import { LABEL_POSITIONS, PRESET_EXPLICIT_TEXTS, detectExplicitLabel, detectImage, drawExplicitLabel, embedImage, getCore, writeMetadataLabel } from './aigc-mark.js';
import { $, describeError, download, formLabel, ms } from './demo-common.js';
import { readMetadata, renderReport, showState, watermarkText, wireMarkButton } from './demo-report.js';
import './demo-audio.js';
const preview = /** @type {HTMLCanvasElement} */ ($('preview'));

for (const text of PRESET_EXPLICIT_TEXTS) $('explicit-text').append(new Option(text, text));
for (const position of LABEL_POSITIONS) $('explicit-position').append(new Option(position, position, position === 'bottom-right', position === 'bottom-right'));

/** Decodes any image the browser can read to sRGB RGBA, without colour management or premultiplication. */
async function decode(blob) {
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  preview.width = bitmap.width;
  preview.height = bitmap.height;
  const ctx = preview.getContext('2d', { colorSpace: 'srgb', willReadFrequently: true });
  ctx.clearRect(0, 0, bitmap.width, bitmap.height);
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return { ctx, image: ctx.getImageData(0, 0, preview.width, preview.height, { colorSpace: 'srgb' }) };
}

function canvasBlob(canvas, type, quality) {
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error(`Could not encode ${type}`))), type, quality),
  );
}

/** Outlines a box on the preview, with a caption above (or below) it. */
function outline(ctx, box, caption) {
  const line = Math.max(2, Math.round(Math.min(preview.width, preview.height) / 200));
  ctx.save();
  ctx.strokeStyle = '#ff00aa';
  ctx.lineWidth = line;
  ctx.strokeRect(box.x - line, box.y - line, box.width + 2 * line, box.height + 2 * line);
  const size = Math.max(12, line * 6);
  ctx.font = `${size}px system-ui, sans-serif`;
  const textWidth = ctx.measureText(caption).width;
  // Above the box where there is room, else below it; kept inside the picture, on a white strip.
  const top = box.y > size + 4 * line ? box.y - size - 3 * line : box.y + box.height + 2 * line;
  const left = Math.max(0, Math.min(box.x, preview.width - textWidth - 4));
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(left, top, textWidth + 4, size + 2);
  ctx.fillStyle = '#ff00aa';
  ctx.textBaseline = 'top';
  ctx.fillText(caption, left + 2, top + 1);
  ctx.restore();
}

wireMarkButton('mark-file', 'mark', 'mark-out', 'Pick an image.', async (file) => {
  const label = formLabel();
  const { ctx, image } = await decode(file);
  const t0 = performance.now();
  // The order GB 45438 asks for: the visible label, then the watermark over it, then the metadata.
  const explicit = $('explicit').checked
    ? drawExplicitLabel(image.data, image.width, image.height, { text: $('explicit-text').value, position: $('explicit-position').value })
    : null;
  const marked = await embedImage(explicit?.rgba ?? image.data, image.width, image.height, label);
  const embedMs = ms(t0);
  ctx.putImageData(new ImageData(marked.rgba, image.width, image.height), 0, 0);
  const png = new Uint8Array(await (await canvasBlob(preview, 'image/png')).arrayBuffer());
  const bytes = writeMetadataLabel(png, label);
  const name = `${file.name.replace(/\.[^.]*$/, '') || 'image'}.marked.png`;
  download(bytes, name, 'image/png');
  return [
    ['file', name],
    ['size', `${image.width}×${image.height}`],
    ...Object.entries(label).filter(([, v]) => v !== ''),
    ['watermark', `${watermarkText(marked.payload)}, ${marked.payload.keyed ? 'secret' : 'public'} key`],
    ['explicit', explicit ? `"${explicit.text}" at ${explicit.position}, ${explicit.glyphHeight}-pixel glyphs (${explicit.style})` : 'none'],
    ['PSNR', `${marked.psnr.toFixed(2)} dB`],
    ['time', `${embedMs} ms`],
  ];
});

$('detect-file').addEventListener('change', async () => {
  const file = $('detect-file').files?.[0];
  if (!file) return;
  const root = $('detect-out');
  showState(root, 'busy', 'Detecting…');
  try {
    const meta = readMetadata(new Uint8Array(await file.arrayBuffer()));
    const { ctx, image } = await decode(file);
    const t0 = performance.now();
    const watermark = await detectImage(image.data, image.width, image.height);
    const explicit = detectExplicitLabel(image.data, image.width, image.height);
    renderReport(root, { file: file.name, meta, watermark, explicit, ms: ms(t0) });
    if (explicit.found) outline(ctx, explicit.box, `explicit label "${explicit.text}"`);
  } catch (error) {
    showState(root, 'error', describeError(error));
  }
});

getCore().then(
  (core) => {
    $('core').textContent = `${core.flavor} build`;
    document.body.dataset.core = core.flavor;
  },
  (error) => {
    $('core').textContent = `failed to load: ${describeError(error)}`;
    document.body.dataset.core = 'error';
  },
);
