"""TensorFlow calls that run a callable given to them: ``tf.py_function``, ``tf.numpy_function``,
``tf.cond``, and ``tf.distribute`` strategies (``strategy.run``, distributed datasets).

A strategy object is represented by a ``Ref`` to ``tensorflow.distribute.Strategy``, so its
methods resolve to the names registered here like any imported function.
"""

from __future__ import annotations

from fixorder.analysis.calls import Call
from fixorder.analysis.models import callables
from fixorder.analysis.models.registry import Callee, calls
from fixorder.analysis.values import UNKNOWN_VALUE, Flow, Ref, Value
from fixorder.catalog import api

STRATEGY = "tensorflow.distribute.Strategy"


@calls(*api.FUNCTION_WRAPPERS)
def function_wrapper(it, call: Call, callee: Callee) -> Value | None:
    """``tf.py_function(fn, [x, y], Tout)``: ``fn(x, y)``."""
    fn, fn_node = callables.argument(call, 0, "func")
    inputs, _ = callables.argument(call, 1, "inp")
    if fn is None or inputs is None:
        return None
    out = callables.apply(it, fn, callables.items(inputs), call, fn_node)
    return out if out is not UNKNOWN_VALUE else None


@calls("tensorflow.cond", "tensorflow.compat.v1.cond")
def cond(it, call: Call, callee: Callee) -> Value | None:
    """``tf.cond(pred, true_fn, false_fn)``: both branches run; their results join."""
    true_fn, true_node = callables.argument(call, 1, "true_fn", "fn1")
    false_fn, false_node = callables.argument(call, 2, "false_fn", "fn2")
    if true_fn is None or false_fn is None:
        return None
    a = callables.apply(it, true_fn, [], call, true_node)
    b = callables.apply(it, false_fn, [], call, false_node)
    out = callables.join(a, b, call.node, "tf.cond")
    return out if out is not UNKNOWN_VALUE else None


@calls(*api.DISTRIBUTION_STRATEGIES)
def strategy(it, call: Call, callee: Callee) -> Value:
    return Ref(STRATEGY, call.node)


@calls(STRATEGY + ".run", STRATEGY + ".experimental_run_v2")
def strategy_run(it, call: Call, callee: Callee) -> Value | None:
    """``strategy.run(fn, args=(batch,))``: ``fn(batch)`` on each replica."""
    fn, fn_node = callables.argument(call, 0, "fn")
    args, _ = callables.argument(call, 1, "args")
    if fn is None:
        return None
    out = callables.apply(it, fn, callables.items(args), call, fn_node)
    return out if out is not UNKNOWN_VALUE else None


@calls(STRATEGY + ".experimental_distribute_dataset")
def distribute_dataset(it, call: Call, callee: Callee) -> Value | None:
    dataset, _ = callables.argument(call, 0, "dataset")
    return dataset if isinstance(dataset, Flow) else None


@calls(STRATEGY + ".distribute_datasets_from_function", STRATEGY + ".experimental_distribute_datasets_from_function")
def distribute_from_function(it, call: Call, callee: Callee) -> Value | None:
    """``fn(input_context)`` builds each replica's dataset."""
    fn, fn_node = callables.argument(call, 0, "dataset_fn")
    if fn is None:
        return None
    out = callables.apply(it, fn, [UNKNOWN_VALUE], call, fn_node)
    return out if isinstance(out, Flow) else None
