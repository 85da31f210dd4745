// RUN: ingot-opt --split-input-file --pass-pipeline='builtin.module(func.func(ingot-cpu-tile-and-distribute{min-workgroups=4}))' %s | FileCheck %s

// The elementwise consumer is tiled into workgroups and the matmul and fill
// producers are fused into the workgroup loop.
// CHECK-LABEL: func.func @k
// CHECK-NOT: ingot.cpu.single_workgroup
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 256) step (64, 64)
// CHECK:   linalg.fill {{.*}} -> tensor<64x64xf32>
// CHECK:   linalg.matmul {{.*}} -> tensor<64x64xf32>
// CHECK:   linalg.generic {{.*}} outs(%{{.*}} : tensor<64x64xf32>)
// CHECK:   tensor.parallel_insert_slice
// CHECK-NOT: linalg.matmul
func.func @k(%x: tensor<64x16xf32>, %w: tensor<16x256xf32>, %b: tensor<256xf32>) -> tensor<64x256xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x256xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<64x256xf32>) -> tensor<64x256xf32>
  %m = linalg.matmul ins(%x, %w : tensor<64x16xf32>, tensor<16x256xf32>) outs(%f : tensor<64x256xf32>) -> tensor<64x256xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0,d1)->(d0,d1)>, affine_map<(d0,d1)->(d1)>, affine_map<(d0,d1)->(d0,d1)>], iterator_types = ["parallel","parallel"]} ins(%m, %b : tensor<64x256xf32>, tensor<256xf32>) outs(%e : tensor<64x256xf32>) {
  ^bb0(%a: f32, %bb: f32, %o: f32):
    %s = arith.addf %a, %bb : f32
    linalg.yield %s : f32
  } -> tensor<64x256xf32>
  return %r : tensor<64x256xf32>
}

// -----

// 196 columns have no whole-vector divisor: workgroups split the rows and
// keep all 196 columns (98 or 49 would waste more vector lanes).
// CHECK-LABEL: func.func @odd_columns
// CHECK-NOT: ingot.cpu.single_workgroup
// CHECK: scf.forall (%{{.*}}, %{{.*}}) = (0, 0) to (64, 196) step (16, 196)
func.func @odd_columns(%x: tensor<64x32xf32>, %w: tensor<32x196xf32>) -> tensor<64x196xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x196xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<64x196xf32>) -> tensor<64x196xf32>
  %m = linalg.matmul ins(%x, %w : tensor<64x32xf32>, tensor<32x196xf32>) outs(%f : tensor<64x196xf32>) -> tensor<64x196xf32>
  return %m : tensor<64x196xf32>
}

// -----

// The matmul kernel above has enough work for several threads; this pad-like
// copy of 2 x 64 x 9 x 9 (10368 iterations, under serial-iterations) is
// still tiled, but marked to run its tiles in one workgroup.
// CHECK-LABEL: func.func @small
// CHECK-SAME: ingot.cpu.single_workgroup
// CHECK: scf.forall
func.func @small(%x: tensor<2x64x9x9xf32>) -> tensor<2x64x9x9xf32> {
  %e = tensor.empty() : tensor<2x64x9x9xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0,d1,d2,d3)->(d0,d1,d2,d3)>, affine_map<(d0,d1,d2,d3)->(d0,d1,d2,d3)>], iterator_types = ["parallel","parallel","parallel","parallel"]} ins(%x : tensor<2x64x9x9xf32>) outs(%e : tensor<2x64x9x9xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = arith.addf %a, %a : f32
    linalg.yield %s : f32
  } -> tensor<2x64x9x9xf32>
  return %r : tensor<2x64x9x9xf32>
}

// -----

