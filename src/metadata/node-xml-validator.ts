// Node's XML validator: fast-xml-parser's one-file CommonJS build, required on first use.
import { createRequire } from 'node:module';
import type { XMLValidator } from 'fast-xml-parser';
import { setXmlValidator } from './xml-validator.js';

setXmlValidator(() => {
  const { XMLValidator: validator } = createRequire(import.meta.url)('fast-xml-parser') as { XMLValidator: typeof XMLValidator };
  return (text) => validator.validate(text);
});
