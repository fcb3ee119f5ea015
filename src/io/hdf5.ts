/**
 * HDF5 output through h5wasm (the HDF5 C library compiled to WebAssembly, maintained by NIST; ships
 * its wasm inside the npm package, so nothing is fetched). h5py, pandas and MATLAB read the files.
 *
 * `Hdf5TensorWriter` streams rows of one float32 dataset (chunked one row per chunk, extended
 * as rows arrive), then writes the small per-row datasets and the file attributes at the end. The
 * file is written under a temporary name beside the target and renamed on commit, so an
 * interrupted run leaves the previous file intact.
 */
import { existsSync } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { tempPath } from './atomic.js';
import { AudiomillError } from '../errors.js';

type H5Module = typeof import('h5wasm');
type H5File = InstanceType<H5Module['File']>;
type H5Dataset = ReturnType<H5File['create_dataset']>;

let loading: Promise<H5Module> | null = null;

/**
 * The h5wasm module, loaded once and ready. Its Node build (real file system access) is exported
 * for `import` only, under 'h5wasm/node'; it has no top-level await, so Node >= 20.19 can
 * require() it by file path, which keeps one loading path for CommonJS, ESM and test runners.
 */
export function h5wasm(): Promise<H5Module> {
  loading ??= (async () => {
    const dir = (require.resolve.paths('h5wasm') ?? []).map((d) => join(d, 'h5wasm')).find((d) => existsSync(join(d, 'package.json')));
    if (!dir) throw new AudiomillError('NATIVE_LOAD', "the 'h5wasm' package is not installed (it is a dependency of audiomill: reinstall)");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const m = require(join(dir, 'dist', 'node', 'hdf5_hl.js')) as H5Module & { ready: Promise<unknown> };
    await m.ready;
    return m;
  })();
  return loading;
}

/** A value stored as an HDF5 attribute: numbers (int64 when integral), strings, or arrays of either. */
export type Hdf5Attribute = number | string | readonly string[] | readonly number[];

export interface Hdf5RowsSpec {
  /** Dataset name of the streamed rows, e.g. 'spectrograms'. */
  name: string;
  /** Shape of one row, e.g. [n_mels, max_time]. */
  rowShape: readonly number[];
}

export class Hdf5TensorWriter {
  readonly path: string;
  private readonly tmp: string;
  private file: H5File | null = null;
  private dataset: H5Dataset | null = null;
  private rows = 0;
  private readonly rowLength: number;

  private constructor(path: string, private readonly spec: Hdf5RowsSpec) {
    this.path = path;
    this.tmp = tempPath(path);
    this.rowLength = spec.rowShape.reduce((a, b) => a * b, 1);
  }

  /** Opens the temporary file and creates the (empty, extendable) row dataset. */
  static async create(path: string, spec: Hdf5RowsSpec): Promise<Hdf5TensorWriter> {
    const h5 = await h5wasm();
    const w = new Hdf5TensorWriter(path, spec);
    try {
      w.file = new h5.File(w.tmp, 'w');
      w.dataset = w.file.create_dataset({
        name: spec.name,
        data: new Float32Array(0),
        shape: [0, ...spec.rowShape],
        maxshape: [null, ...spec.rowShape],
        chunks: [1, ...spec.rowShape],
        dtype: '<f',
      });
    } catch (err) {
      await w.abort();
      throw new AudiomillError('IO', `cannot create the HDF5 file '${path}': ${(err as Error).message}`, { path, cause: err });
    }
    return w;
  }

  /** Rows written so far. */
  get length(): number {
    return this.rows;
  }

  /** Appends one row. */
  append(row: Float32Array): void {
    if (!this.dataset) throw new AudiomillError('INTERNAL', `HDF5 writer for '${this.path}' is closed`, { path: this.path });
    if (row.length !== this.rowLength) throw new RangeError(`Expected a row of ${this.rowLength} values for ${this.path} but received ${row.length}`);
    this.dataset.resize([this.rows + 1, ...this.spec.rowShape]);
    this.dataset.write_slice([[this.rows, this.rows + 1], ...this.spec.rowShape.map(() => [] as [])], row);
    this.rows++;
  }

  /**
   * Writes the per-row datasets (each as long as the rows written: int64 for numbers, variable-length
   * strings for strings), any other small datasets (`extra`, e.g. class names), and the root
   * attributes; closes the file and renames it over the target.
   */
  async commit(columns: Record<string, readonly number[] | readonly string[]>, attributes: Record<string, Hdf5Attribute>, extra: Record<string, readonly number[] | readonly string[]> = {}): Promise<void> {
    const file = this.file;
    if (!file) throw new AudiomillError('INTERNAL', `HDF5 writer for '${this.path}' is closed`, { path: this.path });
    try {
      for (const [name, values] of Object.entries(columns))
        if (values.length !== this.rows) throw new RangeError(`Expected ${this.rows} values for the dataset ${name} but received ${values.length}`);
      for (const [name, values] of Object.entries({ ...columns, ...extra })) {
        if (values.every((v) => typeof v === 'number')) {
          file.create_dataset({ name, data: BigInt64Array.from(values as readonly number[], (v) => BigInt(Math.trunc(v))), shape: [values.length], dtype: '<q' });
        } else {
          file.create_dataset({ name, data: (values as readonly unknown[]).map(String), shape: [values.length] });
        }
      }
      for (const [name, value] of Object.entries(attributes)) {
        if (typeof value === 'number') {
          if (Number.isSafeInteger(value)) file.create_attribute(name, BigInt(value) as unknown as number, null, '<q');
          else file.create_attribute(name, value, null, '<d');
        } else if (typeof value === 'string') {
          file.create_attribute(name, value);
        } else if (value.length > 0) {
          file.create_attribute(name, [...value] as string[] | number[], [value.length]);
        }
      }
      file.close();
      this.file = null;
      this.dataset = null;
      await rename(this.tmp, this.path);
    } catch (err) {
      await this.abort();
      if (err instanceof RangeError) throw err;
      throw new AudiomillError('IO', `cannot write the HDF5 file '${this.path}': ${(err as Error).message}`, { path: this.path, cause: err });
    }
  }

  /** Closes and removes the temporary file; the target is left as it was. */
  async abort(): Promise<void> {
    try {
      this.file?.close();
    } catch {
      // already unusable; the file is removed below
    }
    this.file = null;
    this.dataset = null;
    await rm(this.tmp, { force: true });
  }
}
