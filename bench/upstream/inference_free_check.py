# Cross-checks of splade-ts's inference-free (Router) models against upstream sentence-transformers.
#
# Not part of `npm test` or `npm run bench`: it needs PyTorch and sentence-transformers >= 5 (run with
# sentence-transformers 6.0.1, transformers 5.17, torch 2.11). Two commands:
#
#   encode  Loads a model folder with SparseEncoder (e.g. a checkpoint written by `splade train`) and encodes
#           texts with encode_query / encode_document / encode, writing JSONL {"indices", "values"} per text —
#           the format `splade encode` writes. With --compare it reads `splade encode`'s output for the same
#           texts and task and reports, per text, index-set differences and the max |Δ| of the values (MANIFEST's
#           tolerance: 1e-4; a dimension on one side only must weigh < 1e-4). Exit status 1 on a difference.
#
#             splade encode --model out --input texts.txt --task query --output ours-q.jsonl
#             python3 bench/upstream/inference_free_check.py encode --model out --input texts.txt --task query \
#                 --compare ours-q.jsonl
#
#   train   Trains a Router model (query route SparseStaticEmbedding, document route MLMTransformer +
#           SpladePooling) with upstream's modules for a few steps, the way `splade train` does with
#           --no-shuffle --dropout off: consecutive batches, columns routed query → "query" and the others to
#           the default route, SpladeLoss(SparseMultipleNegativesRankingLoss(scale 1), use_document_regularizer_only),
#           AdamW (0.9/0.999, 1e-8, no decay) with the SparseStaticEmbedding weight in its own group at
#           --static-lr (upstream's learning_rate_mapping), transformers' linear schedule with warm-up, clipping
#           to norm 1, the quadratic regularizer ramp (SpladeRegularizerWeightSchedulerCallback). It prints one JSON
#           line per step in `splade train --log`'s keys; with --compare-log / --compare-model it compares them
#           with a `splade train` run of the same settings (loss parts relative 1e-4, weights max |Δ|).
#
#             splade train --model tiny-inference-free-splade --train rows.jsonl --output ours --max-steps 3 \
#                 --batch-size 4 --no-shuffle --dropout off --lr 1e-3 --warmup-steps 1 --regularizer-warmup-steps 2 \
#                 --router-mapping '{"query": "query"}' --learning-rate-mapping '{"SparseStaticEmbedding\\.weight": 1e-2}' \
#                 --use-document-regularizer-only --lambda-query 0 --log ours.log.jsonl --threads 1
#             python3 bench/upstream/inference_free_check.py train --model tiny-inference-free-splade --train rows.jsonl \
#                 --steps 3 --batch-size 4 --lr 1e-3 --static-lr 1e-2 --warmup-steps 1 --regularizer-warmup-steps 2 \
#                 --compare-log ours.log.jsonl --compare-model ours
import argparse, json, math, os, re, sys

import torch


def read_texts(path):
    texts = []
    for line in open(path, encoding="utf8").read().split("\n"):
        if line.strip() == "":
            continue
        try:
            record = json.loads(line)
            texts.append(record["text"] if isinstance(record, dict) else line)
        except json.JSONDecodeError:
            texts.append(line)
    return texts


def read_jsonl(path):
    return [json.loads(line) for line in open(path, encoding="utf8") if line.strip()]


def sparse_rows(embeddings):
    dense = embeddings.to_dense() if embeddings.is_sparse else embeddings
    rows = []
    for row in dense.float().cpu():
        idx = torch.nonzero(row).flatten()
        rows.append({"indices": idx.tolist(), "values": [float(v) for v in row[idx]]})
    return rows


