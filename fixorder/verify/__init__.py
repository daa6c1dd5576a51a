"""Runtime verification: run a script under instrumentation and check what reaches each backbone.

``verify_script`` / ``verify_scripts`` run each script in a fresh subprocess (never in this
process) and return one :class:`VerifyResult` per ``keras.applications`` backbone the script
built.  ``verify_rewrite`` decides whether a ``--fix`` rewrite must be reverted.  The click
command is ``fixorder.verify.command.verify_command``.  Needs TensorFlow in the child
(``pip install fixorder[verify]``); importing this package does not.
"""

from fixorder.verify.results import FAIL, PASS, UNVERIFIED, VerifyResult, exit_code, to_json, to_text
from fixorder.verify.rewrite import verify_rewrite
from fixorder.verify.runner import verify_batch, verify_script, verify_scripts

__all__ = [
    "FAIL", "PASS", "UNVERIFIED", "VerifyResult", "exit_code", "to_json", "to_text",
    "verify_batch", "verify_rewrite", "verify_script", "verify_scripts",
]
