"""Judging observed ranges against the catalogue contracts, and the report formats (no TensorFlow)."""

from __future__ import annotations

import json

import pytest

from fixorder import catalog
from fixorder.verify.results import (
    FAIL, PASS, UNVERIFIED, VerifyResult, exit_code, judge, results_from_payload, to_json, to_text,
)

CAT = catalog.load()


def contract(name):
    c = CAT.contracts[name]
    return [[lo, hi] for lo, hi in zip(c.low, c.high)]


def same(lo, hi):
    return [[lo, hi]] * 3


@pytest.mark.parametrize("name", ["raw", "unit", "tf", "tf128", "torch", "caffe"])
def test_exact_contract_passes(name):
    assert judge("X", name, contract(name))[0] == PASS


@pytest.mark.parametrize("expects, observed", [
    ("tf", same(0, 255)),                        # raw pixels into a [-1, 1] model
    ("tf", same(0, 1)),                          # rescale=1/255 into a [-1, 1] model
    ("tf", same(-1.008, -0.992)),                # preprocess_input applied twice: collapsed
    ("caffe", same(-1, 1)),                      # tf-mode preprocessing into a caffe model
    ("caffe", same(0, 255)),                     # raw into caffe
    ("caffe", [[-123.68, 131.32], [-116.779, 138.221], [-103.939, 151.061]]),  # RGB order: channels swapped
    ("raw", same(0, 1)),                         # Rescaling(1/255) before EfficientNet
    ("raw", same(-1, 1)),                        # preprocess_input before EfficientNet
    ("torch", same(0, 1)),
    ("tf", contract("torch")),
])
def test_wrong_ranges_fail(expects, observed):
    verdict, reason = judge("Backbone", expects, observed)
    assert verdict == FAIL, reason
    assert "Backbone expects" in reason


def test_collapsed_range_is_named():
    verdict, reason = judge("MobileNetV2", "tf", same(-1.008, -0.992))
    assert verdict == FAIL and "collapsed" in reason


def test_tolerance_and_partial_coverage():
    # JPEG ringing and crops of the gradients: small overshoot, ends a little inside.
    assert judge("M", "tf", same(-1.04, 0.97))[0] == PASS
    assert judge("M", "tf", same(-0.8, 0.75))[0] == PASS
    assert judge("M", "tf", same(-1.2, 1.0))[0] == FAIL
    assert judge("M", "tf", same(-0.3, 1.0))[0] == FAIL


def test_non_finite_values_fail():
    assert judge("M", "tf", same(-1, 1), nonfinite=3)[0] == FAIL


def _payload(**kw):
    base = {"status": "ok", "error": None, "error_line": None, "backbones": [], "probes": [], "refusals": []}
    base.update(kw)
    return base


def _bb(**kw):
    row = {"index": 0, "name": "MobileNetV2", "framework": "keras3", "requested_weights": "imagenet",
           "include_preprocessing": None, "file": "train.py", "line": 12, "probe_error": None, "observed": None}
    row.update(kw)
    return row


def test_builtin_preprocessing_flag_selects_the_contract():
    obs = {"count": 1, "per_channel": same(-1, 1), "nonfinite": 0}
    on = results_from_payload("t.py", _payload(backbones=[_bb(name="MobileNetV3Small", observed=obs)]), None)
    off = results_from_payload("t.py", _payload(backbones=[_bb(name="MobileNetV3Small", observed=obs,
                                                               include_preprocessing=False)]), None)
    assert (on[0].expects, on[0].verdict) == ("raw", FAIL)
    assert (off[0].expects, off[0].verdict) == ("tf", PASS)


def test_no_result_file_is_unverified():
    res = results_from_payload("t.py", None, "the verification process was killed by signal 9", "crashed")
    assert res[0].verdict == UNVERIFIED and "signal 9" in res[0].reason
    assert exit_code(res) == 2


