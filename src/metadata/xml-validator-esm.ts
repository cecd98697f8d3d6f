// The universal XML validator: fast-xml-parser's ES module (browsers get it in the bundle).
import { XMLValidator } from 'fast-xml-parser';
import { setXmlValidator } from './xml-validator.js';

setXmlValidator(() => (text) => XMLValidator.validate(text));
