/**
 * Int8 dynamic quantization of the Linear layers, done in TypeScript when the graph is built: each weight
 * matrix Wᵀ [in, out] is quantized per output column, symmetrically (zero point 0, scale = max|w| / 127), and
 * multiplied with onnxruntime's com.microsoft DynamicQuantizeMatMul, which quantizes the activations per
 * tensor at run time (uint8, asymmetric) and accumulates in int32. This is what onnxruntime's own
 * `quantize_dynamic(per_channel=True)` produces for MatMul nodes.
 *
 * Note: on x86 CPUs without AVX-512 VNNI / AVX-VNNI, onnxruntime's u8·s8 kernel may saturate (its docs
 * recommend 7-bit weights there); the machines this was measured on have VNNI.
 */
import type { GraphBuilder, V } from "../graph/builder.js";
import type { MatMulKernel } from "../model/context.js";
import { MS_DOMAIN } from "../model/layers.js";

export interface QuantizedMatrix {
  /** Wᵀ quantized, [in, out] row-major. */
  data: Int8Array;
  /** Per output column. */
  scales: Float32Array;
}

/** Rows of W quantized per block before their transposed write: keeps the strided stores within cache. */
const ROW_BLOCK = 64;

/**
 * Per-row sums of a quantization, for error bounds (vocab-screen.ts): Σ w² and Σ (w − s·q)² over row o of W,
 * with s the stored (float32) scale, accumulated in float64 in input order.
 */
export interface RowErrors {
  norm2: Float64Array;
  err2: Float64Array;
}

/**
 * Math.round(x) (nearest, ties toward +∞) for the finite quotients below, without the call: x − ⌊x⌋ is exact
 * in float64, so the comparison decides exactly as Math.round does. V8 runs Math.round (and a ternary) into
 * an Int8Array several times slower than this.
 */
const round = (x: number) => {
  const f = Math.floor(x);
  return f + Number(x - f >= 0.5); // branch-free: the comparison is a coin flip for weights
};

/**
 * Quantizes the transposes of `matrices` (each [outₖ, in] row-major), concatenated along the output axis:
 * column o of Wᵀ (row o of W) gets scale max|w| / maxLevel and values round(w / scale) in [−maxLevel,
 * maxLevel]. `maxLevel` 127 is full int8; 63 leaves u8·s8 pair sums inside int16 (kernels without VNNI).
 * With `errors` ([Σ out] each), also each row's norm and quantization error (RowErrors).
 */
export function quantizePerColumn(matrices: Float32Array[], inFeatures: number, outFeatures: number[], maxLevel = 127, errors?: RowErrors): QuantizedMatrix {
  const total = outFeatures.reduce((a, b) => a + b, 0);
  const data = new Int8Array(inFeatures * total);
  const scales = new Float32Array(total);
  const block = new Int8Array(ROW_BLOCK * inFeatures);
  let column = 0;
  for (let k = 0; k < matrices.length; k++) {
    const w = matrices[k];
    for (let start = 0; start < outFeatures[k]; start += ROW_BLOCK) {
      const rows = Math.min(ROW_BLOCK, outFeatures[k] - start);
      for (let r = 0; r < rows; r++) {
        const from = (start + r) * inFeatures;
        const to = r * inFeatures;
        let maxAbs = 0;
        for (let i = 0; i < inFeatures; i++) {
          const a = Math.abs(w[from + i]);
          if (a > maxAbs) maxAbs = a;
        }
        const scale = maxAbs > 0 ? maxAbs / maxLevel : 1;
        scales[column + r] = scale;
        if (errors === undefined) {
          for (let i = 0; i < inFeatures; i++) block[to + i] = round(w[from + i] / scale);
        } else {
          const stored = scales[column + r];
          let norm2 = 0;
          let err2 = 0;
          for (let i = 0; i < inFeatures; i++) {
            const x = w[from + i];
            const q = round(x / scale);
            block[to + i] = q;
            const e = x - stored * q;
            norm2 += x * x;
            err2 += e * e;
          }
          errors.norm2[column + r] = norm2;
          errors.err2[column + r] = err2;
        }
      }
      // Transposed write, one input row at a time: `rows` consecutive bytes per store run.
      for (let i = 0; i < inFeatures; i++) {
        const base = i * total + column;
        for (let r = 0; r < rows; r++) data[base + r] = block[r * inFeatures + i];
      }
      column += rows;
    }
  }
  return { data, scales };
}

/** Initializers of quantized Linear weights: int8 Wᵀ [in, Σ out], per-column scales and zero points. */
export interface Int8Weights {
  weight: V;
  scale: V;
  zeroPoint: V;
}

/** Quantizes the Linear weights `keys` (each [outₖ, in]) into initializers named after them. */
export function int8Weights(g: GraphBuilder, load: (key: string, shape: number[]) => Float32Array, keys: string[], inFeatures: number, outFeatures: number[]): Int8Weights {
  const q = quantizePerColumn(keys.map((key, i) => load(key, [outFeatures[i], inFeatures])), inFeatures, outFeatures);
  const total = q.scales.length;
  const name = keys.length === 1 ? keys[0] : `${keys[0]}+${keys.length - 1}`;
  return {
    weight: g.initializer(`${name}.int8T`, { dtype: "int8", dims: [inFeatures, total], data: q.data }),
    scale: g.initializer(`${name}.int8T.scale`, { dtype: "float32", dims: [total], data: q.scales }),
    zeroPoint: g.initializer(`${name}.int8T.zero_point`, { dtype: "int8", dims: [total], data: new Int8Array(total) }),
  };
}

/** A MatMulKernel emitting DynamicQuantizeMatMul; `load` returns a weight by key and shape. */
export function int8MatMulKernel(g: GraphBuilder, load: (key: string, shape: number[]) => Float32Array): MatMulKernel {
  return (x, keys, inFeatures, outFeatures) => {
    const w = int8Weights(g, load, keys, inFeatures, outFeatures);
    return g.op("DynamicQuantizeMatMul", [x, w.weight, w.scale, w.zeroPoint], {}, { domain: MS_DOMAIN }) as V; // [..., Σ out]
  };
}
