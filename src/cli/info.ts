/** `audiomill info`: what this build can do on this machine. */
import type { Command } from 'commander';
import { capabilities } from '../dsp/runtime.js';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('print the SIMD levels, thread cap and build capabilities as JSON')
    .action(() => {
      process.stdout.write(`${JSON.stringify(capabilities(), null, 2)}\n`);
    });
}
