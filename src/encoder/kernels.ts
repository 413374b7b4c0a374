/**
 * The inference graph's kernels for Linear products and self-attention (ModelContext hooks, see
 * model/context.ts), with weights prepared in TypeScript when the graph is built:
 *
 * - float32: each Linear weight is stored transposed ([in, out], what MatMul and Attention consume), so the
 *   runtime has no transposes to fold at load; the query, key and value projections are one [C, 3C] matrix
 *   in onnxruntime's Attention, which writes the products straight into its per-head layout;
 * - int8: DynamicQuantizeMatMul per Linear (quantize.ts), and the attention projections in QAttention, the
 *   same per-column int8 weights with the activations quantized per tensor (DynamicQuantizeLinear).
 *
 * Masked keys get transformers' finfo(float32).min bias in both attention kernels.
 */
import type { GraphBuilder, V } from "../graph/builder.js";
import type { AttentionKernel, LinearKernel, MatMulKernel, ParamSource } from "../model/context.js";
import { FLOAT32_MIN, MS_DOMAIN } from "../model/layers.js";
import { int8MatMulKernel, int8Weights } from "./quantize.js";

/** Loads a weight by checkpoint key and shape. */
export type WeightLoader = (key: string, shape: number[]) => Float32Array;

export interface InferenceKernels {
  matmul: MatMulKernel;
  linear: LinearKernel;
  attention: AttentionKernel;
}

/** Transposes a row-major [rows, cols] matrix into columns [offset, offset + rows) of a [cols, stride] one. */
export function transposeInto(dst: Float32Array, stride: number, offset: number, src: Float32Array, rows: number, cols: number): void {
  const BLOCK = 32;
  for (let r0 = 0; r0 < rows; r0 += BLOCK) {
    const r1 = Math.min(rows, r0 + BLOCK);
    for (let c = 0; c < cols; c++) {
      const base = c * stride + offset;
      for (let r = r0; r < r1; r++) dst[base + r] = src[r * cols + c];
    }
  }
}

/** Wᵀ of Linear weights `keys` ([outₖ, in] each) concatenated along the output axis: [in, Σ outₖ]. */
export function transposedWeights(load: WeightLoader, keys: string[], inFeatures: number, outFeatures: number[]): Float32Array {
  const total = outFeatures.reduce((a, b) => a + b, 0);
  const data = new Float32Array(inFeatures * total);
  let offset = 0;
  keys.forEach((key, i) => {
    transposeInto(data, total, offset, load(key, [outFeatures[i], inFeatures]), outFeatures[i], inFeatures);
    offset += outFeatures[i];
  });
  return data;
}

const joinedName = (keys: string[]) => (keys.length === 1 ? keys[0] : `${keys[0]}+${keys.length - 1}`);

function concatBiases(load: WeightLoader, biases: string[], size: number): Float32Array {
  const data = new Float32Array(biases.length * size);
  biases.forEach((key, i) => data.set(load(key, [size]), i * size));
  return data;
}

/** float32 kernels: MatMul (+ Add, which onnxruntime folds into Gemm) and Attention on weights transposed at build time. */
export function float32Kernels(g: GraphBuilder, load: WeightLoader, param: ParamSource): InferenceKernels {
  const weightsT = (keys: string[], inFeatures: number, outFeatures: number[]) =>
    g.initializer(`${joinedName(keys)}.T`, { dtype: "float32", dims: [inFeatures, outFeatures.reduce((a, b) => a + b, 0)], data: transposedWeights(load, keys, inFeatures, outFeatures) });
  const matmul: MatMulKernel = (x, keys, inFeatures, outFeatures) => g.matmul(x, weightsT(keys, inFeatures, outFeatures));
  return {
    matmul,
    linear: (x, prefix, inFeatures, outFeatures) => g.add(matmul(x, [`${prefix}.weight`], inFeatures, [outFeatures]), param(`${prefix}.bias`, [outFeatures])),
    attention: (x, weights, biases, mask, heads, hidden) => {
      const w = weightsT(weights, hidden, [hidden, hidden, hidden]); // [C, 3C]
      const b = g.initializer(`${joinedName(biases)}.qkv`, { dtype: "float32", dims: [3 * hidden], data: concatBiases(load, biases, hidden) });
      return g.op("Attention", [x, w, b, mask], { num_heads: heads, mask_filter_value: { float: FLOAT32_MIN } }, { domain: MS_DOMAIN }) as V;
    },
  };
}

/** int8 kernels: DynamicQuantizeMatMul (bias folded in), and QAttention for the attention projections. */
export function int8Kernels(g: GraphBuilder, load: WeightLoader, param: ParamSource): InferenceKernels {
  return {
    matmul: int8MatMulKernel(g, load),
    linear: (x, prefix, inFeatures, outFeatures) => {
      const w = int8Weights(g, load, [`${prefix}.weight`], inFeatures, [outFeatures]);
      const inputs = [x, w.weight, w.scale, w.zeroPoint, param(`${prefix}.bias`, [outFeatures])];
      return g.op("DynamicQuantizeMatMul", inputs, {}, { domain: MS_DOMAIN }) as V; // [..., out]
    },
    attention: (x, weights, biases, mask, heads, hidden) => {
      const w = int8Weights(g, load, weights, hidden, [hidden, hidden, hidden]); // int8 [C, 3C]
      const b = g.initializer(`${joinedName(biases)}.qkv`, { dtype: "float32", dims: [3 * hidden], data: concatBiases(load, biases, hidden) });
      const [xq, scale, zero] = g.op("DynamicQuantizeLinear", [x], {}, { outputs: 3 }) as V[];
      const inputs = [xq, w.weight, b, scale, w.scale, mask, zero];
      return g.op("QAttention", inputs, { num_heads: heads, mask_filter_value: { float: FLOAT32_MIN } }, { domain: MS_DOMAIN }) as V;
    },
  };
}
