/*===- benchmarks/fma_peak.c - f32 FMA peak of this machine -----------------===*
 *
 * Usage: fma_peak [THREADS]   (build: cc -O2 -march=native -pthread)
 * Runs a register-only loop of independent vector FMAs (no memory traffic)
 * on THREADS threads (default 1) for about 0.3 s and prints one JSON line:
 * {"threads":T,"vector_bits":B,"gflops":G}. This is the ceiling that the
 * GEMM sweep quotes its percentages against; it differs per machine, so it is
 * measured in the same run.
 *
 *===----------------------------------------------------------------------===*/
#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#if defined(__AVX512F__)
typedef __m512 vec;
#define VBITS 512
#define SET1 _mm512_set1_ps
#define FMA _mm512_fmadd_ps
#define ADD _mm512_add_ps
#define SUM(v) _mm512_reduce_add_ps(v)
#elif defined(__FMA__)
typedef __m256 vec;
#define VBITS 256
#define SET1 _mm256_set1_ps
#define FMA _mm256_fmadd_ps
#define ADD _mm256_add_ps
static float SUM(__m256 v) {
  float f[8];
  _mm256_storeu_ps(f, v);
  return f[0] + f[1] + f[2] + f[3] + f[4] + f[5] + f[6] + f[7];
}
#else
#error "fma_peak needs FMA (x86-64-v3 or newer)"
#endif

/* 12 independent accumulators (c0..c11) hide the FMA latency on two FMA
 * ports. */
#define ACCS 12
#define ITERS 100000L

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

static volatile float sink;

static void *run(void *arg) {
  long *rounds = (long *)arg;
  vec a = SET1(1.0000001f), b = SET1(0.9999999f);
  vec c0 = SET1(0), c1 = SET1(1), c2 = SET1(2), c3 = SET1(3), c4 = SET1(4),
      c5 = SET1(5), c6 = SET1(6), c7 = SET1(7), c8 = SET1(8), c9 = SET1(9),
      c10 = SET1(10), c11 = SET1(11);
  for (long r = 0; r < *rounds; ++r)
    for (long i = 0; i < ITERS; ++i) {
      c0 = FMA(c0, a, b); c1 = FMA(c1, a, b); c2 = FMA(c2, a, b);
      c3 = FMA(c3, a, b); c4 = FMA(c4, a, b); c5 = FMA(c5, a, b);
      c6 = FMA(c6, a, b); c7 = FMA(c7, a, b); c8 = FMA(c8, a, b);
      c9 = FMA(c9, a, b); c10 = FMA(c10, a, b); c11 = FMA(c11, a, b);
      /* The empty asm keeps the compiler from folding the loop. */
      __asm__ volatile("" : "+v"(c0), "+v"(c1), "+v"(c2), "+v"(c3),
                       "+v"(c4), "+v"(c5));
      __asm__ volatile("" : "+v"(c6), "+v"(c7), "+v"(c8), "+v"(c9),
                       "+v"(c10), "+v"(c11));
    }
  vec s = ADD(ADD(ADD(c0, c1), ADD(c2, c3)), ADD(ADD(c4, c5), ADD(c6, c7)));
  s = ADD(s, ADD(ADD(c8, c9), ADD(c10, c11)));
  sink = SUM(s);
  return NULL;
}

int main(int argc, char **argv) {
  int threads = argc > 1 ? atoi(argv[1]) : 1;
  if (threads < 1 || threads > 256) {
    fprintf(stderr, "fma_peak: error: THREADS must be 1..256, got '%s'\n",
            argv[1]);
    return 1;
  }
  /* Calibrate one round, then run ~0.3 s; best of 3. */
  long one = 1;
  double t0 = now();
  run(&one);
  double per = now() - t0;
  long rounds = (long)(0.3 / (per > 1e-6 ? per : 1e-6)) + 1;
  double best = 0;
  for (int rep = 0; rep < 3; ++rep) {
    pthread_t tid[256];
    double start = now();
    for (int i = 0; i < threads; ++i)
      pthread_create(&tid[i], NULL, run, &rounds);
    for (int i = 0; i < threads; ++i)
      pthread_join(tid[i], NULL);
    double secs = now() - start;
    double flops = 2.0 * (VBITS / 32) * ACCS * ITERS * (double)rounds * threads;
    if (flops / secs > best)
      best = flops / secs;
  }
  printf("{\"threads\":%d,\"vector_bits\":%d,\"gflops\":%.1f}\n", threads,
         VBITS, best * 1e-9);
  return 0;
}
