from fixorder.cli import main

main(prog_name="fixorder")