def compare_rows(ours, theirs, label):
    """Returns the number of failing rows; prints the worst |Δ| and the first failure."""
    bad, worst = 0, 0.0
    for i, (a, b) in enumerate(zip(ours, theirs)):
        da, db = dict(zip(a["indices"], a["values"])), dict(zip(b["indices"], b["values"]))
        for k in set(da) | set(db):
            x, y = da.get(k, 0.0), db.get(k, 0.0)
            worst = max(worst, abs(x - y))
            one_sided = (k in da) != (k in db)
            if abs(x - y) > 1e-4 or (one_sided and max(abs(x), abs(y)) >= 1e-4):
                if bad == 0:
                    print(f"{label}: first difference at text {i}, dimension {k}: splade-ts {x} vs sentence-transformers {y}", file=sys.stderr)
                bad += 1
                break
    if len(ours) != len(theirs):
        print(f"{label}: {len(ours)} vectors vs {len(theirs)}", file=sys.stderr)
        bad += 1
    print(f"{label}: {len(theirs)} texts, {bad} differ, max |Δ| {worst:.3g}", file=sys.stderr)
    return bad


def cmd_encode(a):
    from sentence_transformers import SparseEncoder

    model = SparseEncoder(a.model, device=a.device)
    texts = read_texts(a.input)
    encode = {"query": model.encode_query, "document": model.encode_document}.get(a.task, model.encode)
    rows = sparse_rows(encode(texts, batch_size=a.batch_size, convert_to_tensor=True))
    out = open(a.output, "w", encoding="utf8") if a.output else sys.stdout
    for r in rows:
        out.write(json.dumps(r) + "\n")
    if a.output:
        out.close()
    if a.compare and compare_rows(read_jsonl(a.compare), rows, f"{a.task or 'encode'} vectors") > 0:
        sys.exit(1)


def modules_of(model):
    found = {type(m).__name__: m for m in model.modules()}
    return found["SparseStaticEmbedding"], found["MLMTransformer"], found["SpladePooling"]


def embed(model, loss, texts, route):
    """Embeddings of one column through its route: upstream's own routing when it takes `task`, else the modules."""
    try:
        features = model.tokenize(texts, task=route)
        features = {k: (v.to(model.device) if torch.is_tensor(v) else v) for k, v in features.items()}
        return model(features)["sentence_embedding"], "model.tokenize(task=…) + Router.forward"
    except Exception as e:  # a release whose Router API differs: run the route's modules directly
        static, mlm, pooling = modules_of(model)
        modules = [static] if route == "query" else [mlm, pooling]
        features = modules[0].tokenize(texts)
        for m in modules:
            features = m(features)
        return features["sentence_embedding"], f"route modules directly ({type(e).__name__}: {e})"


