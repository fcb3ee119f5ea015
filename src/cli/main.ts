#!/usr/bin/env node
/** The `audiomill` command line. One file per command lives beside this one. */
import { Command } from 'commander';
import { audiomillVersion } from '../dsp/runtime.js';
import { registerCache } from './cache.js';
import { registerClips } from './clips.js';
import { registerDemo } from './demo.js';
import { registerDetect } from './detect.js';
import { registerFilter } from './filter.js';
import { registerDoctor } from './doctor.js';
import { registerEmbed } from './embed.js';
import { registerEval } from './eval.js';
import { registerExplore } from './explore.js';
import { registerInfo } from './info.js';
import { registerManifest } from './manifest.js';

const program = new Command();
program
  .name('audiomill')
  .description('Fast native audio features and dataset tools: torchaudio-exact spectrograms, mel, MFCC, Kaldi fbank, audio decoding and manifests.')
  .version(audiomillVersion());
registerDemo(program);
registerInfo(program);
registerManifest(program);
registerCache(program);
registerEmbed(program);
registerEval(program);
registerDetect(program);
registerClips(program);
registerFilter(program);
registerExplore(program);
registerDoctor(program);
program.parseAsync(process.argv).catch((err: unknown) => {
  const e = err as { message?: string; code?: string };
  process.stderr.write(`audiomill: ${e.message ?? String(err)}${e.code ? ` [${e.code}]` : ''}\n`);
  process.exitCode = e.code === 'ABORTED' ? 130 : 1;
});
