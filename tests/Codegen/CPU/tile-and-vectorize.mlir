// RUN: ingot-opt --split-input-file --pass-pipeline='builtin.module(func.func(ingot-cpu-tile-and-vectorize))' %s | FileCheck %s

// A 16x64x32 matmul becomes 8x32 register tiles with a K loop of 8 outer
// products lowered to broadcast + FMA on vector<32xf32>.
// CHECK-LABEL: func.func @matmul
// CHECK: scf.for
// CHECK: scf.for
// CHECK: scf.for %{{.*}} = %c0 to %c32 step %c8
// CHECK: vector.broadcast {{.*}} : f32 to vector<32xf32>
// CHECK: vector.fma {{.*}} : vector<32xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul(%x: tensor<16x32xf32>, %w: tensor<32x64xf32>) -> tensor<16x64xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x64xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<16x64xf32>) -> tensor<16x64xf32>
  %m = linalg.matmul ins(%x, %w : tensor<16x32xf32>, tensor<32x64xf32>) outs(%f : tensor<16x64xf32>) -> tensor<16x64xf32>
  return %m : tensor<16x64xf32>
}

// -----

// Elementwise ops become vector arithmetic; exp gets a polynomial.
// CHECK-LABEL: func.func @exp
// CHECK: vector.transfer_read
// CHECK-NOT: math.exp
// CHECK: vector.transfer_write
func.func @exp(%x: tensor<4x16xf32>) -> tensor<4x16xf32> {
  %e = tensor.empty() : tensor<4x16xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(d0,d1)->(d0,d1)>, affine_map<(d0,d1)->(d0,d1)>], iterator_types = ["parallel","parallel"]} ins(%x : tensor<4x16xf32>) outs(%e : tensor<4x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %s = math.exp %a : f32
    linalg.yield %s : f32
  } -> tensor<4x16xf32>
  return %r : tensor<4x16xf32>
}

// -----

// 49 columns have no divisor that is a whole number of vectors: register
// tiles are 16 wide and the partial last tile (1 column) is peeled off,
// instead of 7-wide vectors.
// CHECK-LABEL: func.func @matmul_odd_columns
// CHECK: scf.for %{{.*}} = %c0 to %c48 step %c16
// CHECK:   scf.for %{{.*}} = %c0 to %c64 step %c8
// CHECK:     vector.fma {{.*}} : vector<16xf32>
// CHECK: scf.for %{{.*}} = %c0 to %c64 step %c8
// CHECK:   vector.fma {{.*}} : vector<1xf32>
// CHECK-NOT: vector<7xf32>
// CHECK-NOT: linalg.matmul
func.func @matmul_odd_columns(%x: tensor<16x64xf32>, %w: tensor<64x49xf32>) -> tensor<16x49xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<16x49xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<16x49xf32>) -> tensor<16x49xf32>
  %m = linalg.matmul ins(%x, %w : tensor<16x64xf32>, tensor<64x49xf32>) outs(%f : tensor<16x49xf32>) -> tensor<16x49xf32>
  return %m : tensor<16x49xf32>
}

// -----

