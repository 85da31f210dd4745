#!/usr/bin/env python3
"""tests/Codegen/CPU/Inputs/kernel_sizes.py - the code-size bound on kernels.

Usage: kernel_sizes.py LIMIT FILE.mlir
Reads IR printed after the codegen phase (every kernel in the LLVM dialect),
counts the operations of each exec.executable and fails, naming the kernel,
if one has more than LIMIT. Prints the largest kernel and its size.
"""
import re
import sys


def main():
    limit, path = int(sys.argv[1]), sys.argv[2]
    sizes, current = {}, None
    for line in open(path):
        m = re.match(r"\s*exec\.executable @(\S+)", line)
        if m:
            current = m.group(1)
            sizes[current] = 0
        elif current and re.match(r"\s*(%\S+ = )?[a-z_]+\.[a-z_.]+", line):
            sizes[current] += 1
    if not sizes:
        sys.exit(f"kernel_sizes.py: error: no exec.executable in {path}")
    largest = max(sizes, key=sizes.get)
    print(f"largest kernel {largest}: {sizes[largest]} ops")
    over = {k: v for k, v in sizes.items() if v > limit}
    for k, v in sorted(over.items()):
        print(f"kernel {k}: {v} ops, over the limit of {limit}")
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
