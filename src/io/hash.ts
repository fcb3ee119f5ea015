/** Content hashes of files, streamed (bounded memory whatever the size). */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { ioError } from '../errors.js';

/** The SHA-256 of a file's bytes, as hex. Rejects with AudiomillError `IO` naming the file. */
export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => h.update(d))
      .on('end', () => resolve(h.digest('hex')))
      .on('error', (err) => reject(ioError('read', path, err)));
  });
}
