from fixorder.cli import main

main()
