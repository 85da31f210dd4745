/*===- ingot-compile.c - compile a model to an .ingot module ----*- C -*-===//
 *
 * A thin main over the compiler C API (compiler/API/ingot_compiler.h):
 *
 *   ingot-compile model.onnx -o model.ingot
 *   ingot-compile model.onnx --compile-to=linalg      # print IR
 *   ingot-compile model.mlir -o - | ingot-run-module --module=- ...
 *
 * Session flags (--compile-to, --target-cpu, ...) go to the session; every
 * other flag (MLIR's --mlir-print-ir-after-all, --mlir-timing, ...) to the
 * library's global command line.
 *
 *===----------------------------------------------------------------------===*/
#include "compiler/API/ingot_compiler.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *kTool = "ingot-compile";

static int fail(ingot_compiler_error_t *error) {
  const char *message = ingot_compiler_error_message(error);
  /* Diagnostics with a location ("file:line:col: error: ...") print as they
   * are; other messages get the tool's prefix. */
  if (strstr(message, ": error: "))
    fprintf(stderr, "%s\n", message);
  else
    fprintf(stderr, "%s: error: %s\n", kTool, message);
  ingot_compiler_error_destroy(error);
  return 1;
}

static void usage(FILE *out) {
  fprintf(out,
          "usage: %s <input.onnx|input.onnxtext|input.mlir|-> [-o <out>] "
          "[flags]\n\n"
          "Compiles a model to an .ingot module (default output: the input's "
          "name with .ingot;\n'-o -' writes to stdout).\n\nSession flags:\n%s"
          "\nMLIR flags (--mlir-print-ir-after-all, --mlir-timing, ...): see "
          "--help-list-hidden.\n",
          kTool, ingot_compiler_session_flags_help());
}

/* Default output path: the input's basename with the extension replaced. */
static char *defaultOutput(const char *input) {
  const char *base = strrchr(input, '/');
  base = base ? base + 1 : input;
  size_t len = strlen(base);
  const char *dot = strrchr(base, '.');
  if (dot && dot != base)
    len = (size_t)(dot - base);
  char *out = malloc(len + 7);
  if (!out)
    return NULL;
  memcpy(out, base, len);
  strcpy(out + len, ".ingot");
  return out;
}

int main(int argc, char **argv) {
  const char **globalArgs = calloc((size_t)argc + 1, sizeof(char *));
  const char **sessionFlags = calloc((size_t)argc + 1, sizeof(char *));
  if (!globalArgs || !sessionFlags)
    return 1;
  int numGlobal = 0, numSession = 0;
  const char *input = NULL, *output = NULL;
  globalArgs[numGlobal++] = argv[0];
  for (int i = 1; i < argc; ++i) {
    const char *arg = argv[i];
    if (!strcmp(arg, "-h") || !strcmp(arg, "--help")) {
      usage(stdout);
      return 0;
    }
    if (!strcmp(arg, "-o")) {
      if (i + 1 >= argc) {
        fprintf(stderr, "%s: error: -o needs a file name\n", kTool);
        return 1;
      }
      output = argv[++i];
    } else if (!strncmp(arg, "-o=", 3)) {
      output = arg + 3;
    } else if (arg[0] == '-' && arg[1] != '\0') {
      if (ingot_compiler_is_session_flag(arg))
        sessionFlags[numSession++] = arg;
      else
        globalArgs[numGlobal++] = arg;
    } else if (input) {
      fprintf(stderr, "%s: error: more than one input ('%s' and '%s')\n", kTool,
              input, arg);
      return 1;
    } else {
      input = arg;
    }
  }
  if (!input) {
    fprintf(stderr, "%s: error: no input file\n", kTool);
    usage(stderr);
    return 1;
  }

  ingot_compiler_error_t *error =
      ingot_compiler_global_initialize(numGlobal, globalArgs);
  if (error)
    return fail(error);
  ingot_compiler_session_t *session = ingot_compiler_session_create();
  for (int i = 0; i < numSession; ++i)
    if ((error = ingot_compiler_session_set_flag(session, sessionFlags[i])))
      return fail(error);

  ingot_compiler_output_t *result = NULL;
  if ((error = ingot_compiler_compile_file(session, input, &result)))
    return fail(error);
  size_t size = 0;
  const void *data = ingot_compiler_output_data(result, &size);
  int isText = ingot_compiler_output_is_text(result);
  char *ownedOutput = NULL;
  if (!output)
    output = isText ? "-"
                    : (ownedOutput =
                           defaultOutput(strcmp(input, "-") ? input : "stdin"));
  FILE *out = strcmp(output, "-") ? fopen(output, "wb") : stdout;
  if (!out) {
    fprintf(stderr, "%s: error: cannot open '%s' for writing\n", kTool, output);
    return 1;
  }
  int ok = fwrite(data, 1, size, out) == size;
  ok &= (out == stdout ? fflush(out) : fclose(out)) == 0;
  if (!ok) {
    fprintf(stderr, "%s: error: cannot write '%s'\n", kTool, output);
    return 1;
  }
  free(ownedOutput);
  ingot_compiler_output_destroy(result);
  ingot_compiler_session_destroy(session);
  free(globalArgs);
  free(sessionFlags);
  return 0;
}
