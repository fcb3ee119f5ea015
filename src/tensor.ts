/** A dense float32 tensor, row-major, shaped like torchaudio's result (features x frames). */
export interface Tensor {
  data: Float32Array;
  shape: number[];
}

export function numel(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
