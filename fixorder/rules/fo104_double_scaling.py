"""FO104 double-scaling

## What it does
Checks for images that are scaled on top of `preprocess_input`, or preprocessed twice, on
the way to a pretrained backbone:
- `Rescaling(1/255)` or `x / 255.` combined with `preprocess_input` (or its exact layer
  equivalent);
- `ImageDataGenerator(rescale=1./255, preprocessing_function=preprocess_input)`: Keras
  applies `rescale` *after* the function;
- `preprocess_input` applied twice, e.g. in a `tf.data` `.map` and again inside the model.

## Why is this bad?
`preprocess_input` expects raw pixels in [0, 255].  After `x / 255` it maps [0, 1] to
[-1, -0.992]: the whole image collapses into 0.4% of the range the backbone was trained on.
With `ImageDataGenerator`, `preprocess_input` then `rescale=1./255` gives [-0.0039, 0.0039].
Applying the tf mode twice gives [-1.008, -0.992].  Nothing fails; accuracy just drops.

## Example
```python
gen = ImageDataGenerator(rescale=1.0 / 255, preprocessing_function=mobilenet_v2.preprocess_input)
```

## Use instead
```python
gen = ImageDataGenerator(preprocessing_function=mobilenet_v2.preprocess_input)
```

## Fix safety
The fix removes the extra step and keeps the backbone's own preprocessing (when it is applied
twice, the copy on the data side is removed, so the model keeps preprocessing its input).
It is safe when the step is one `Sequential` element, one keyword, one statement of a chain
or an expression whose operand can stand alone (a `.map` that becomes the identity is
dropped), and the data source is known in the file; unsafe when the data enters through a
function parameter; not offered when the step also feeds a pipeline that needs it.
"""

from __future__ import annotations

from typing import Iterable

from fixorder.analysis.values import Pipeline
from fixorder.findings import Finding
from fixorder.rules.context import RuleContext
from fixorder.rules.edits import describe
from fixorder.rules.extra_steps import extra_findings
from fixorder.rules.review import Extra, is_real_preprocess

CODE = "FO104"
NAME = "double-scaling"
SUMMARY = "scaling applied on top of preprocess_input, or preprocess_input applied twice"


def message(ctx: RuleContext, extra: Extra, p: Pipeline) -> str:
    use = p.backbone
    kept = extra.kept
    description = ctx.contract_text(use.contract or use.catalog.expects)
    steps = " then ".join(describe(ctx, s) for s in p.stages if s is extra.stage or s is kept)
    what = "preprocessed twice" if is_real_preprocess(extra.stage) and kept is not None \
        and extra.stage.mode == kept.mode else "scaled twice"
    return (f"{use.catalog.name} expects {description} but the images are {what} ({steps}); "
            f"remove {describe(ctx, extra.stage)}")


def check(ctx: RuleContext) -> Iterable[Finding]:
    return extra_findings(ctx, CODE, NAME, message)
