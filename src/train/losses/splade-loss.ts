/**
 * SpladeLoss (sentence-transformers sparse_encoder/losses/SpladeLoss.py): a ranking loss on the SPLADE
 * embeddings plus FLOPS regularizers, returned as named parts whose sum is the loss:
 *   base_loss                  the wrapped loss (MNRL or MarginMSE)
 *   document_regularizer_loss  λ_document · FLOPS(documents), documents = positives and negatives stacked
 *                              (every column, the queries too, with use_document_regularizer_only)
 *   query_regularizer_loss     λ_query · FLOPS(queries) (absent with use_document_regularizer_only or no λ_query)
 * The λ are graph inputs because the trainer ramps them (schedules.ts); the parts are reported already weighted,
 * as upstream logs them.
 */
import type { GraphBuilder, V } from "../../graph/builder.js";
import { SpladeError } from "../../util/errors.js";
import { flopsRegularizer } from "./flops.js";
import { sparseMarginMseLoss } from "./margin-mse.js";
import { sparseMnrlLoss } from "./mnrl.js";

export type BaseLossConfig = { kind: "mnrl"; scale: number } | { kind: "margin-mse" };

export interface SpladeLossConfig {
  base: BaseLossConfig;
  /** Upstream `document_regularizer_weight` (maximum after the warm-up). */
  documentRegularizerWeight: number;
  /** Upstream `query_regularizer_weight`; null disables the query regularizer. */
  queryRegularizerWeight: number | null;
  documentRegularizerThreshold?: number;
  queryRegularizerThreshold?: number;
  useDocumentRegularizerOnly: boolean;
}

export const LOSS_PART_NAMES = ["base_loss", "document_regularizer_loss", "query_regularizer_loss"] as const;
export type LossPartName = (typeof LOSS_PART_NAMES)[number];

export interface SpladeLossInputs {
  /** Embeddings per column: [query, positive, ...negatives], each [B, V]. */
  columns: V[];
  /** Current regularizer weights (scalars). */
  lambdaDocument: V;
  lambdaQuery: V;
  /** Teacher margins [B, k] (margin-mse only). */
  labels?: V;
}

export interface SpladeLossOutputs {
  loss: V;
  parts: Record<LossPartName, V>;
}

export function spladeLoss(g: GraphBuilder, config: SpladeLossConfig, inputs: SpladeLossInputs): SpladeLossOutputs {
  const [query, ...documents] = inputs.columns;
  let base: V;
  if (config.base.kind === "mnrl") {
    base = sparseMnrlLoss(g, query, documents, { scale: config.base.scale });
  } else {
    if (!inputs.labels) throw new SpladeError("INVALID_ARGUMENT", "spladeLoss: margin-mse needs teacher margins (labels [B, k])");
    base = sparseMarginMseLoss(g, query, documents[0], documents.slice(1), inputs.labels);
  }
  const docRows = config.useDocumentRegularizerOnly ? inputs.columns : documents;
  const stacked = docRows.length === 1 ? docRows[0] : g.concat(docRows, 0); // [N, V]
  const docFlops = flopsRegularizer(g, stacked, { threshold: config.documentRegularizerThreshold });
  const documentPart = g.mul(docFlops, inputs.lambdaDocument);
  const queryPart =
    !config.useDocumentRegularizerOnly && config.queryRegularizerWeight !== null
      ? g.mul(flopsRegularizer(g, query, { threshold: config.queryRegularizerThreshold }), inputs.lambdaQuery)
      : g.constScalar(0);
  const loss = g.add(g.add(base, documentPart), queryPart);
  return { loss, parts: { base_loss: base, document_regularizer_loss: documentPart, query_regularizer_loss: queryPart } };
}
