/**
 * Progress of a long CLI run: a bar redrawn in place on a TTY; otherwise a line at the first item (so
 * a log shows the run started), every 5 s, and at the end.
 */
export function progress(stream: NodeJS.WriteStream, command: string, unit: string): (p: { done: number; total: number; reused?: boolean }) => void {
  let last = 0;
  const start = Date.now();
  return ({ done, total, reused }) => {
    const now = Date.now();
    if (stream.isTTY) {
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = total === 0 ? width : Math.round((width * done) / total);
      const rate = done / Math.max(1e-3, (now - start) / 1000);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${unit}, ${rate.toFixed(1)}/s${reused ? ' (reused)' : ''}   `);
      if (done === total) stream.write('\n');
    } else if (done === 1 || now - last > 5000 || done === total) {
      last = now;
      stream.write(`audiomill ${command}: ${done}/${total} ${unit} (${((100 * done) / Math.max(1, total)).toFixed(0)} %)\n`);
    }
  };
}

/**
 * An AbortSignal raised by the first Ctrl-C (SIGINT) or SIGTERM, so a command can stop cleanly (save
 * what it has, leave its outputs intact); a second signal exits at once. Exit code 130 either way.
 */
export function interruptSignal(stream: NodeJS.WriteStream, command: string): AbortSignal {
  const ac = new AbortController();
  const stop = (sig: NodeJS.Signals) => {
    if (ac.signal.aborted) process.exit(130);
    stream.write(`\naudiomill ${command}: ${sig}: stopping after the work in flight (again to quit at once)\n`);
    ac.abort();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  return ac.signal;
}