// A product over packed weight panels (what ingot-linalg-pack-weights makes
// of a matmul with a constant weight) and its bias consumer: workgroups take
// whole 32-column panels (up to 8 of them) and up to 64 rows, and shrink the
// panel count first to reach 4 workgroups.
// CHECK-LABEL: func.func @packed
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (64, 8, 32) step (64, 2, 32)
// CHECK:   linalg.fill {{.*}} -> tensor<64x2x32xf32>
// CHECK:   linalg.generic {{.*}} ins(%{{.*}}, %{{.*}} : tensor<64x16xf32>, tensor<2x16x32xf32>) outs(%{{.*}} : tensor<64x2x32xf32>)
// CHECK:   linalg.generic {{.*}} outs(%{{.*}} : tensor<64x2x32xf32>)
#lhs = affine_map<(m, j, l, k) -> (m, k)>
#rhs = affine_map<(m, j, l, k) -> (j, k, l)>
#out = affine_map<(m, j, l, k) -> (m, j, l)>
#id = affine_map<(m, j, l) -> (m, j, l)>
#bias = affine_map<(m, j, l) -> (j, l)>
func.func @packed(%x: tensor<64x16xf32>, %w: tensor<8x16x32xf32>, %b: tensor<8x32xf32>) -> tensor<64x8x32xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<64x8x32xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<64x8x32xf32>) -> tensor<64x8x32xf32>
  %p = linalg.generic {indexing_maps = [#lhs, #rhs, #out], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%x, %w : tensor<64x16xf32>, tensor<8x16x32xf32>) outs(%f : tensor<64x8x32xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %m = arith.mulf %a, %c : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  } -> tensor<64x8x32xf32>
  %r = linalg.generic {indexing_maps = [#id, #bias, #id], iterator_types = ["parallel", "parallel", "parallel"]} ins(%p, %b : tensor<64x8x32xf32>, tensor<8x32xf32>) outs(%e : tensor<64x8x32xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %s = arith.addf %a, %c : f32
    linalg.yield %s : f32
  } -> tensor<64x8x32xf32>
  return %r : tensor<64x8x32xf32>
}

// -----

// A convolution's contraction over im2col columns (n, k, p) has two N-like
// dims too, but no panel index: it keeps the ordinary tiles (rows of the
// filter split, all 64 pixels), not whole-"panel" ones.
// CHECK-LABEL: func.func @conv_columns
// CHECK: scf.forall (%{{.*}}, %{{.*}}, %{{.*}}) = (0, 0, 0) to (1, 64, 64) step (1, 16, 64)
func.func @conv_columns(%w: tensor<64x32xf32>, %cols: tensor<1x32x64xf32>) -> tensor<1x64x64xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x64x64xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<1x64x64xf32>) -> tensor<1x64x64xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(n, f, p, k) -> (f, k)>, affine_map<(n, f, p, k) -> (n, k, p)>, affine_map<(n, f, p, k) -> (n, f, p)>], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%w, %cols : tensor<64x32xf32>, tensor<1x32x64xf32>) outs(%f : tensor<1x64x64xf32>) {
  ^bb0(%a: f32, %c: f32, %o: f32):
    %m = arith.mulf %a, %c : f32
    %s = arith.addf %o, %m : f32
    linalg.yield %s : f32
  } -> tensor<1x64x64xf32>
  return %p : tensor<1x64x64xf32>
}

// -----

// An im2col window copy over (n, oh, ow, kh, kw, c): besides the channel and
// kw dims, the outer loops join the workgroup tile (kh whole, ow halved)
// until it holds about 16K elements, rather than one 3 x 64 tile per
// workgroup.
// CHECK-LABEL: func.func @window_copy
// CHECK: scf.forall {{.*}} = (0, 0, 0, 0, 0, 0) to (1, 56, 56, 3, 3, 64) step (1, 1, 28, 3, 3, 64)
func.func @window_copy(%x: tensor<1x58x58x64xf32>) -> tensor<1x56x56x3x3x64xf32> {
  %e = tensor.empty() : tensor<1x56x56x3x3x64xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1 + d3, d2 + d4, d5)>,
                                        affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2, d3, d4, d5)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]}
      ins(%x : tensor<1x58x58x64xf32>) outs(%e : tensor<1x56x56x3x3x64xf32>) {
  ^bb0(%in: f32, %out: f32):
    linalg.yield %in : f32
  } -> tensor<1x56x56x3x3x64xf32>
  return %r : tensor<1x56x56x3x3x64xf32>
}
