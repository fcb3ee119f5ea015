// `npm run prebuildify` (and `prepack`, so `npm pack` and `npm publish` ship it): builds this platform's
// N-API prebuild, prebuilds/<platform>-<arch>/audiomill.<libc>.node, with prebuildify: the same as
// `prebuildify --napi --strip --tag-libc`, but compiled against the running Node's headers (the ones
// `npm install` builds with) rather than the newest Node prebuildify knows of, so nothing is downloaded.
// An N-API binary loads in every Node version that has its N-API version (NAPI_VERSION in binding.gyp).
// The libc tag lets node-gyp-build skip a glibc binary on musl and compile there instead.
// prebuildify builds in build/ and moves the addon from build/Release into prebuilds/, where
// node-gyp-build finds it when build/Release has none.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prebuildify = createRequire(import.meta.url)('prebuildify');
const options = {
  cwd: root,
  napi: true,
  strip: true,
  tagLibc: true,
  targets: [{ runtime: 'node', target: process.versions.node }],
};
prebuildify(options, (err) => {
  if (err) {
    console.error(`prebuildify: ${err.message ?? err}`);
    process.exit(1);
  }
  console.log(`prebuildify: built prebuilds/${process.platform}-${process.arch}/ (N-API, Node ${process.versions.node} headers)`);
});
