/** Progress of a long CLI run: a bar redrawn in place on a TTY, a line every few seconds otherwise. */
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
    } else if (now - last > 5000 || done === total) {
      last = now;
      stream.write(`audiomill ${command}: ${done}/${total} ${unit} (${((100 * done) / Math.max(1, total)).toFixed(0)} %)\n`);
    }
  };
}
