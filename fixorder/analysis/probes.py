"""Eager shape probes: a backbone call whose result is only looked at, never trained or kept.

Real scripts often push one raw batch through the backbone to print the feature map's shape
(``feats = base(batch); print(feats.shape)``), or to build a head's weights, next to a training
graph that preprocesses correctly.  Such a call feeds the backbone raw pixels, but nothing
learns from or keeps the result, so it is not a pipeline to judge.

A pipeline is a probe when all of these hold:
- the images reach the backbone through a direct call (``base(x)``, ``base.predict(x)``), not
  ``fit`` or another method that learns from them;
- no augmentation precedes it (an augmented batch is training data, whatever happens next);
- the call's result is discarded, or bound to a name whose every use in the scope is a look
  (``.shape``, ``.dtype``, ``print``, ``len``...) or the input of a Keras layer call whose own
  result is used only in those ways.
Anything else (a return, a container, ``np.save``, a model's outputs) keeps the pipeline.
"""

from __future__ import annotations

import libcst as cst

from fixorder.analysis import syntax
from fixorder.analysis.values import AUGMENT, Pipeline

LOOK_ATTRIBUTES = frozenset({"shape", "dtype", "ndim", "get_shape", "numpy"})
LOOK_FUNCTIONS = frozenset({"print", "len", "type", "repr", "str", "id"})
MAX_LAYER_HOPS = 4
# Model methods that only compute outputs (a probe can use them); fit and the rest learn.
LOOKING_METHODS = frozenset({"predict", "predict_on_batch", "__call__", "call"})


def split(module: cst.Module, pipelines: list[Pipeline], layer_calls: set[cst.Call]) -> tuple[list, list]:
    """(judged pipelines, probes)."""
    if not pipelines:
        return pipelines, []
    finder = _Uses(module, layer_calls)
    kept, probes = [], []
    for p in pipelines:
        (probes if _is_probe(p, finder) else kept).append(p)
    return kept, probes


def _is_probe(p: Pipeline, finder: _Uses) -> bool:
    if p.entry.kind != "wrap" or not isinstance(p.node, cst.Call) or p.entry.statement is None:
        return False
    if any(s.kind == AUGMENT for s in p.stages):
        return False
    func = p.node.func
    if isinstance(func, cst.Attribute) and func.attr.value not in LOOKING_METHODS:
        return False  # fit, train_on_batch, evaluate...: the model learns from or is judged on it
    return finder.only_looked_at(p.node, p.entry.statement)


