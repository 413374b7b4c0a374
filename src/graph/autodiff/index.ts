/** Reverse-mode differentiation of GraphIR graphs: `differentiate(ir, { loss, wrt })`. */
export { differentiate, type DifferentiateOptions, type Differentiated } from "./differentiate.js";
export { GradContext, AppendingBuilder, type GradContextOptions } from "./context.js";
export { ShapeInfo, type SDim, type SShape } from "./shapes.js";
export type { GradRule } from "./rule.js";
