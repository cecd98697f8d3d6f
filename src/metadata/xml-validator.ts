/**
 * Where the XMP scanner gets fast-xml-parser's well-formedness check. Each entry point
 * supplies it: the universal entry (src/index.ts) imports the package's ES module, which
 * bundlers fold into one file; Node's entries require its single CommonJS file instead,
 * because the ES module graph (forty files) costs a one-shot command about 30 ms of CPU.
 * The supplier is called on the first packet checked, so a file without XMP loads nothing.
 */
export type XmlVerdict = true | { err: { msg: string; line: number; col: number } };
export type XmlValidate = (text: string) => XmlVerdict;

let supply: (() => XmlValidate) | null = null;
let validate: XmlValidate | null = null;

/** Registers how to get the validator; it is fetched once, when a packet is first checked. */
export function setXmlValidator(next: () => XmlValidate): void {
  supply = next;
  validate = null;
}

/** fast-xml-parser's check: true, or the first error with its line and column. */
export function xmlValidator(): XmlValidate {
  if (!validate) {
    if (!supply) throw new Error('aigc-mark: no XML validator is registered; import the package through src/index.ts or src/node.ts.');
    validate = supply();
  }
  return validate;
}