class _Uses:
    """Parents of the module's nodes, recorded for the subtrees walked so far: the statement of
    a candidate call first, its whole scope only when the result is bound to a name."""

    def __init__(self, module: cst.Module, layer_calls: set[cst.Call]):
        self.module = module
        self.layer_calls = layer_calls
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.walked: set[cst.CSTNode] = set()
        self.scopes: dict[cst.CSTNode, cst.CSTNode] = {}  # statement -> FunctionDef or Module

    def _walk(self, root: cst.CSTNode) -> None:
        if root in self.walked:
            return
        self.walked.add(root)
        parents = self.parents
        stack = [root]
        while stack:
            node = stack.pop()
            for child in syntax.code_children(node):
                parents[child] = node
                stack.append(child)

    def _parent_map(self) -> dict[cst.CSTNode, cst.CSTNode]:
        return self.parents

    def only_looked_at(self, call: cst.Call, statement: cst.CSTNode, hops: int = 0) -> bool:
        self._walk(statement)
        parents = self._parent_map()
        node: cst.CSTNode = call
        parent = parents.get(node)
        # print(base(x).shape), len(base(x)): the value itself is looked at.
        if self._is_look(node, parent):
            return True
        if isinstance(parent, cst.Expr):
            return True  # result discarded
        name = self._bound_name(call, parent)
        if name is None:
            return False
        scope = self._scope(statement)
        return self._name_only_looked_at(name, scope, hops)

    def _is_look(self, node: cst.CSTNode, parent: cst.CSTNode | None) -> bool:
        parents = self._parent_map()
        if isinstance(parent, cst.Attribute) and parent.value is node and parent.attr.value in LOOK_ATTRIBUTES:
            return True
        if isinstance(parent, cst.Arg):
            call = parents.get(parent)
            if isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value in LOOK_FUNCTIONS:
                return True
        if isinstance(parent, (cst.FormattedStringExpression,)):
            return True
        return False

    @staticmethod
    def _bound_name(call: cst.Call, parent: cst.CSTNode | None) -> str | None:
        if isinstance(parent, cst.Assign) and parent.value is call and len(parent.targets) == 1:
            target = parent.targets[0].target
            if isinstance(target, cst.Name):
                return target.value
        return None

    def _scope(self, node: cst.CSTNode) -> cst.CSTNode:
        """The FunctionDef (or the module) whose body holds ``node``, walking it for its uses."""
        if not self.scopes:
            self._index_scopes(self.module, self.module)
        parents = self.parents
        while node not in self.scopes and node in parents:
            node = parents[node]
        scope = self.scopes.get(node, self.module)
        self._walk(scope)
        return scope

    def _index_scopes(self, block_owner: cst.CSTNode, scope: cst.CSTNode) -> None:
        """Every statement's scope, by a walk over statement blocks only (no expressions)."""
        stack = [(block_owner, scope)]
        while stack:
            owner, where = stack.pop()
            for statement in _statements(owner):
                self.scopes[statement] = where
                inner = statement if isinstance(statement, cst.FunctionDef) else where
                stack.append((statement, inner))

    def _name_only_looked_at(self, name: str, scope: cst.CSTNode, hops: int) -> bool:
        parents = self._parent_map()
        stack: list[cst.CSTNode] = [scope]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            if not isinstance(node, cst.Name) or node.value != name:
                continue
            parent = parents.get(node)
            if isinstance(parent, cst.AssignTarget) and parent.target is node:
                continue  # a binding, not a use
            if self._is_look(node, parent):
                continue
            if isinstance(parent, cst.Arg) and hops < MAX_LAYER_HOPS:
                layer_call = parents.get(parent)
                if isinstance(layer_call, cst.Call) and layer_call in self.layer_calls:
                    outer = parents.get(layer_call)
                    if isinstance(outer, cst.Expr):
                        continue
                    if isinstance(outer, cst.Arg):  # pool(trunk_out) inside dense(...)
                        inner_call = parents.get(outer)
                        if isinstance(inner_call, cst.Call) and inner_call in self.layer_calls and \
                                self._call_result_only_looked_at(inner_call, hops + 1):
                            continue
                        return False
                    bound = self._bound_name(layer_call, outer)
                    if bound is not None and bound != name and self._name_only_looked_at(
                            bound, self._scope(outer), hops + 1):
                        continue
            return False
        return True

    def _call_result_only_looked_at(self, call: cst.Call, hops: int) -> bool:
        parents = self._parent_map()
        parent = parents.get(call)
        if isinstance(parent, cst.Expr) or self._is_look(call, parent):
            return True
        name = self._bound_name(call, parent)
        return name is not None and self._name_only_looked_at(name, self._scope(parent), hops)


_BLOCK_FIELDS = ("body", "orelse", "handlers", "finalbody", "cases")


def _statements(owner: cst.CSTNode) -> list[cst.CSTNode]:
    """The statements directly inside a module, compound statement, suite or clause."""
    found: list[cst.CSTNode] = []
    for name in _BLOCK_FIELDS:
        value = getattr(owner, name, None)
        if value is None or isinstance(value, cst.BaseExpression):
            continue
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, cst.BaseSuite):
                found.extend(item.body if isinstance(item.body, (list, tuple)) else [])
            elif isinstance(item, (cst.ExceptHandler, cst.Else, cst.Finally, cst.MatchCase)) or \
                    isinstance(item, (cst.If,)):
                found.extend(_statements(item) if not isinstance(item, cst.If) else [item])
            elif isinstance(item, cst.CSTNode):
                found.append(item)
    return found
