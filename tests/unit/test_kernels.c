//===- test_kernels.c - CPU kernels for the runtime's e2e tests ---*- C -*-===//
//
// Built as a shared object at test build time and embedded by the tests as a
// module's CpuElf executable. Both kernels follow the CPU executable ABI
// (docs/design/executable-abi.md): push_constants = [n, chunk], and workgroup
// `wg` handles elements [wg * chunk, min(n, (wg + 1) * chunk)).
//
//===----------------------------------------------------------------------===//

#include <stdint.h>

/// out[i] = a[i] + b[i]; bindings: a, b, out (f32).
void add(void *const *bindings, const int64_t *push_constants,
         int64_t workgroup_id) {
  const float *a = (const float *)bindings[0];
  const float *b = (const float *)bindings[1];
  float *out = (float *)bindings[2];
  int64_t n = push_constants[0], chunk = push_constants[1];
  int64_t begin = workgroup_id * chunk, end = begin + chunk;
  if (end > n)
    end = n;
  for (int64_t i = begin; i < end; ++i)
    out[i] = a[i] + b[i];
}

/// out[i] = in[i] + 1; bindings: in, out (f32).
void add_one(void *const *bindings, const int64_t *push_constants,
             int64_t workgroup_id) {
  const float *in = (const float *)bindings[0];
  float *out = (float *)bindings[1];
  int64_t n = push_constants[0], chunk = push_constants[1];
  int64_t begin = workgroup_id * chunk, end = begin + chunk;
  if (end > n)
    end = n;
  for (int64_t i = begin; i < end; ++i)
    out[i] = in[i] + 1.0f;
}
