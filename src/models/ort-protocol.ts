/** The messages between the ONNX worker pool (ort-pool.ts) and its workers (ort-worker.ts), and their shared control words. */
/**
 * What the pool starts a worker with: the model files (in order), the options each is loaded with, and the pool's
 * control words, shared by its workers: [0] is set when the pool stops (no call starts after it), [1] counts the
 * workers inside onnxruntime now (loading or running). A thread must not be terminated while it is inside
 * onnxruntime-node (the runtime then aborts the whole process), so the pool stops and waits for [1] to reach 0
 * before it terminates its workers, on close() and at the process's exit.
 */
export interface OrtWorkerData {
  files: string[];
  options: Record<string, unknown>;
  control: Int32Array;
}
export const STOP = 0;
export const BUSY = 1;

/** One inference call: one input tensor of `model`, and the one output wanted. */
export interface OrtRequest {
  id: number;
  model: number;
  input: string;
  output: string;
  data: Float32Array;
  dims: number[];
}

export type OrtReply =
  | { id: number; data: Float32Array | BigInt64Array | Int32Array | Uint8Array; dims: number[]; type: string }
  | { id: number; error: string; closed?: true };

/** The first message of a worker: the models' names, or the file that failed to load and why. */
export type OrtReady = { models: { inputNames: string[]; outputNames: string[] }[] } | { failed: { file: number; message: string } };
