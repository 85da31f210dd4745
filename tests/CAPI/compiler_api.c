/*===- compiler_api.c - exercises the compiler C API -----------*- C -*-===//
 *
 * Compiles in-memory ONNX text through compiler/API/ingot_compiler.h and
 * prints what came back; tests/CAPI/compiler-api.test checks the output.
 *
 *===----------------------------------------------------------------------===*/
#include "compiler/API/ingot_compiler.h"

#include <stdio.h>
#include <string.h>

static const char kModel[] =
    "<\n  ir_version: 8,\n  opset_import: [\"\" : 13]\n>\n"
    "g (float[4] x) => (float[4] y) {\n"
    "  y = Tanh(x)\n}\n";

/* Prints the error (if any) under `label`, frees it; returns 1 on error. */
static int report(const char *label, ingot_compiler_error_t *error) {
  if (!error)
    return 0;
  printf("%s: error: %s\n", label, ingot_compiler_error_message(error));
  ingot_compiler_error_destroy(error);
  return 1;
}

int main(void) {
  printf("api version: %d\n", ingot_compiler_api_version());
  if (report("init", ingot_compiler_global_initialize(0, NULL)))
    return 1;

  /* A module: a FlatBuffer whose identifier (bytes 4..8) is INGT. */
  ingot_compiler_session_t *session = ingot_compiler_session_create();
  ingot_compiler_output_t *output = NULL;
  if (report("module",
             ingot_compiler_compile_buffer(session, kModel, strlen(kModel),
                                           "tanh.onnxtext", &output)))
    return 1;
  size_t size = 0;
  const char *data = ingot_compiler_output_data(output, &size);
  printf("module: text=%d identifier=%.4s nonempty=%d\n",
         ingot_compiler_output_is_text(output), data + 4, size > 64);
  ingot_compiler_output_destroy(output);

  /* IR text at a phase. */
  if (report("flag",
             ingot_compiler_session_set_flag(session, "--compile-to=linalg")))
    return 1;
  if (report("linalg",
             ingot_compiler_compile_buffer(session, kModel, strlen(kModel),
                                           "tanh.onnxtext", &output)))
    return 1;
  data = ingot_compiler_output_data(output, &size);
  printf("linalg: text=%d has-tanh=%d\n", ingot_compiler_output_is_text(output),
         strstr(data, "math.tanh") != NULL);
  ingot_compiler_output_destroy(output);

  /* Errors come back as objects with the diagnostics as text. */
  report("bad-flag", ingot_compiler_session_set_flag(session, "--optimize"));
  report("bad-phase",
         ingot_compiler_session_set_flag(session, "--compile-to=asm"));
  const char bad[] = "func.func @f( {";
  report("bad-input", ingot_compiler_compile_buffer(session, bad, strlen(bad),
                                                    "bad.mlir", &output));
  printf("output after error: %s\n", output ? "set" : "null");
  ingot_compiler_session_destroy(session);

  /* Size variants through the session flags: one function per size. */
  static const char kSeqModel[] =
      "<\n  ir_version: 8,\n  opset_import: [\"\" : 13]\n>\n"
      "g (float[S] x) => (float[S] y) {\n"
      "  y = Tanh(x)\n}\n";
  session = ingot_compiler_session_create();
  if (report("dim-flag",
             ingot_compiler_session_set_flag(session, "--dim-values=S=2,3")) ||
      report("phase-flag",
             ingot_compiler_session_set_flag(session, "--compile-to=input")) ||
      report("variants", ingot_compiler_compile_buffer(
                             session, kSeqModel, strlen(kSeqModel),
                             "seq.onnxtext", &output)))
    return 1;
  data = ingot_compiler_output_data(output, &size);
  printf("variants: %d\n",
         strstr(data, "ingot.variants = [@main_S2, @main_S3]") != NULL);
  ingot_compiler_output_destroy(output);
  report("bad-size",
         ingot_compiler_session_set_flag(session, "--dim-values=T=8,0"));
  ingot_compiler_session_destroy(session);
  return 0;
}
