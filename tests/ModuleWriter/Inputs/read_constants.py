#!/usr/bin/env python3
# tests/ModuleWriter/Inputs/read_constants.py - prints the bytes of every
# constant of a module as hex, one line "<index>: <hex>" each.
#
#   read_constants.py module.ingot dump.txt
#
# dump.txt is ingot-dump-module's output for the module, whose "constants:"
# section gives each constant's size and file offset.
import re
import sys


def main():
    data = open(sys.argv[1], "rb").read()
    lines = open(sys.argv[2]).read().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("constants:"))
    pattern = re.compile(r"\s*(\d+): .*, (\d+) bytes at offset (\d+)$")
    for line in lines[start + 1:]:
        match = pattern.match(line)
        if not match:
            break
        index, size, offset = (int(g) for g in match.groups())
        if offset % 64 != 0 or offset + size > len(data):
            sys.exit(f"constant {index}: bad segment at {offset}, {size} bytes")
        print(f"{index}: {data[offset:offset + size].hex()}")


if __name__ == "__main__":
    main()
