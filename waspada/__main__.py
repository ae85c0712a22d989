from waspada.cli import main

main()
