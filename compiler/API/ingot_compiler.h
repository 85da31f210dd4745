/*===- ingot_compiler.h - Ingot compiler library C API ----------*- C -*-===//
 *
 * Compiles ONNX models (binary or textual) and MLIR in Ingot's dialects to
 * .ingot module files, in process. Opaque handles with create/destroy pairs;
 * every fallible call returns an error object (NULL on success) that holds
 * the diagnostics as text and must be destroyed.
 *
 *   ingot_compiler_error_t *err = ingot_compiler_global_initialize(0, NULL);
 *   ingot_compiler_session_t *s = ingot_compiler_session_create();
 *   err = ingot_compiler_session_set_flag(s, "--target-cpu=host");
 *   ingot_compiler_output_t *out = NULL;
 *   err = ingot_compiler_compile_file(s, "model.onnx", &out);
 *   size_t size; const void *bytes = ingot_compiler_output_data(out, &size);
 *   ... write bytes ...
 *   ingot_compiler_output_destroy(out);
 *   ingot_compiler_session_destroy(s);
 *
 *===----------------------------------------------------------------------===*/
#ifndef INGOT_COMPILER_API_INGOT_COMPILER_H
#define INGOT_COMPILER_API_INGOT_COMPILER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Version of this API: major * 100 + minor. */
#define INGOT_COMPILER_API_VERSION 1

typedef struct ingot_compiler_session_t ingot_compiler_session_t;
typedef struct ingot_compiler_output_t ingot_compiler_output_t;
typedef struct ingot_compiler_error_t ingot_compiler_error_t;

/** Returns INGOT_COMPILER_API_VERSION of the linked library. */
int ingot_compiler_api_version(void);

/** Initializes the library once per process. `argv` (may be empty) holds
 *  process-wide flags: MLIR's debugging flags (--mlir-print-ir-after-all,
 *  --mlir-timing, --mlir-pass-pipeline-crash-reproducer=..., ...);
 *  argv[0] is the program name. Unknown flags are an error. */
ingot_compiler_error_t *ingot_compiler_global_initialize(int argc,
                                                         const char **argv);

/** Returns nonzero if `flag` ("--name" or "--name=value") is a session flag
 *  that ingot_compiler_session_set_flag accepts. */
int ingot_compiler_is_session_flag(const char *flag);

/** Describes the session flags, one per line, for --help texts. */
const char *ingot_compiler_session_flags_help(void);

/** Creates a compilation session with default options (CPU target, host). */
ingot_compiler_session_t *ingot_compiler_session_create(void);
void ingot_compiler_session_destroy(ingot_compiler_session_t *session);

/** Sets one session flag: --compile-to=<phase>, --compile-from=<phase>,
 *  --target=cpu|vulkan|cpu,vulkan (devices the module carries kernels for),
 *  --vulkan-target=default|desktop (Vulkan/SPIR-V target environment),
 *  --dump-spirv=<file> (also write the SPIR-V module there),
 *  --target-cpu=<name|host>, --target-triple=<triple>,
 *  --target-features=<+f,-g>, --check-support, --batch-tile=<rows> (tile
 *  of a model with a dynamic batch; 0 keeps dynamic dims),
 *  --dim-values=<name>=<size>,<size>,... (size variants for the symbolic
 *  input dim <name>; set once per name, the combinations of all names are
 *  compiled, at most 32). */
ingot_compiler_error_t *
ingot_compiler_session_set_flag(ingot_compiler_session_t *session,
                                const char *flag);

/** Compiles the file at `path` ("-" = standard input). The input kind
 *  follows the extension: .onnx, .onnxtext, .mlir. On success `*out_output`
 *  holds a module file, or MLIR text when --compile-to was set, or the
 *  support report with --check-support. */
ingot_compiler_error_t *
ingot_compiler_compile_file(ingot_compiler_session_t *session, const char *path,
                            ingot_compiler_output_t **out_output);

/** Same as ingot_compiler_compile_file for an in-memory input; `name`
 *  (with its extension) names it in diagnostics and selects its kind. */
ingot_compiler_error_t *
ingot_compiler_compile_buffer(ingot_compiler_session_t *session,
                              const void *data, size_t size, const char *name,
                              ingot_compiler_output_t **out_output);

/** The output bytes; valid until the output is destroyed. */
const void *ingot_compiler_output_data(const ingot_compiler_output_t *output,
                                       size_t *out_size);
/** Nonzero if the output is text (IR dump or report), zero for a module. */
int ingot_compiler_output_is_text(const ingot_compiler_output_t *output);
void ingot_compiler_output_destroy(ingot_compiler_output_t *output);

/** The error's diagnostics, NUL-terminated. */
const char *ingot_compiler_error_message(const ingot_compiler_error_t *error);
void ingot_compiler_error_destroy(ingot_compiler_error_t *error);

#ifdef __cplusplus
}
#endif

#endif /* INGOT_COMPILER_API_INGOT_COMPILER_H */
