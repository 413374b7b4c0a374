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

/** Quantizes the transposes of `matrices` (each [outₖ, in] row-major), concatenated along the output axis. */
export function quantizePerColumn(matrices: Float32Array[], inFeatures: number, outFeatures: number[]): QuantizedMatrix {
  const total = outFeatures.reduce((a, b) => a + b, 0);
  const data = new Int8Array(inFeatures * total);
  const scales = new Float32Array(total);
  let column = 0;
  matrices.forEach((w, k) => {
    for (let o = 0; o < outFeatures[k]; o++, column++) {
      const row = w.subarray(o * inFeatures, (o + 1) * inFeatures);
      let maxAbs = 0;
      for (let i = 0; i < inFeatures; i++) maxAbs = Math.max(maxAbs, Math.abs(row[i]));
      const scale = maxAbs > 0 ? maxAbs / 127 : 1;
      scales[column] = scale;
      for (let i = 0; i < inFeatures; i++) data[i * total + column] = Math.round(row[i] / scale);
    }
  });
  return { data, scales };
}

/** A MatMulKernel emitting DynamicQuantizeMatMul; `load` returns a weight by key and shape. */
export function int8MatMulKernel(g: GraphBuilder, load: (key: string, shape: number[]) => Float32Array): MatMulKernel {
  return (x, keys, inFeatures, outFeatures) => {
    const q = quantizePerColumn(keys.map((key, i) => load(key, [outFeatures[i], inFeatures])), inFeatures, outFeatures);
    const total = q.scales.length;
    const name = keys.length === 1 ? keys[0] : `${keys[0]}+${keys.length - 1}`;
    const weight = g.initializer(`${name}.int8T`, { dtype: "int8", dims: [inFeatures, total], data: q.data });
    const scale = g.initializer(`${name}.int8T.scale`, { dtype: "float32", dims: [total], data: q.scales });
    const zeroPoint = g.initializer(`${name}.int8T.zero_point`, { dtype: "int8", dims: [total], data: new Int8Array(total) });
    return g.op("DynamicQuantizeMatMul", [x, weight, scale, zeroPoint], {}, { domain: MS_DOMAIN }) as V; // [..., Σ out]
  };
}
