"""The benchmark's trees, built from what is installed here.

- sparse: the installed ``tensorflow``, ``keras`` and ``tf_keras`` packages, copied as real code
  (general code where 0-5 % of files mention ``applications``);
- dense: generated Keras training scripts of about 250 lines, every one with pipelines: each
  script puts one testdata case at module level, wraps several more in functions, and adds the
  utility code a training script carries (arguments, callbacks, a custom loop, plotting).
"""

from __future__ import annotations

import importlib.util
import random
import shutil
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTDATA = ROOT / "testdata"
SPARSE_PACKAGES = ("tensorflow", "keras", "tf_keras")


def package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"bench: package {name} is not installed (pip install -e '.[dev]')")
    return Path(list(spec.submodule_search_locations)[0])


def build_sparse(target: Path, packages: tuple[str, ...] = SPARSE_PACKAGES) -> Path:
    """Copy the installed packages' .py files (only those: the rest is binaries and data)."""
    if target.exists():
        return target
    for name in packages:
        source = package_dir(name)
        for path in source.rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            dest = target / name / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
    return target


def _cases() -> list[str]:
    cases = []
    for path in sorted(TESTDATA.rglob("*.py")):
        if path.name.endswith(".out.py"):
            continue
        text = path.read_text(encoding="utf-8")
        if "from __future__" in text:
            continue
        cases.append(text)
    if not cases:
        raise SystemExit(f"bench: no testdata cases under {TESTDATA}")
    return cases


_FILLER = [
    '''
def parse_args(argv=None):
    import argparse

    parser = argparse.ArgumentParser(description="Fine-tune a pretrained backbone ({k}).")
    parser.add_argument("--data", default="data/{k}", help="folder with one sub-folder per class")
    parser.add_argument("--epochs", type=int, default={e})
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--learning-rate", type=float, default=1e-4)
    parser.add_argument("--output", default="runs/{k}")
    parser.add_argument("--seed", type=int, default={k})
    return parser.parse_args(argv)
''',
    '''
def make_callbacks_{k}(output_dir, patience={e}):
    import os

    import tensorflow as tf

    os.makedirs(output_dir, exist_ok=True)
    checkpoint = tf.keras.callbacks.ModelCheckpoint(
        os.path.join(output_dir, "best.keras"), monitor="val_loss", save_best_only=True)
    early = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True)
    reduce = tf.keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=max(1, patience // 2))
    logger = tf.keras.callbacks.CSVLogger(os.path.join(output_dir, "history.csv"))
    return [checkpoint, early, reduce, logger]
''',
    '''
def plot_history_{k}(history, path="history_{k}.png"):
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(1, 2, figsize=(10, 4))
    for axis, metric in zip(axes, ("loss", "accuracy")):
        values = history.history.get(metric, [])
        validation = history.history.get("val_" + metric, [])
        axis.plot(range(1, len(values) + 1), values, label="train")
        if validation:
            axis.plot(range(1, len(validation) + 1), validation, label="validation")
        axis.set_title(metric)
        axis.set_xlabel("epoch")
        axis.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)
''',
    '''
def confusion_{k}(labels, predictions, classes):
    matrix = [[0] * len(classes) for _ in classes]
    for truth, guess in zip(labels, predictions):
        matrix[truth][guess] += 1
    width = max(len(c) for c in classes)
    lines = [" " * width + " " + " ".join(c[:5].rjust(5) for c in classes)]
    for name, row in zip(classes, matrix):
        lines.append(name.rjust(width) + " " + " ".join(str(v).rjust(5) for v in row))
    accuracy = sum(matrix[i][i] for i in range(len(classes))) / max(1, len(labels))
    lines.append("accuracy: %.3f" % accuracy)
    return "\\n".join(lines)
''',
    '''
class WarmupSchedule{k}:
    """Linear warm-up, then cosine decay."""

    def __init__(self, base_rate=1e-3, warmup_steps={e}00, total_steps=10000):
        self.base_rate = base_rate
        self.warmup_steps = warmup_steps
        self.total_steps = total_steps

    def __call__(self, step):
        import math

        if step < self.warmup_steps:
            return self.base_rate * (step + 1) / self.warmup_steps
        progress = (step - self.warmup_steps) / max(1, self.total_steps - self.warmup_steps)
        return 0.5 * self.base_rate * (1 + math.cos(math.pi * min(1.0, progress)))
''',
    '''
def train_loop_{k}(model, dataset, optimizer, loss_fn, epochs={e}):
    import tensorflow as tf

    metric = tf.keras.metrics.SparseCategoricalAccuracy()
    history = []
    for epoch in range(epochs):
        metric.reset_state()
        total = 0.0
        steps = 0
        for images, labels in dataset:
            with tf.GradientTape() as tape:
                logits = model(images, training=True)
                loss = loss_fn(labels, logits)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            metric.update_state(labels, logits)
            total += float(loss)
            steps += 1
        history.append({{"epoch": epoch, "loss": total / max(1, steps), "accuracy": float(metric.result())}})
        print("epoch %d loss %.4f acc %.4f" % (epoch, history[-1]["loss"], history[-1]["accuracy"]))
    return history
''',
    '''
def write_report_{k}(results, path="report_{k}.json"):
    import json
    import time

    summary = {{
        "created": time.strftime("%Y-%m-%d %H:%M:%S"),
        "runs": len(results),
        "best": max(results, key=lambda r: r.get("accuracy", 0.0)) if results else None,
        "mean_accuracy": sum(r.get("accuracy", 0.0) for r in results) / max(1, len(results)),
    }}
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
    return summary
''',
]


def dense_script(index: int, cases: list[str], rng: random.Random, target_lines: int = 250) -> str:
    picked = rng.sample(cases, k=min(len(cases), 5))
    parts = [f'"""Training script {index}: fine-tunes pretrained backbones (generated for the benchmark)."""\n',
             picked[0].rstrip() + "\n"]
    for number, case in enumerate(picked[1:], 1):
        body = textwrap.indent(case.rstrip() + "\n", "    ")
        parts.append(f"\n\ndef experiment_{number}():\n{body}")
    fillers = list(_FILLER)
    rng.shuffle(fillers)
    k = 0
    while sum(p.count("\n") for p in parts) < target_lines - 20:
        parts.append("\n" + fillers[k % len(fillers)].format(k=index * 10 + k, e=rng.randint(2, 9)))
        k += 1
    parts.append('\n\nif __name__ == "__main__":\n    args = parse_args() if "parse_args" in globals() else None\n'
                 '    print("done", args)\n')
    return "".join(parts)


def build_dense(target: Path, count: int = 300, seed: int = 6) -> Path:
    if target.exists():
        return target
    rng = random.Random(seed)
    cases = _cases()
    for index in range(count):
        path = target / f"project_{index // 50}" / f"train_{index:04d}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dense_script(index, cases, rng), encoding="utf-8")
    return target
