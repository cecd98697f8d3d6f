// The one place the CLI touches metadata labels (src/metadata/, issue 4), so the commands
// do not care how each container stores the label.
export { readMetadataLabel, stripMetadataLabel, writeMetadataLabel } from '../metadata/index.js';
export { propagateLabel } from '../platform/propagate.js';
