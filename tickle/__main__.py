from tickle.cli import main

main()
