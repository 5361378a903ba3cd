"""`python -m budgetrules …` runs the same command line as `budgetrules …`."""
from budgetrules.cli import main

if __name__ == "__main__":
    main()
