"""``fixorder batch``: check and fix many repositories, local checkouts or git URLs.

Modules, each using only those listed before it: ``model`` (options, outcome, errors), ``git``
(the git commands), ``sources`` (paths and URLs, clones), ``repo`` (one repository, the pure
function the engines run), ``engines`` (local pool, Dask), ``report`` (report.json), ``progress``,
``summaries`` (table, Markdown, SARIF) and ``run`` (one batch, start to end).
"""
