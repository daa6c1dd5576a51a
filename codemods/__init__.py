"""libcst codemods that apply fixorder's fixes.

Each command is a ``libcst.codemod.CodemodCommand``, so it runs on its own through
``python -m libcst.tool codemod`` (see ``.libcst.codemod.yaml``) as well as inside fixorder.
"""
