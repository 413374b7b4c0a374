/**
 * GET /metrics in Prometheus' text format, through prom-client. One registry per server (never the
 * process-global one), so that several servers, or the embedding application's own metrics, do not collide.
 * Routes are labelled by their pattern (`/indexes/:name/documents/:id`), never by the raw path, so label
 * cardinality stays bounded.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ServedIndex } from "./served-index.js";

/** Seconds, from 0.25 ms to 10 s: SciFact BM25 searches take well under a millisecond, SPLADE encodes tens. */
const LATENCY_BUCKETS = [0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class ServerMetrics {
  readonly registry = new Registry();
  readonly requests: Counter<"method" | "route" | "status">;
  readonly requestSeconds: Histogram<"method" | "route">;
  readonly inFlight: Gauge;
  readonly encodeSeconds: Histogram<"model" | "task">;
  readonly encodedTexts: Counter<"model" | "task">;
  readonly searchSeconds: Histogram<"index">;
  readonly commitSeconds: Histogram<"index" | "kind">;
  readonly committedDocuments: Counter<"index" | "kind">;

  constructor(indexes: () => readonly ServedIndex[]) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: "splade_http_requests_total", help: "HTTP requests answered, by route pattern and status", labelNames: ["method", "route", "status"], registers });
    this.requestSeconds = new Histogram({ name: "splade_http_request_duration_seconds", help: "HTTP request latency, by route pattern", labelNames: ["method", "route"], buckets: LATENCY_BUCKETS, registers });
    this.inFlight = new Gauge({ name: "splade_http_requests_in_flight", help: "HTTP requests being answered", registers });
    this.encodeSeconds = new Histogram({ name: "splade_encode_duration_seconds", help: "Time per encoding run (a batch of texts)", labelNames: ["model", "task"], buckets: LATENCY_BUCKETS, registers });
    this.encodedTexts = new Counter({ name: "splade_encoded_texts_total", help: "Texts encoded", labelNames: ["model", "task"], registers });
    this.searchSeconds = new Histogram({ name: "splade_search_duration_seconds", help: "Exact top-k search time per query and index", labelNames: ["index"], buckets: LATENCY_BUCKETS, registers });
    this.commitSeconds = new Histogram({ name: "splade_commit_duration_seconds", help: "Write transactions (add, delete, merge) until durable", labelNames: ["index", "kind"], buckets: LATENCY_BUCKETS, registers });
    this.committedDocuments = new Counter({ name: "splade_committed_documents_total", help: "Documents in committed transactions", labelNames: ["index", "kind"], registers });
    new Gauge({
      name: "splade_index_documents",
      help: "Live documents per served index",
      labelNames: ["index"],
      registers,
      collect() {
        for (const served of indexes()) this.set({ index: served.name }, served.snapshot.docCount);
      },
    });
    new Gauge({
      name: "splade_index_generation",
      help: "Generation of the snapshot each served index answers from",
      labelNames: ["index"],
      registers,
      collect() {
        for (const served of indexes()) this.set({ index: served.name }, served.snapshot.generation ?? 0);
      },
    });
    new Gauge({
      name: "splade_index_segments",
      help: "Segments per served index",
      labelNames: ["index"],
      registers,
      collect() {
        for (const served of indexes()) this.set({ index: served.name }, served.snapshot.segments.length);
      },
    });
  }
}
