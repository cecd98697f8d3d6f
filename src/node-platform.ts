// What Node supplies that the universal code cannot: the WASM core read from disk beside its
// module (Node cannot fetch file: URLs) and fast-xml-parser's validator through require.
// Every Node entry (the library's, the commands', each worker's) imports this first.
import './wasm/node-source.js';
import './metadata/node-xml-validator.js';
