"""``fixorder server``: a Language Server over stdio (pygls) for editors.

``buffers`` analyses an editor buffer under the CLI's per-file guards; ``notebook_positions``
maps a notebook cell's line to where it sits in the .ipynb JSON; ``lsp`` is the protocol side.
"""
