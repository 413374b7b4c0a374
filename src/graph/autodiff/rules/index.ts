/**
 * The gradient rule table: op type → rule, assembled explicitly from the rule families (no registration by
 * import side effect). NON_DIFFERENTIABLE lists ops whose outputs never carry a gradient (shapes, indices,
 * comparisons, masks); their inputs are not differentiated through them.
 */
import type { GradRule } from "../rule.js";
import { ACTIVATION_RULES } from "./activations.js";
import { DROPOUT_RULES } from "./dropout.js";
import { ELEMENTWISE_RULES } from "./elementwise.js";
import { GATHER_RULES } from "./gather.js";
import { LAYERNORM_RULES } from "./layernorm.js";
import { MATMUL_RULES } from "./matmul.js";
import { REDUCE_RULES } from "./reduce.js";
import { SHAPE_RULES } from "./shape.js";
import { SOFTMAX_RULES } from "./softmax.js";

export const GRAD_RULES: Readonly<Record<string, GradRule>> = {
  ...ELEMENTWISE_RULES,
  ...ACTIVATION_RULES,
  ...MATMUL_RULES,
  ...SHAPE_RULES,
  ...GATHER_RULES,
  ...REDUCE_RULES,
  ...SOFTMAX_RULES,
  ...LAYERNORM_RULES,
  ...DROPOUT_RULES,
};

export const NON_DIFFERENTIABLE: ReadonlySet<string> = new Set([
  "Shape", "Size", "EyeLike", "ArgMax", "ArgMin", "NonZero", "Range", "ConstantOfShape", "OneHot",
  "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Not", "And", "Or", "Xor",
  "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot", "BitShift", "Mod",
  "Sign", "Floor", "Ceil", "Round", "IsNaN", "IsInf", "RandomUniformLike", "RandomNormalLike",
]);
