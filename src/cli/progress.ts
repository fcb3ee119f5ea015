/** Seconds as `0.6 s` (under 10 s), `42 s`, `3 min 05 s` or `2 h 10 min`. */
export function formatSeconds(seconds: number): string {
  if (seconds < 9.95) return `${Math.max(0, seconds).toFixed(1)} s`;
  const t = Math.round(seconds);
  if (t < 60) return `${t} s`;
  if (t < 3600) return `${Math.floor(t / 60)} min ${String(t % 60).padStart(2, '0')} s`;
  return `${Math.floor(t / 3600)} h ${String(Math.floor((t % 3600) / 60)).padStart(2, '0')} min`;
}

/**
 * The time left, from the items computed so far: items reused from a cache take no time, so the
 * rate is that of the computed ones, applied to the items left (which may be partly reused, so the
 * estimate errs long). Null until one item was computed.
 */
export function eta(computed: number, left: number, elapsedSeconds: number): number | null {
  if (computed <= 0 || elapsedSeconds <= 0) return null;
  return (left * elapsedSeconds) / computed;
}

/**
 * Progress of a long CLI run: a bar redrawn in place on a TTY; otherwise a line at the first item (so
 * a log shows the run started), every 5 s, and at the end. Each shows the rate and the time left
 * (ETA); the last one the time taken.
 */
export function progress(stream: NodeJS.WriteStream, command: string, unit: string): (p: { done: number; total: number; reused?: boolean }) => void {
  let last = 0;
  let computed = 0;
  let finished = false;
  const start = Date.now();
  return ({ done, total, reused }) => {
    if (finished && done >= total) return; // a later report of nothing new (e.g. a tape without selections)
    finished = done >= total;
    const now = Date.now();
    if (!reused) computed++;
    const seconds = (now - start) / 1000;
    const left = eta(computed, total - done, seconds);
    const timing = done >= total ? `in ${formatSeconds(seconds)}` : `ETA ${left === null ? '?' : formatSeconds(left)}`;
    if (stream.isTTY) {
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = total === 0 ? width : Math.round((width * done) / total);
      const rate = done / Math.max(1e-3, seconds);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${unit}, ${rate.toFixed(1)}/s, ${timing}${reused ? ' (reused)' : ''}   `);
      if (done === total) stream.write('\n');
    } else if (done === 1 || now - last > 5000 || done === total) {
      last = now;
      stream.write(`audiomill ${command}: ${done}/${total} ${unit} (${((100 * done) / Math.max(1, total)).toFixed(0)} %), ${timing}\n`);
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
