/**
 * `audiomill explore --serve`: the explorer folder on a local HTTP server (127.0.0.1 only), for browsers or
 * set-ups that will not play audio from file:// pages. Serves the folder's files and, for linked audio, exactly
 * the source files its explorer.json lists (nothing else outside the folder; the page asks for a linked file
 * `../../a/b.ogg` as `/_up/_up/a/b.ogg`); byte ranges for seeking.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { pipeline } from 'node:stream';
import { extname, join, resolve, sep } from 'node:path';
import { AudiomillError } from '../errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.wav': 'audio/wav',
  '.wave': 'audio/wav',
  '.flac': 'audio/flac',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.oga': 'audio/ogg',
  '.opus': 'audio/ogg',
};

export interface ExplorerServer {
  url: string;
  server: Server;
  close(): Promise<void>;
}

export async function serveExplorer(dir: string, options: { port?: number; host?: string } = {}): Promise<ExplorerServer> {
  const root = resolve(dir);
  let allowed = new Set<string>();
  try {
    const marker = JSON.parse(await readFile(join(root, 'explorer.json'), 'utf8')) as { audioFiles?: unknown };
    if (Array.isArray(marker.audioFiles)) allowed = new Set(marker.audioFiles.filter((f): f is string => typeof f === 'string').map((f) => resolve(f)));
  } catch (err) {
    throw new AudiomillError('IO', `'${dir}' is not an explorer folder (no readable explorer.json): build it with audiomill explore first`, { path: dir, cause: err });
  }
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    void (async () => {
      try {
        // Only this machine's names: a page elsewhere that rebinds its DNS name to 127.0.0.1 is refused.
        const hostName = (req.headers.host ?? '').replace(/:\d+$/, '');
        if (!['127.0.0.1', 'localhost', '[::1]', host].includes(hostName)) {
          res.writeHead(403).end('forbidden');
          return;
        }
        const url = new URL(req.url ?? '/', 'http://localhost');
        let rel = decodeURIComponent(url.pathname);
        if (rel.endsWith('/')) rel += 'index.html';
        // Linked audio above the folder: the page asks for `../x.ogg` as `/_up/x.ogg` (a URL cannot climb above /).
        let ups = 0;
        while (rel.startsWith('/_up/')) (rel = rel.slice(4)), ups++;
        const file = resolve(root, ...new Array<string>(ups).fill('..'), `.${rel}`);
        if (!(file === root || file.startsWith(root + sep)) && !allowed.has(file)) {
          res.writeHead(404).end('not found');
          return;
        }
        const s = await stat(file);
        if (!s.isFile()) throw new Error('not a file');
        const type = TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
        const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
        if (range && (range[1] || range[2])) {
          const start = range[1] ? Number(range[1]) : Math.max(0, s.size - Number(range[2]));
          const end = range[1] && range[2] ? Math.min(Number(range[2]), s.size - 1) : s.size - 1;
          if (start >= s.size || start > end) {
            res.writeHead(416, { 'Content-Range': `bytes */${s.size}` }).end();
            return;
          }
          res.writeHead(206, { 'Content-Type': type, 'Content-Length': end - start + 1, 'Content-Range': `bytes ${start}-${end}/${s.size}`, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache' });
          if (req.method === 'HEAD') return void res.end();
          pipeline(createReadStream(file, { start, end }), res, () => undefined); // an unreadable file ends the response, not the server
          return;
        }
        res.writeHead(200, { 'Content-Type': type, 'Content-Length': s.size, 'Accept-Ranges': 'bytes', 'Cache-Control': 'no-cache' });
        if (req.method === 'HEAD') return void res.end();
        pipeline(createReadStream(file), res, () => undefined);
      } catch {
        if (!res.headersSent) res.writeHead(404).end('not found');
        else res.end();
      }
    })();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', (err) => fail(new AudiomillError('IO', `cannot listen on ${host}:${options.port ?? 0}: ${err.message}`, { cause: err })));
    server.listen(options.port ?? 0, host, () => ok());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return {
    url: `http://${host}:${port}/index.html`,
    server,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
