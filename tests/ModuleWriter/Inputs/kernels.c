/* tests/ModuleWriter/Inputs/kernels.c - two CPU kernels following the
   executable ABI (docs/design/executable-abi.md), for runtime.test. */
#include <stdint.h>

/* out = in * 2 + 1 over 8 floats, 4 per workgroup (workgroup_count [2,1,1]). */
void step(void *const *bindings, const int64_t *push_constants,
          int64_t workgroup_id) {
  const float *in = bindings[0];
  float *out = bindings[1];
  for (int64_t i = workgroup_id * 4; i < workgroup_id * 4 + 4; ++i)
    out[i] = in[i] * 2 + 1;
}

/* out = a + b over 8 floats (workgroup_count [1,1,1]). */
void combine(void *const *bindings, const int64_t *push_constants,
             int64_t workgroup_id) {
  const float *a = bindings[0], *b = bindings[1];
  float *out = bindings[2];
  for (int i = 0; i < 8; ++i)
    out[i] = a[i] + b[i];
}
