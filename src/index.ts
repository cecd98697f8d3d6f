// Universal entry (Node and browsers): no node: imports here or below.
import './metadata/xml-validator-esm.js';
export * from './api.js';