def test_script_without_backbone():
    res = results_from_payload("t.py", _payload(), None)
    assert res[0].verdict == UNVERIFIED and "no keras.applications backbone" in res[0].reason


def test_observation_before_a_crash_is_still_judged():
    obs = {"count": 1, "per_channel": same(0, 255), "nonfinite": 0}
    res = results_from_payload("t.py", _payload(status="exception", error="KeyError: 'x'", error_line=30,
                                                backbones=[_bb(observed=obs)]), None)
    assert res[0].verdict == FAIL and "KeyError" in res[0].reason


def test_exit_codes():
    def r(v, na=False):
        return VerifyResult("p", 1, "M", "tf", [-1, 1], None, None, v, "", not_applicable=na)
    assert exit_code([r(PASS), r(PASS)]) == 0
    assert exit_code([r(PASS), r(UNVERIFIED, na=True)]) == 0
    assert exit_code([r(PASS), r(FAIL)]) == 1
    assert exit_code([r(FAIL), r(UNVERIFIED)]) == 1
    assert exit_code([r(PASS), r(UNVERIFIED)]) == 2
    assert exit_code([r(UNVERIFIED, na=True)]) == 2
    assert exit_code([]) == 2


def test_json_and_text_reports():
    obs = {"count": 2, "per_channel": same(0, 255), "nonfinite": 0}
    res = results_from_payload("train.py", _payload(backbones=[_bb(observed=obs)]), None)
    rows = json.loads(to_json(res))
    assert rows == [{
        "path": "train.py", "line": 12, "backbone": "MobileNetV2", "expects": "tf",
        "expected_range": [-1.0, 1.0], "observed_range": [0.0, 255.0],
        "observed_per_channel": [[0.0, 255.0]] * 3, "verdict": "fail",
        "reason": "MobileNetV2 expects tf: [-1, 1] but received [0, 255]; the input looks like raw: raw pixels "
                  "[0, 255] (" + "; ".join(f"channel {c}: [0, 255] lies outside [-1, 1]" for c in range(3)) + ")",
        "cell": None, "isolated": False, "isolation": "not isolated: not run by fixorder verify's runner",
        "notes": [],
    }]
    text = to_text(res)
    assert "train.py:12: MobileNetV2 FAIL" in text and "1 result(s): 0 pass, 1 fail" in text
    assert text.splitlines()[-1] == "not isolated: not run by fixorder verify's runner"
    res[0].isolated, res[0].isolation = True, "sandboxed: bubblewrap"
    res[0].notes = ["ran under Keras 2"]
    text = to_text(res)
    assert "not isolated" not in text and text.splitlines()[-1] == "sandboxed: bubblewrap"
    assert "    note: ran under Keras 2" in text


def test_a_caught_refusal_turns_a_pass_into_unverified():
    obs = {"count": 2, "per_channel": same(-1, 1), "nonfinite": 0}
    passing = results_from_payload("train.py", _payload(backbones=[_bb(observed=obs)]), None)
    assert passing[0].verdict == PASS
    refusal = {"kind": "write", "message": "write refused: '/etc/x' is outside verify's temporary directory",
               "file": "train.py", "line": 7}
    res = results_from_payload("train.py", _payload(backbones=[_bb(observed=obs)], refusals=[refusal]), None)
    assert res[0].verdict == UNVERIFIED
    assert "caught the error" in res[0].reason and "/etc/x" in res[0].reason and "(line 7)" in res[0].reason
    assert exit_code(res) == 2


def test_only_non_finite_values_fail_and_stay_valid_json():
    obs = {"count": 1, "per_channel": [[float("inf"), float("-inf")]] * 3, "nonfinite": 12}
    res = results_from_payload("t.py", _payload(backbones=[_bb(observed=obs)]), None)
    assert res[0].verdict == FAIL and "non-finite" in res[0].reason
    assert res[0].observed_range is None

    def reject(constant):
        raise AssertionError(f"invalid JSON constant {constant}")

    json.loads(to_json(res), parse_constant=reject)


