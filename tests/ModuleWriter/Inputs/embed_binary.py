#!/usr/bin/env python3
# tests/ModuleWriter/Inputs/embed_binary.py - prints an .mlir template with
# "@DATA@" replaced by the bytes of a file as an MLIR string body.
#
#   embed_binary.py template.mlir binary.so > out.mlir
import sys

template = open(sys.argv[1]).read()
data = open(sys.argv[2], "rb").read()
sys.stdout.write(template.replace("@DATA@", "".join("\\%02X" % b for b in data)))
