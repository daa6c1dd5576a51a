"""CodemodCommands for ``python -m libcst.tool codemod`` (and for fixorder's own engine).

    python -m libcst.tool codemod commands.InsertPreprocessCommand src/
    python -m libcst.tool codemod commands.FoldPreprocessCommand src/

Each command analyses the module with fixorder's rules and applies the fixes fixorder
itself would apply with ``--fix`` (``--unsafe-fixes`` to include unsafe ones).
"""

from __future__ import annotations

import argparse

import libcst as cst
from libcst.codemod import CodemodCommand, CodemodContext, SkipFile

from codemods.actions import apply_actions
from codemods.wrap import line_limit, wrap_long_lines
from fixorder.run.engine import Options, analyze_module, applicable
from fixorder.rules import RULE_MODULES


class _FixorderCommand(CodemodCommand):
    STRATEGY = "insert"

    def __init__(self, context: CodemodContext, unsafe_fixes: bool = False, select: str = "") -> None:
        super().__init__(context)
        codes = frozenset(c.strip().upper() for c in select.split(",") if c.strip()) or frozenset(RULE_MODULES)
        self.options = Options(codes, self.STRATEGY, unsafe_fixes)

    @staticmethod
    def add_args(arg_parser: argparse.ArgumentParser) -> None:
        arg_parser.add_argument("--unsafe-fixes", action="store_true", default=False,
                                help="Also apply fixes marked unsafe.")
        arg_parser.add_argument("--select", default="", help="Comma-separated rule codes (default: all).")

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        path = self.context.filename or "<stdin>"
        findings, analysed = analyze_module(path, tree, self.options)
        actions = [f.fix.action for f in findings if applicable(f, self.options)]
        if not actions:
            raise SkipFile("no applicable fixorder fix")
        new, _ = apply_actions(analysed, actions, self.context)
        # The lines the fixes made too long are wrapped as ``fixorder --fix`` wraps them.
        text = new.code
        wrapped = wrap_long_lines(text, line_limit(tree.code))
        return new if wrapped == text else cst.parse_module(wrapped)


class InsertPreprocessCommand(_FixorderCommand):
    DESCRIPTION = "Insert each backbone's preprocess_input after the augmentation (fixorder --fix)."
    STRATEGY = "insert"


class FoldPreprocessCommand(_FixorderCommand):
    DESCRIPTION = ("Fold augmentation and the backbone's preprocess_input into one function "
                   "(fixorder --fix --strategy fold).")
    STRATEGY = "fold"
