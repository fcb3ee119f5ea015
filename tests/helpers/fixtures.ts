/**
 * Golden fixtures written as JSON by the scripts in tests/parity/: JSON has no NaN or infinities, so the scripts
 * write them as the strings 'nan', 'inf' and '-inf'. decodeNonFinite turns them back, everywhere in a value.
 */
export function decodeNonFinite(v: unknown): unknown {
  if (v === 'nan') return NaN;
  if (v === 'inf') return Infinity;
  if (v === '-inf') return -Infinity;
  if (Array.isArray(v)) return v.map(decodeNonFinite);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, decodeNonFinite(x)]));
  return v;
}