def cmd_train(a):
    from sentence_transformers import SparseEncoder, __version__ as st_version
    from sentence_transformers.sparse_encoder.losses import SparseMultipleNegativesRankingLoss, SpladeLoss
    from transformers import get_linear_schedule_with_warmup

    torch.manual_seed(0)
    model = SparseEncoder(a.model, device="cpu")
    model.eval()  # dropout off, as `splade train --dropout off`
    loss = SpladeLoss(model, SparseMultipleNegativesRankingLoss(model, scale=1.0), document_regularizer_weight=a.lambda_document,
                      query_regularizer_weight=None, use_document_regularizer_only=True)
    static, mlm, _ = modules_of(model)
    names = [n for n, p in loss.named_parameters() if p.requires_grad]
    documented = [n for n in names if re.search(r"SparseStaticEmbedding\.weight", n)]
    print(json.dumps({"sentence_transformers": st_version, "static_weight_names": [n for n, p in loss.named_parameters() if p is static.weight],
                      "docs_pattern_SparseStaticEmbedding\\.weight_matches": documented}), file=sys.stderr)
    others = [p for p in loss.parameters() if p.requires_grad and p is not static.weight]
    groups = [{"params": others, "lr": a.lr}]
    if static.weight.requires_grad:
        groups.append({"params": [static.weight], "lr": a.static_lr})
    optimizer = torch.optim.AdamW(groups, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    scheduler = get_linear_schedule_with_warmup(optimizer, a.warmup_steps, a.steps)
    rows = read_jsonl(a.train)
    negatives = [k for k in rows[0] if k.startswith("negative")]
    records, how = [], None
    for step in range(a.steps):
        batch = rows[step * a.batch_size:(step + 1) * a.batch_size]
        ratio = min(1.0, step / max(1, a.regularizer_warmup_steps))
        loss.document_regularizer_weight = a.lambda_document * ratio * ratio
        columns = [("query", [r["query"] for r in batch]), ("document", [r["positive"] for r in batch])]
        columns += [("document", [r[k] for r in batch]) for k in negatives]
        embeddings = []
        for route, texts in columns:
            e, how = embed(model, loss, texts, route)
            embeddings.append(e)
        base = loss.loss.compute_loss_from_embeddings(embeddings, None)
        document = loss.document_regularizer.compute_loss_from_embeddings(torch.cat(embeddings)) * loss.document_regularizer_weight
        total = base + document
        lr = optimizer.param_groups[0]["lr"]
        optimizer.zero_grad()
        total.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 1.0)
        optimizer.step()
        scheduler.step()
        records.append({"step": step + 1, "lr": lr, "loss": total.item(), "base_loss": base.item(), "document_regularizer_loss": document.item(),
                        "grad_norm": grad_norm.item(), "lambda_document": loss.document_regularizer_weight})
        print(json.dumps(records[-1]))
    print(f"embeddings via {how}", file=sys.stderr)
    failed = 0
    if a.compare_log:
        ours = read_jsonl(a.compare_log)
        for r, o in zip(records, ours):
            for key in ["loss", "base_loss", "document_regularizer_loss", "grad_norm", "lr", "lambda_document"]:
                tolerance = 1e-3 if key == "grad_norm" else 1e-4
                if abs(r[key] - o[key]) > tolerance * max(1e-12, abs(r[key])) and abs(r[key] - o[key]) > 1e-9:
                    print(f"step {r['step']} {key}: splade-ts {o[key]} vs sentence-transformers {r[key]}", file=sys.stderr)
                    failed += 1
        print(f"log: {len(records)} steps compared, {failed} differences", file=sys.stderr)
    if a.compare_model:
        from safetensors.torch import load_file

        ours = load_file(os.path.join(a.compare_model, "query_0_SparseStaticEmbedding", "model.safetensors"))["weight"]
        delta = (ours - static.weight.detach()).abs().max().item()
        moved = (static.weight.detach() - load_file(os.path.join(a.model, "query_0_SparseStaticEmbedding", "model.safetensors"))["weight"]).abs().max().item()
        print(f"static weight: max |Δ| {delta:.3g} (it moved by up to {moved:.3g})", file=sys.stderr)
        ours_mlm = load_file(os.path.join(a.compare_model, "document_0_MLMTransformer", "model.safetensors"))
        state = mlm.auto_model.state_dict()
        worst = max((ours_mlm[k] - state[k]).abs().max().item() for k in ours_mlm if k in state)
        print(f"document MLM: {len(ours_mlm)} tensors, max |Δ| {worst:.3g}", file=sys.stderr)
        failed += int(delta > 1e-5) + int(worst > 1e-5)
    if failed:
        sys.exit(1)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    e = sub.add_parser("encode")
    e.add_argument("--model", required=True)
    e.add_argument("--input", required=True, help="JSONL with \"text\", or one text per line")
    e.add_argument("--task", choices=["query", "document", "none"], default="none")
    e.add_argument("--output")
    e.add_argument("--compare", help="`splade encode` output for the same texts and task")
    e.add_argument("--batch-size", type=int, default=32)
    e.add_argument("--device", default="cpu")
    t = sub.add_parser("train")
    t.add_argument("--model", required=True)
    t.add_argument("--train", required=True, help="JSONL rows: query, positive, negative[_k]")
    t.add_argument("--steps", type=int, default=3)
    t.add_argument("--batch-size", type=int, default=4)
    t.add_argument("--lr", type=float, default=1e-3)
    t.add_argument("--static-lr", type=float, default=1e-2)
    t.add_argument("--warmup-steps", type=int, default=1)
    t.add_argument("--regularizer-warmup-steps", type=int, default=2)
    t.add_argument("--lambda-document", type=float, default=1e-3)
    t.add_argument("--compare-log")
    t.add_argument("--compare-model")
    a = p.parse_args()
    if a.command == "encode":
        a.task = None if a.task == "none" else a.task
        cmd_encode(a)
    else:
        cmd_train(a)


if __name__ == "__main__":
    main()
