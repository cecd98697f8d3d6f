import '../../src/wasm/node-source.js';
import { runAudioStory } from '../../src/demo/audio.js';
await runAudioStory((l) => console.log(l));