// A window read (the im2col copy, oh + kh and ow + kw) is tiled into single
// rows; with its unit loops dropped, each tile copies a contiguous row of 16
// input pixels instead of running element by element.
// CHECK-LABEL: func.func @window_copy
// CHECK: affine.apply
// CHECK: tensor.extract_slice %{{.*}}[0, %{{.*}}, %{{.*}}, %{{.*}}] [1, 1, 1, 16] [1, 1, 1, 1] : tensor<1x2x6x18xf32> to tensor<1x1x1x16xf32>
// CHECK: tensor.insert_slice {{.*}} [1, 1, 1, 1, 1, 16] [1, 1, 1, 1, 1, 1] : tensor<1x1x1x1x1x16xf32> into tensor<1x2x3x3x4x16xf32>
// CHECK-NOT: linalg.generic
func.func @window_copy(%x: tensor<1x2x6x18xf32>) -> tensor<1x2x3x3x4x16xf32> {
  %e = tensor.empty() : tensor<1x2x3x3x4x16xf32>
  %r = linalg.generic {indexing_maps = [affine_map<(n, c, kh, kw, oh, ow) -> (n, c, oh + kh, ow + kw)>, affine_map<(n, c, kh, kw, oh, ow) -> (n, c, kh, kw, oh, ow)>], iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%x : tensor<1x2x6x18xf32>) outs(%e : tensor<1x2x3x3x4x16xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<1x2x3x3x4x16xf32>
  return %r : tensor<1x2x3x3x4x16xf32>
}

// -----

// A depthwise convolution is generalized to a window read: single output
// rows, kh and kw loops of one tap each, and each tap a row-wide
// multiply-add on vector<16xf32>.
// CHECK-LABEL: func.func @depthwise
// CHECK-NOT: linalg.depthwise_conv_2d_nchw_chw
// CHECK: scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK:   scf.for %{{.*}} = %c0 to %c3 step %c1
// CHECK:     vector.transfer_read {{.*}} : tensor<16xf32>, vector<16xf32>
// CHECK:     vector.broadcast %{{.*}} : f32 to vector<16xf32>
// CHECK:     arith.mulf %{{.*}} : vector<16xf32>
// CHECK:     arith.addf %{{.*}} : vector<16xf32>
// CHECK-NOT: linalg.generic
func.func @depthwise(%x: tensor<1x2x6x18xf32>, %w: tensor<2x3x3xf32>) -> tensor<1x2x4x16xf32> {
  %cst = arith.constant 0.0 : f32
  %e = tensor.empty() : tensor<1x2x4x16xf32>
  %f = linalg.fill ins(%cst : f32) outs(%e : tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  %r = linalg.depthwise_conv_2d_nchw_chw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<1x2x6x18xf32>, tensor<2x3x3xf32>) outs(%f : tensor<1x2x4x16xf32>) -> tensor<1x2x4x16xf32>
  return %r : tensor<1x2x4x16xf32>
}

// -----

// A product over packed weight panels with its bias consumer: register
// tiles of 8 rows by one 32-column panel, the panel loop outside the row
// loop (consecutive tiles reuse the panel), the unit panel dim dropped so
// each K step is 8 broadcasts against one contiguous panel row.
// CHECK-LABEL: func.func @packed
// CHECK: scf.for %{{.*}} = %c0 to %c8 step %c1
// CHECK:   scf.for %{{.*}} = %c0 to %c64 step %c8
// CHECK:     scf.for %{{.*}} = %c0 to %c16 step %c8
// CHECK:       vector.transfer_read {{.*}} : tensor<8x32xf32>, vector<8x32xf32>
// CHECK-COUNT-64: vector.fma {{.*}} : vector<32xf32>
// CHECK:     arith.addf {{.*}} : vector<8x32xf32>
// CHECK-NOT: linalg.generic
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

// NHWC padding (a clamped tensor.extract): single-pixel tiles along the
// channels, whose extracts become one contiguous vector load per pixel (with
// the border select), not scalar code.
// CHECK-LABEL: func.func @pad_nhwc
// CHECK: vector.transfer_read %{{.*}} : tensor<1x4x4x32xf32>, vector<32xf32>
// CHECK: arith.select %{{.*}}, %{{.*}}, %{{.*}} : vector<32xi1>, vector<32xf32>
// CHECK-NOT: tensor.extract %
func.func @pad_nhwc(%x: tensor<1x4x4x32xf32>) -> tensor<1x6x6x32xf32> {
  %zero = arith.constant 0.0 : f32
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %e = tensor.empty() : tensor<1x6x6x32xf32>
  %p = linalg.generic {indexing_maps = [affine_map<(d0, d1, d2, d3) -> (d0, d1, d2, d3)>],
                       iterator_types = ["parallel", "parallel", "parallel", "parallel"]}
      outs(%e : tensor<1x6x6x32xf32>) {
  ^bb0(%out: f32):
    %n = linalg.index 0 : index
    %h = linalg.index 1 : index
    %w = linalg.index 2 : index
    %c = linalg.index 3 : index
    %hh = arith.subi %h, %c1 : index
    %ww = arith.subi %w, %c1 : index
    %hin = arith.cmpi ult, %hh, %c4 : index
    %win = arith.cmpi ult, %ww, %c4 : index
    %hs = arith.select %hin, %hh, %c0 : index
    %ws = arith.select %win, %ww, %c0 : index
    %in = arith.andi %hin, %win : i1
    %v = tensor.extract %x[%n, %hs, %ws, %c] : tensor<1x4x4x32xf32>
    %r = arith.select %in, %v, %zero : f32
    linalg.yield %r : f32
  } -> tensor<1x6x6x32xf32>
  return %p : tensor<1x6x6x32xf32>
}
