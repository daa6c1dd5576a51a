"""How a unit of source (file, notebook, stdin, editor buffer) is checked or fixed: one guarded
path.  ``runner`` plans a run over files, ``worker`` analyses each unit in a guarded process
(``guards``: size, CPU time, crash isolation), ``unit`` checks or fixes one text, ``engine``
runs the analysis and rules on it, and ``cache`` keeps the results of unchanged files.
"""
