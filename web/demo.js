// Demo page for dist/browser: plain DOM, the library's universal bundle, canvas for pixels.
import {
  AigcError,
  article6Verdict,
  createLabel,
  detectImage,
  embedImage,
  getCore,
  payloadMatchesLabel,
  readMetadataLabel,
  writeMetadataLabel,
} from './aigc-mark.js';

const $ = (id) => document.getElementById(id);
const preview = /** @type {HTMLCanvasElement} */ ($('preview'));

/** Shows a result; `data-state` lets scripts (and the browser test) wait for it. */
function show(id, state, value) {
  const out = $(id);
  out.dataset.state = state;
  out.classList.toggle('muted', state !== 'done');
  out.textContent = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

function describeError(error) {
  return error instanceof AigcError ? `${error.code}: ${error.message}` : String(error?.message ?? error);
}

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

function download(bytes, name) {
  const url = URL.createObjectURL(new Blob([bytes], { type: 'image/png' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function watermarkSummary(payload) {
  if (!payload) return null;
  return {
    Label: payload.label,
    producerHash: payload.producerHash,
    ...(payload.content.kind === 'minted'
      ? { ProduceID: payload.content.produceId }
      : { produceIdHash: payload.content.produceIdHash }),
    keyed: payload.keyed,
  };
}

const ms = (t0) => Math.round(performance.now() - t0);

$('mark-file').addEventListener('change', () => {
  $('mark').disabled = !$('mark-file').files?.length;
  show('mark-out', 'idle', $('mark').disabled ? 'Pick an image.' : 'Ready: press the button.');
});

$('mark').addEventListener('click', async () => {
  const file = $('mark-file').files?.[0];
  if (!file) return;
  $('mark').disabled = true;
  show('mark-out', 'busy', 'Marking…');
  try {
    const produceId = $('produce-id').value.trim();
    const reserved = $('reserved1').value.trim();
    const label = createLabel({
      producer: $('producer').value.trim(),
      label: $('label').value,
      ...(produceId ? { produceId } : {}),
      ...(reserved ? { reservedCode1: reserved } : {}),
    });
    const { ctx, image } = await decode(file);
    const t0 = performance.now();
    const marked = await embedImage(image.data, image.width, image.height, label);
    const embedMs = ms(t0);
    ctx.putImageData(new ImageData(marked.rgba, image.width, image.height), 0, 0);
    const png = new Uint8Array(await (await canvasBlob(preview, 'image/png')).arrayBuffer());
    const bytes = writeMetadataLabel(png, label);
    const name = `${file.name.replace(/\.[^.]*$/, '') || 'image'}.marked.png`;
    download(bytes, name);
    show('mark-out', 'done', {
      file: name,
      size: `${image.width}×${image.height}`,
      label,
      watermark: watermarkSummary(marked.payload),
      psnr: Number(marked.psnr.toFixed(2)),
      embedMs,
    });
  } catch (error) {
    show('mark-out', 'error', describeError(error));
  } finally {
    $('mark').disabled = false;
  }
});

$('detect-file').addEventListener('change', async () => {
  const file = $('detect-file').files?.[0];
  if (!file) return;
  show('detect-out', 'busy', 'Detecting…');
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let metadata = null;
    let metadataError;
    try {
      metadata = readMetadataLabel(bytes);
    } catch (error) {
      metadataError = describeError(error);
    }
    const { image } = await decode(file);
    const t0 = performance.now();
    const found = await detectImage(image.data, image.width, image.height);
    const detectMs = ms(t0);
    show('detect-out', 'done', {
      file: file.name,
      size: `${image.width}×${image.height}`,
      metadata,
      ...(metadataError ? { metadataError } : {}),
      watermark: {
        found: found.found,
        ...watermarkSummary(found.payload),
        score: Number(found.score.toFixed(3)),
        orientation: found.orientation,
        ...(found.geometry ? { geometry: found.geometry } : {}),
      },
      ...(metadata && found.payload ? { watermarkMatchesMetadata: payloadMatchesLabel(found.payload, metadata) } : {}),
      verdict: article6Verdict({ metadata, watermarkFound: found.found, declared: false, explicitFound: false }),
      detectMs,
    });
  } catch (error) {
    show('detect-out', 'error', describeError(error));
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