def test_notebook_to_script_masks_magics_and_maps_lines():
    from fixorder.verify.notebook import notebook_to_script

    nb = {"cells": [
        {"cell_type": "markdown", "source": "# title"},
        {"cell_type": "code", "source": ["%matplotlib inline\n", "x = 1\n", "!ls"]},
        {"cell_type": "code", "source": "%%time\ny = 2"},
        {"cell_type": "code", "source": "%%bash\necho hi"},
        {"cell_type": "code", "source": "if x:\n    %time z = 3"},
    ]}
    script, where = notebook_to_script(json.dumps(nb))
    compile(script, "nb.py", "exec")
    lines = script.splitlines()
    assert lines[1] == "x = 1" and where[1] == (2, 2)
    assert lines[0].startswith("pass  #") and lines[2].startswith("pass  #")
    assert lines[4].startswith("pass  #") and lines[5] == "y = 2"  # %%time keeps its body
    assert lines[7].startswith("pass  #") and lines[8].startswith("pass  #")  # %%bash is masked whole
    assert lines[11] == "    pass  # masked by fixorder verify: %time z = 3" and where[11] == (5, 2)


def test_notebook_cells_run_as_jupyter_runs_them():
    """IPython's leading-indent handling, and shell/magic output assigned to a name."""
    from fixorder.verify.notebook import notebook_to_script

    nb = {"cells": [
        {"cell_type": "code", "source": "    x = 1\n    if x:\n        y = 2\n"},
        {"cell_type": "code", "source": "files = !ls data\nt = %timeit -o f()\nn = len(files)"},
        {"cell_type": "code", "source": "  a = 1\nb = 2"},  # not uniformly indented: fails alone
    ]}
    script, where = notebook_to_script(json.dumps(nb))
    lines = script.splitlines()
    assert lines[:3] == ["x = 1", "if x:", "    y = 2"] and where[2] == (1, 3)
    assert lines[4] == "files = []  # masked by fixorder verify: files = !ls data"
    assert lines[5].startswith("t = []  # masked") and lines[6] == "n = len(files)"
    namespace: dict = {}
    exec(compile("\n".join(lines[:8]), "nb.py", "exec"), namespace)
    assert (namespace["x"], namespace["y"], namespace["n"]) == (1, 2, 0)
    assert lines[8:10] == ["pass  # masked by fixorder verify (the cell does not parse): a = 1",
                           "pass  # masked by fixorder verify (the cell does not parse): b = 2"]


def test_a_notebook_cell_that_does_not_parse_is_masked_and_the_others_run():
    """An automagic ``cd`` runs in IPython: that line is masked like a magic.  HTML pasted into a
    code cell makes the cell fail alone in Jupyter: the whole cell is masked, the others run."""
    import ast as _ast
    import json as _json

    from fixorder.verify.notebook import notebook_to_script

    cells = [["import numpy as np\n", "cd /home/me/data\n", "x = np.zeros(3)\n", "pip install keras-flops\n",
              "ls = [1]\n"],
             ["<div class='note'></div>for i in range(2):\n", "    print(i)\n"],
             ["y = x + 1\n"]]
    nb = {"cells": [{"cell_type": "code", "source": c} for c in cells], "metadata": {}, "nbformat": 4}
    text, where = notebook_to_script(_json.dumps(nb))
    _ast.parse(text)
    lines = text.splitlines()
    assert "x = np.zeros(3)" in lines and "y = x + 1" in lines
    assert lines[1] == "pass  # masked by fixorder verify (automagic): cd /home/me/data"
    assert lines[3] == "pass  # masked by fixorder verify (automagic): pip install keras-flops"
    assert lines[4] == "ls = [1]"  # a Python name that happens to be a magic's
    assert where[lines.index("y = x + 1")] == (3, 1)
    assert "    print(i)" not in lines  # the broken cell's loop body cannot stand alone: all masked
