#!/usr/bin/env bash
# The package as `npm install audiomill` delivers it, on a machine without a compiler:
#   1. `npm pack` (runs `prepack`: prebuildify builds prebuilds/<platform>-<arch>/, and `prepare`: dist/);
#   2. the tarball must hold the prebuild (N-API: no Node ABI tag), LICENSE and dist/, and no build/;
#   3. it is installed into a temporary project with a PATH that holds only node, npm and sh (no make, cc,
#      c++, g++ or python3: node-gyp cannot run), so the install script (node-gyp-build) must find the
#      prebuild and compile nothing;
#   4. the installed package computes a log-mel (require and import) and runs its CLI; the log-mel must equal,
#      bit for bit, the one the repository's own build computed before `npm pack` (afterwards the checkout
#      loads the prebuild that was just packed, so comparing then would compare that binary with itself).
# Dependencies come from the npm cache when they are there, else from the registry.
# Cleans up after itself (the temporary folder). prebuilds/ stays (git ignores it): prebuildify moved the
# freshly built addon there from build/Release, and node-gyp-build loads it from there in this checkout.
#
#   bash scripts/test-packed.sh            (from .ci/run, after npm install)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/audiomill-packed-XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

fail() { echo "test-packed: FAIL: $*" >&2; exit 1; }

platform="$(node -p 'process.platform + "-" + process.arch')"

probe='
  const am = require("audiomill");
  const x = new Float32Array(16000);
  for (let i = 0; i < x.length; i++) x[i] = 0.5 * Math.sin(2 * Math.PI * 440 * i / 16000);
  const r = new am.LogMelSpectrogram({ sampleRate: 16000, nFft: 512, hopLength: 160, nMels: 64 }).compute(x);
  console.log(JSON.stringify({ shape: r.shape, v: Array.from(r.data.subarray(0, 64 * 3)), at: r.data[20 * 101 + 50] }));'

# The reference values, from the addon the repository built (build/Release or an earlier prebuild), taken
# before `npm pack`: prepack's prebuildify replaces it with the addon it builds and packs.
echo "== log-mel with the repository build"
want="$(cd "$root" && node -e "$probe")" || fail "the repository build could not compute the reference log-mel (build the addon and dist/ first: npm install)"

echo "== npm pack (prepack builds the prebuild for $platform)"
npm pack --pack-destination "$tmp" > "$tmp/pack.log" 2>&1 || { cat "$tmp/pack.log" >&2; fail "npm pack failed"; }
tarball="$(ls "$tmp"/audiomill-*.tgz)"
echo "   $(basename "$tarball"): $(wc -c < "$tarball") bytes"

tar tzf "$tarball" > "$tmp/files.txt"
grep -Eq "^package/prebuilds/$platform/audiomill(\.[a-z0-9]+)*\.node$" "$tmp/files.txt" || fail "no prebuilds/$platform/*.node in the tarball"
# prebuildify tags a build for one Node ABI with abi<N>; an N-API build (loads in every Node with its N-API version) has no such tag.
if grep -Eq "^package/prebuilds/$platform/audiomill(\.[a-z0-9]+)*\.abi[0-9]+(\.[a-z0-9]+)*\.node$" "$tmp/files.txt"; then fail "the prebuild is tagged with a Node ABI: not an N-API build"; fi
grep -qx 'package/LICENSE' "$tmp/files.txt" || fail "no LICENSE in the tarball"
grep -qx 'package/dist/cjs/index.js' "$tmp/files.txt" || fail "no dist/cjs/index.js in the tarball"
if grep -q '^package/build/' "$tmp/files.txt"; then fail "the tarball holds build/"; fi

# A PATH with node, npm and sh only.
mkdir -p "$tmp/bin" "$tmp/app"
ln -s "$(command -v node)" "$tmp/bin/node"
ln -s "$(command -v npm)" "$tmp/bin/npm"
ln -s "$(command -v sh)" "$tmp/bin/sh"
for tool in make cc c++ gcc g++ clang clang++ python3 python; do
  if PATH="$tmp/bin" command -v "$tool" > /dev/null 2>&1; then fail "$tool is still on the restricted PATH"; fi
done
echo '{ "name": "packed-app", "version": "1.0.0", "private": true }' > "$tmp/app/package.json"

echo "== npm install <tarball> with no compiler on PATH"
(
  cd "$tmp/app"
  env -u npm_config_build_from_source PATH="$tmp/bin" HOME="$HOME" \
    npm install --no-audit --no-fund --prefer-offline --loglevel=error "$tarball"
) || fail "npm install of the tarball failed without a compiler"
installed="$tmp/app/node_modules/audiomill"
[ -e "$installed/build" ] && fail "the install compiled the addon (node_modules/audiomill/build exists)"

echo "== log-mel with the installed package"
got="$(cd "$tmp/app" && PATH="$tmp/bin" node -e "$probe")" || fail "require('audiomill') failed in the installed package"
node -e '
  const [got, want] = process.argv.slice(1).map((s) => JSON.parse(s));
  const fail = (m) => { console.error("test-packed: FAIL: " + m); process.exit(1); };
  if (JSON.stringify(got.shape) !== "[64,101]") fail("shape " + JSON.stringify(got.shape) + ", expected [64,101]");
  if (!Number.isFinite(got.at) || got.at < -100 || got.at > 100) fail("value " + got.at + " is not a plausible dB level");
  if (JSON.stringify(got.v) !== JSON.stringify(want.v) || got.at !== want.at) fail("the installed package computes other values than the repository build did before npm pack");
  console.log("   shape [64, 101], mel 20 frame 50 = " + got.at.toFixed(4) + " dB, equal to the repository build (before npm pack)");
' "$got" "$want"

(cd "$tmp/app" && PATH="$tmp/bin" node --input-type=module -e '
  import { MFCC, capabilities } from "audiomill";
  const r = await new MFCC({ melkwargs: { nFft: 512, nMels: 64 } }).computeAsync(new Float32Array(16000).fill(0.25));
  if (JSON.stringify(r.shape) !== "[40,63]") { console.error("test-packed: FAIL: ESM MFCC shape " + r.shape); process.exit(1); }
  console.log("   import works; SIMD levels: " + capabilities().simdLevels.join(", "));') || fail "import 'audiomill' failed"

(cd "$tmp/app" && PATH="$tmp/bin:$tmp/app/node_modules/.bin" audiomill info > "$tmp/info.json") || fail "the audiomill CLI failed"
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$tmp/info.json" || fail "audiomill info did not print JSON"
(cd "$tmp/app" && PATH="$tmp/bin:$tmp/app/node_modules/.bin" audiomill demo --out "$tmp/demo" --quiet > "$tmp/demo.txt") || fail "audiomill demo failed in the installed package"
grep -q "^file://.*/explorer/index.html$" "$tmp/demo.txt" || fail "audiomill demo did not print its page's address"
[ -s "$tmp/demo/explorer/assets/app.js" ] || fail "the demo's page has no script (dist/explorer missing from the tarball?)"
echo "   audiomill demo wrote $(ls "$tmp/demo/explorer/thumbs" | wc -l) thumbnails and the page"
echo "test-packed: OK (installed and ran without a compiler)"
