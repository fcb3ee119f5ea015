// The package as users get it: require and import by name, from the repo
// (self-reference) and from another project, and the CLI.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp.js';

const root = join(__dirname, '..', '..');
const outside = tempDir('e2e-');
mkdirSync(join(outside, 'node_modules'));
symlinkSync(root, join(outside, 'node_modules', 'audiomill'), 'dir');

function node(args: string[], cwd: string) {
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 60_000 });
}

const cjs = `
  const am = require('audiomill');
  const t = new am.LogMelSpectrogram({ nFft: 512, hopLength: 160, nMels: 64 });
  const r = t.compute(new Float32Array(16000).fill(0.25));
  console.log(JSON.stringify({ shape: r.shape, simd: am.capabilities().simd }));`;
const esm = `
  import * as am from 'audiomill';
  import { createRequire } from 'node:module';
  const cjs = createRequire(process.cwd() + '/')('audiomill');
  const t = new am.MFCC({ melkwargs: { nFft: 512, nMels: 64 } });
  const r = await t.computeAsync(new Float32Array(16000).fill(0.25));
  console.log(JSON.stringify({ shape: r.shape, sameClass: am.AudiomillError === cjs.AudiomillError, sameDefault: am.default === cjs }));`;

describe.each([
  ['inside the repo (self-reference)', root],
  ['from another project', outside],
])('package %s', (_where, cwd) => {
  it('require("audiomill") works', () => {
    const r = node(['-e', cjs], cwd);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).shape).toEqual([64, 101]);
  });
  it('import "audiomill" works and shares the CommonJS instance', () => {
    const r = node(['--input-type=module', '-e', esm], cwd);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ shape: [40, 63], sameClass: true, sameDefault: true });
  });
});

describe('environment and load failures', () => {
  it('AUDIOMILL_NUM_THREADS and AUDIOMILL_SIMD set the initial thread cap and SIMD level', () => {
    const r = spawnSync(process.execPath, ['-e', "const c = require('audiomill').capabilities(); console.log(JSON.stringify([c.threads, c.simd]))"], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, AUDIOMILL_NUM_THREADS: '1', AUDIOMILL_SIMD: 'scalar' },
    });
    expect(JSON.parse(r.stdout)).toEqual([1, 'scalar']);
  });

  it('a missing addon gives an AudiomillError that says how to rebuild', () => {
    const copy = mkdtempSync(join(tmpdir(), 'audiomill-noaddon-'));
    try {
      cpSync(join(root, 'dist'), join(copy, 'dist'), { recursive: true });
      cpSync(join(root, 'package.json'), join(copy, 'package.json'));
      symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'), 'dir');
      const r = node(['-e', `
        const am = require(${JSON.stringify(copy)});
        try { am.capabilities(); } catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }`], copy);
      const e = JSON.parse(r.stdout);
      expect(e.name).toBe('AudiomillError');
      expect(e.code).toBe('NATIVE_LOAD');
      expect(e.message).toMatch(/npm rebuild audiomill/);
      expect(e.message).toMatch(/C\+\+17 compiler/);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  });
});

describe('CLI', () => {
  const cli = join(root, 'dist', 'cjs', 'cli', 'main.js');
  it('audiomill demo --speed times the log-mel of a built-in signal at every SIMD level', () => {
    const r = node([cli, 'demo', '--speed', '--seconds', '2', '--reps', '1'], root);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/result shape \[64, 201\]/);
    expect(r.stdout).toMatch(/scalar\s+1\s+\d+/);
  });
  it('audiomill info prints capabilities as JSON', () => {
    const r = node([cli, 'info'], root);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).simdLevels).toContain('scalar');
  });
  it('bad arguments exit non-zero with a readable message', () => {
    const r = node([cli, 'demo', '--speed', '--seconds', 'abc'], root);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Expected .* for --seconds but received abc/);
  });
});

describe('the package as packed', () => {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { license: string; files: string[]; scripts: Record<string, string> };
  const scripts = pkg.scripts;

  it('no script runs as a pre/post hook of another (npm runs pre<name> and post<name> around <name>)', () => {
    const hooks = Object.keys(scripts).filter((name) => {
      const m = /^(?:pre|post)(.+)$/.exec(name);
      return m !== null && m[1]! in scripts;
    });
    expect(hooks).toEqual([]);
  });

  // That the tarball then holds an N-API prebuild that installs and loads without a compiler is what
  // scripts/test-packed.sh checks, on the packed tarball.
  it('prepack runs scripts/prebuildify.mjs, prebuilds/ is packed and the install script prefers a prebuild', () => {
    let command = scripts.prepack ?? '';
    for (let m = /^npm run ([\w:-]+)$/.exec(command); m; m = /^npm run ([\w:-]+)$/.exec(command)) command = scripts[m[1]!] ?? '';
    expect(command).toBe('node scripts/prebuildify.mjs');
    expect(pkg.files).toContain('prebuilds/');
    expect(scripts.install).toBe('node-gyp-build'); // uses a matching prebuild, compiles otherwise
  });

  it('ships an MIT LICENSE, as package.json says', () => {
    expect(pkg.license).toBe('MIT');
    const text = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(text).toMatch(/^MIT License\n/);
    expect(text).toMatch(/Copyright \(c\) \d{4} audiomill contributors/);
  });

  it('every file the packed source maps point to is packed too (or there are no maps)', () => {
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')) as { compilerOptions: { sourceMap?: boolean } };
    if (tsconfig.compilerOptions.sourceMap) expect(pkg.files).toContain('src/');
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    const files = new Set((JSON.parse(r.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    expect(files.has('LICENSE')).toBe(true);
    expect(files.has('dist/cjs/index.js')).toBe(true);
    expect([...files].filter((f) => f.startsWith('build/'))).toEqual([]);
    const dangling: string[] = [];
    for (const map of [...files].filter((f) => f.endsWith('.map'))) {
      const { sources } = JSON.parse(readFileSync(join(root, map), 'utf8')) as { sources: string[] };
      for (const s of sources) {
        const target = posix.normalize(posix.join(posix.dirname(map), s));
        if (!files.has(target)) dangling.push(`${map} -> ${target}`);
      }
    }
    expect(dangling).toEqual([]);
  });
});
