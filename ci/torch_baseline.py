#!/usr/bin/env python3
"""The Python PyTorch baseline for the benchmarks in docs/PERFORMANCE.md (issue 3 §7).

The same work sciperf's training and inference suites time for the seed MLP
(784-256-128-10, ReLU), written the way a PyTorch user would, with the same torch version:
  training:  Adam, batch 64, fp32, one thread; steps cycle through 4 pre-made batches
  inference: batch 1, one query at a time, p50/p90 latency of forward() under inference_mode
Prints one JSON object. Run with the interpreter of .venv/torch (ci/bench does).
"""
import json
import sys
import time

import torch


def seed_mlp():
    return torch.nn.Sequential(torch.nn.Linear(784, 256), torch.nn.ReLU(), torch.nn.Linear(256, 128),
                               torch.nn.ReLU(), torch.nn.Linear(128, 10))


def training_samples_per_s(steps, batch=64):
    model = seed_mlp()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    pool = [(torch.randn(batch, 784), torch.randint(0, 10, (batch,))) for _ in range(4)]

    def step(i):
        x, y = pool[i % len(pool)]
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()

    for i in range(20):
        step(i)
    start = time.perf_counter()
    for i in range(steps):
        step(i)
    return steps * batch / (time.perf_counter() - start)


def inference_latencies(queries):
    model = seed_mlp().eval()
    samples = [torch.randn(1, 784) for _ in range(64)]
    latencies = []
    with torch.inference_mode():
        for i in range(200):
            model(samples[i % 64])
        for i in range(queries):
            start = time.perf_counter()
            model(samples[i % 64])
            latencies.append(time.perf_counter() - start)
    latencies.sort()
    return {"p50_s": latencies[len(latencies) // 2], "p90_s": latencies[int(len(latencies) * 0.9)]}


def main():
    torch.set_num_threads(1)
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    training = max(training_samples_per_s(2000) for _ in range(rounds))
    inference = min((inference_latencies(20000) for _ in range(rounds)), key=lambda r: r["p50_s"])
    print(json.dumps({"torch": torch.__version__, "training_samples_per_s": training, "inference": inference}))


if __name__ == "__main__":
    main()
