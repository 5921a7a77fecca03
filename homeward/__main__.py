from homeward.cli import main

main()
