#!/usr/bin/env python
from manyi.cli import main

if __name__ == "__main__":
    main()
