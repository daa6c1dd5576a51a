"""FO105 rescale-before-builtin-preprocessing

## What it does
Checks for manual scaling in front of a backbone that normalizes its input inside the model:
EfficientNet B0-B7, and EfficientNetV2, ConvNeXt, MobileNetV3, RegNet and ResNetRS with
`include_preprocessing` left on.  Manual scaling is `Rescaling(1/255)`, `x / 255.`,
`ImageDataGenerator(rescale=1./255)`, or an external [-1, 1] scaler such as
`Rescaling(1 / 127.5, offset=-1)`.

## Why is this bad?
These models start with their own `Rescaling`/`Normalization` layers and expect raw pixels in
[0, 255].  Scaled input is scaled a second time: EfficientNetB0 fed `x / 255` sees an
almost constant image ([-2.118, -2.101] instead of [-2.118, 2.64]).  Training still runs, so
the only symptom is poor accuracy (keras-team/keras-io#1549).

## Example
```python
model = keras.Sequential([
    keras.Input((224, 224, 3)),
    layers.Rescaling(1.0 / 255),
    keras.applications.EfficientNetB0(include_top=False),
])
```

## Use instead
```python
model = keras.Sequential([
    keras.Input((224, 224, 3)),
    keras.applications.EfficientNetB0(include_top=False),
])
```

## Fix safety
The fix removes the scaling step.  It is safe when the step is one `Sequential` element,
one keyword (`rescale=`), one statement of a chain (`x = x / 255.0`) or an expression whose
operand can stand alone, and the data comes from a known source in the file.  When the data
enters through a function parameter the fix is unsafe (another caller may rely on the
scaling).  When the same step also feeds a pipeline that needs it, no fix is offered.
A `preprocess_input` call in front of such a backbone is reported by FO103.
"""

from __future__ import annotations

from typing import Iterable

from fixorder.analysis.values import Pipeline
from fixorder.findings import Finding
from fixorder.rules.context import RuleContext
from fixorder.rules.edits import describe
from fixorder.rules.extra_steps import extra_findings
from fixorder.rules.review import Extra

CODE = "FO105"
NAME = "rescale-before-builtin-preprocessing"
SUMMARY = "manual scaling before a backbone that normalizes its input internally"


def message(ctx: RuleContext, extra: Extra, p: Pipeline) -> str:
    use = p.backbone
    if "zscore" in extra.stage.details:
        return (f"{use.catalog.name} normalizes its input inside the model and expects raw pixels [0, 255], "
                f"but receives values standardized over {extra.stage.details['zscore']} (zero mean, unit "
                f"standard deviation) by {extra.stage.label}; remove the standardization")
    mode = extra.stage.mode
    scaled = ctx.contract_text(mode) if mode in ctx.catalog.contracts else "rescaled"
    return (f"{use.catalog.name} normalizes its input inside the model and expects raw pixels [0, 255], "
            f"but receives values scaled by {describe(ctx, extra.stage)} (to {scaled}); remove the scaling")


def check(ctx: RuleContext) -> Iterable[Finding]:
    return extra_findings(ctx, CODE, NAME, message)
