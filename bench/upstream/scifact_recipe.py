# The SciFact training recipe run with upstream sentence-transformers, to cross-check `splade train`.
#
# Not part of `npm test` or `npm run bench`: it needs PyTorch and sentence-transformers >= 5 (we ran it with
# sentence-transformers 6.0.1, torch 2.11 on an H100; ~20 s per 800-step run there). It builds the model with
# upstream's own modules (SparseEncoder on a plain *ForMaskedLM folder → MLM transformer + SpladePooling, SpladeLoss
# with SparseMultipleNegativesRankingLoss) and trains them with the loop `SparseEncoderTrainer` would run: AdamW
# (0.9/0.999, eps 1e-8, no weight decay), linear warm-up over 10 % then linear decay (first update at lr 0),
# clipping to global norm 1, the regularizer weights ramped quadratically over the first third (upstream's
# SpladeRegularizerWeightSchedulerCallback), no-duplicates batches, dropout on. A plain loop rather than the
# Trainer because the GPU image has no `datasets` package.
#
# The numbers in BENCHMARKS.md came from this loop in its first, scratch form (same steps, fixed paths);
# this version only takes its inputs as flags.
#
# It writes each trained model's weights as <out>/<tag>.safetensors (decoder tied, so not stored); copy the
# configuration files of any `splade train` output folder beside one and `splade eval` scores it.
#
#   python3 bench/upstream/scifact_recipe.py --scifact ../shared/data/scifact --init init --out out \
#       [--train train-bm25.jsonl] [--lr 1e-3] [--steps 800] [--evaluate]
import argparse, gzip, json, math, os, random, time

import torch
from sentence_transformers import SparseEncoder, __version__ as st_version
from sentence_transformers.sparse_encoder.evaluation import SparseInformationRetrievalEvaluator
from sentence_transformers.sparse_encoder.losses import SparseMultipleNegativesRankingLoss, SpladeLoss
from transformers import get_linear_schedule_with_warmup


def read_jsonl(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf8") as f:
        return [json.loads(line) for line in f if line.strip()]


def read_qrels(path):
    rel = {}
    for line in open(path, encoding="utf8").read().splitlines()[1:]:
        q, c, s = line.split("\t")
        if int(s) > 0:
            rel.setdefault(q, set()).add(c)
    return rel


def no_duplicate_batches(rows, batch_size, seed):
    """Upstream NoDuplicatesBatchSampler: no text twice in a batch; an incomplete last batch is dropped."""
    rng = random.Random(seed)
    while True:
        remaining = list(range(len(rows)))
        rng.shuffle(remaining)
        while True:
            batch, seen, rest = [], set(), []
            for i in remaining:
                if len(batch) < batch_size and not (set(rows[i]) & seen):
                    batch.append(i)
                    seen |= set(rows[i])
                else:
                    rest.append(i)
            if len(batch) < batch_size:
                break
            yield [rows[i] for i in batch]
            remaining = rest


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--scifact", required=True)
    ap.add_argument("--init", required=True, help="a *ForMaskedLM folder, e.g. from `splade init-model`")
    ap.add_argument("--out", required=True)
    ap.add_argument("--train", help="triplets JSONL from `splade mine-negatives`; default: one random negative per pair")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--steps", type=int, default=800)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--max-seq-length", type=int, default=128)
    ap.add_argument("--lambda-document", type=float, default=1e-3)
    ap.add_argument("--lambda-query", type=float, default=5e-5)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--evaluate", action="store_true", help="also score with upstream's evaluator (slow on dense vectors)")
    a = ap.parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    print("sentence-transformers", st_version, "torch", torch.__version__, device, flush=True)

    corpus = {str(d["_id"]): f"{d['title']} {d['text']}" if d.get("title") else d["text"]
              for d in read_jsonl(f"{a.scifact}/corpus.jsonl")}
    queries = {str(q["_id"]): q["text"] for q in read_jsonl(f"{a.scifact}/queries.jsonl")}
    if a.train:
        rows = [(r["query"], r["positive"], r["negative"]) for r in read_jsonl(a.train)]
        tag = f"{os.path.basename(a.train).split('.')[0]}-lr{a.lr:g}-{a.steps}"
    else:
        rng, ids, rows = random.Random(a.seed), list(corpus), []
        train = read_qrels(f"{a.scifact}/qrels/train.tsv")
        for q in sorted(train, key=int):
            for c in sorted(train[q]):
                negative = corpus[rng.choice(ids)]
                while negative == corpus[c]:
                    negative = corpus[rng.choice(ids)]
                rows.append((queries[q], corpus[c], negative))
        tag = f"random-lr{a.lr:g}-{a.steps}"

    torch.manual_seed(a.seed)
    model = SparseEncoder(a.init, device=device)
    model.max_seq_length = a.max_seq_length
    loss_fn = SpladeLoss(model, SparseMultipleNegativesRankingLoss(model),
                         document_regularizer_weight=a.lambda_document, query_regularizer_weight=a.lambda_query)
    opt = torch.optim.AdamW(model.parameters(), lr=a.lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0)
    sched = get_linear_schedule_with_warmup(opt, math.ceil(0.1 * a.steps), a.steps)
    ramp = max(1, int(a.steps / 3))
    batches = no_duplicate_batches(rows, a.batch_size, a.seed)
    model.train()
    t0 = time.time()
    for step in range(a.steps):
        w = min(1.0, (step / ramp) ** 2)
        loss_fn.document_regularizer_weight, loss_fn.query_regularizer_weight = a.lambda_document * w, a.lambda_query * w
        features = []
        for column in zip(*next(batches)):
            f = model.preprocess(list(column))
            features.append({k: v.to(device) if torch.is_tensor(v) else v for k, v in f.items()})
        parts = loss_fn(features, None)
        loss = sum(parts.values())
        opt.zero_grad()
        loss.backward()
        grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        sched.step()
        if (step + 1) % 100 == 0:
            print(f"{tag} step {step + 1}: loss {loss.item():.4f} base {parts['base_loss'].item():.4f} "
                  f"grad_norm {grad_norm.item():.2f}", flush=True)
    print(f"{tag}: {a.steps} steps in {time.time() - t0:.0f} s", flush=True)

    from safetensors.torch import save_file
    os.makedirs(a.out, exist_ok=True)
    weights = {k: v.detach().contiguous().cpu() for k, v in model[0].auto_model.state_dict().items()
               if k != "vocab_projector.weight"}
    save_file(weights, f"{a.out}/{tag}.safetensors")
    if a.evaluate:
        test = read_qrels(f"{a.scifact}/qrels/test.tsv")
        evaluator = SparseInformationRetrievalEvaluator({q: queries[q] for q in test}, corpus, test, name="scifact",
                                                        batch_size=128, write_csv=False)
        model.eval()
        with torch.no_grad():
            r = evaluator(model)
        print(tag, {k: round(float(v), 4) for k, v in r.items() if "ndcg@10" in k or "active_dims" in k}, flush=True)


if __name__ == "__main__":
    main()
