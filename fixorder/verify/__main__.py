"""``python -m fixorder.verify SCRIPT...``: the verify command on its own."""

from fixorder.verify.command import verify_command

if __name__ == "__main__":
    verify_command(prog_name="fixorder verify")
